"""``python -m tests.drift [--seeds N] [--start S] [--seed K ...] [--html K] [-v]``.

Runs the real tool on N seeded redraws (default 100, from seed S=0), prints a table of the failures
(seed, verdict, what the tool said, why, the page's mutations) and ends with the line
``drift: P/N passed, S safe failures, H harmful``. Exit status 1 when anything was harmful.
``--seed K`` runs chosen seeds only (debugging); ``--html K`` prints seed K's page as first served.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile

from tests.drift.mutate import draw
from tests.drift.page import render_page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.drift", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=int(os.environ.get("SEEDS") or 100))
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--seed", type=int, action="append", help="run only this seed (repeatable)")
    parser.add_argument("--html", type=int, help="print this seed's page and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per seed and the tool's log")
    args = parser.parse_args(argv)
    if args.html is not None:
        mutation = draw(args.html)
        state = {k: mutation.start_on for k in [mutation.setting.key, *mutation.decoy_states]}
        print(mutation.describe())
        print(render_page(mutation, state, cookie_decided=False))
        return 0
    logging.basicConfig(level=logging.INFO if args.verbose else logging.CRITICAL)
    # Nothing of the user's: the tool's state folder is a throw-away one.
    os.environ.setdefault("OPTOUT_BOT_STATE_DIR", tempfile.mkdtemp(prefix="optout-drift-"))
    from optout_bot.browser import launch
    from tests.drift.simulate import run_seed, summary, table

    seeds = args.seed or list(range(args.start, args.start + args.seeds))
    results = []
    with launch() as session:
        for seed in seeds:
            result = run_seed(session, seed)
            results.append(result)
            if args.verbose or args.seed:
                print(
                    f"seed {seed:>4} {result.verdict:<7} {result.seconds:5.1f}s {result.outcome}", flush=True
                )
                print(f"          {result.mutation.describe()}", flush=True)
    failures = table(results)
    if failures:
        print("\nfailures:\n" + failures)
    print(summary(results))
    return 1 if any(r.verdict == "harmful" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
