"""One account, N flows, one browser: the engine run in-process, for the scale measurement.

    python bench/engine_worker.py SITE_URL COPIES FLOW_NAME

Used by bench/run.py while fewer than ten flow files exist: it runs ``engine.run_account`` with
COPIES copies of one flow in one browser context, exactly as ``runner.execute`` would (the saved
session from the encrypted ``SessionStore``, numbered screenshots as ``disable`` keeps by default),
without the CLI around it. Prints the outcomes as one JSON line; exits with the run's status.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from optout_bot.engine.browser import launch
from optout_bot.engine.flow import run_account
from optout_bot.engine.job import AccountJob
from optout_bot.engine.options import RunOptions
from optout_bot.engine.recorder import ScreenshotRecorder
from optout_bot.engine.signin import SignInPolicy
from optout_bot.model.loader import load_catalog
from optout_bot.store.state import SessionStore


def main(argv: list[str]) -> int:
    """Run the flows; see the module docstring."""
    site_url, copies, flow_name = argv[0], int(argv[1]), argv[2]
    catalog = load_catalog()
    flow = catalog.flow(flow_name)
    site = catalog.site(flow.site)
    job = AccountJob(
        account="default",
        site=site,
        flows=[flow] * copies,
        signin=SignInPolicy(credentials=None, allow_password=False),
        remembered=lambda flow: None,  # switches only: no form to remember
        store=SessionStore(site.name, "default"),
    )
    with tempfile.TemporaryDirectory(prefix="optout-bench-run-") as run_dir:
        recorder = ScreenshotRecorder(Path(run_dir) / "run", site.private_css, keep_steps=True)
        with launch() as session:
            report = run_account(session, job, RunOptions(mode="apply", site_url=site_url), recorder)
    print(json.dumps([outcome.result.value for outcome in report.outcomes]))
    return int(report.exit_status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
