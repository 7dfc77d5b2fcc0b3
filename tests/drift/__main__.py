"""``python -m tests.drift [--seeds N] [--start S] [--seed K ...] [--html K] [--write-readme] [-v]``.

Runs the real tool on N seeded redraws (default 100, from seed S=0), prints a table of the failures
(seed, verdict, what the tool said, why, the page's mutations), the failures by kind, and ends with
the line ``drift: P/N passed, S safe failures, H harmful``. Exit status 1 when anything was harmful.
``--seed K`` runs chosen seeds only (debugging); ``--html K`` prints seed K's page as first served;
``--write-readme`` puts the result between the README's drift markers (never typed by hand).
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from tests.drift.mutate import draw
from tests.drift.page import render_page

README = Path(__file__).resolve().parents[2] / "README.md"
START, END = "<!-- drift:start -->", "<!-- drift:end -->"
HEADING = "## Drift (pages drawn apart from our fixtures)"
INTRO = (
    "`make drift` runs the tool on 100 seeded redraws of the setting pages (tests/README.md says what is\n"
    "redrawn and how each run is judged). The text between the markers is written by\n"
    "`.venv/bin/python -m tests.drift --write-readme`, never by hand."
)


def write_readme(block: str, path: Path = README) -> None:
    """Replace only the text between the markers; add the section at the end when it is missing."""
    text = path.read_text(encoding="utf-8")
    marked = f"{START}\n{block}\n{END}"
    if START in text and END in text and text.index(START) < text.index(END):
        before, rest = text.split(START, 1)
        text = before + marked + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n{HEADING}\n\n{INTRO}\n\n{marked}\n"
    path.write_text(text, encoding="utf-8")


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(README.parent), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.drift", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--seeds", type=int, default=int(os.environ.get("SEEDS") or 100))
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--seed", type=int, action="append", help="run only this seed (repeatable)")
    parser.add_argument("--html", type=int, help="print this seed's page and exit")
    parser.add_argument("--write-readme", action="store_true", help="put the result in README.md")
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
    from optout_bot.engine.browser import launch
    from tests.drift.simulate import categories, run_seed, summary, table

    seeds = args.seed or list(range(args.start, args.start + args.seeds))
    results = []
    with launch(local_copy=True) as session:
        for seed in seeds:
            result = run_seed(session, seed)
            results.append(result)
            if args.verbose or args.seed:
                print(
                    f"seed {seed:>4} {result.verdict:<7} {result.seconds:5.1f}s {result.outcome}", flush=True
                )
                print(f"          {result.mutation.describe()}", flush=True)
    failures = table(results)
    kinds = categories(results)
    if failures:
        print("\nfailures:\n" + failures)
        print("\nfailures by kind:\n" + "\n".join(kinds))
    line = summary(results)
    if args.write_readme:
        when = datetime.now(UTC).strftime("%Y-%m-%d")
        span = f"seeds {seeds[0]}–{seeds[-1]}" if not args.seed else "seeds " + ", ".join(map(str, seeds))
        block = "\n".join(
            [f"`{line}` ({span}, commit {_commit()}, {when})", "", "```", *(kinds or ["no failures"]), "```"]
        )
        write_readme(block)
    print(line)
    return 1 if any(r.verdict == "harmful" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
