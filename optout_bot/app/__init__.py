"""Use cases: a run and what follows it (report, alerts, pings), capture, signing in by hand, the overview."""
