"""The browser side: Playwright, perceiving pages, signing in, switches and forms."""
