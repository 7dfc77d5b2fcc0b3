"""What optout-bot keeps on disk and in the keyring: paths, config, credentials, sessions, history, locks."""
