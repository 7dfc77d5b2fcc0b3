"""The drift simulator (issue 12, item 6): the real tool against seeded redraws of the fake's pages.

``python -m tests.drift`` (``make drift``) runs 100 seeds and ends with
``drift: P/N passed, S safe failures, H harmful``; ``tests/test_drift.py`` runs a fixed few in CI and
asserts that nothing harmful happened. See tests/README.md.
"""
