# The commands CI and the README use. `make test` is the one CI runs (.ci/run).
.PHONY: setup demo test faults lint fmt bench i18n wheel drift

PY_DIRS := optout_bot tests $(wildcard bench)

setup:
	./scripts/setup.sh

demo: setup
	.venv/bin/optout-bot demo

# pytest-xdist workers for `make test`. Most tests wait on Chromium, a subprocess or the fake site's
# answers rather than compute, so more workers than the 2 cores CI has still pays. Tests are isolated per
# worker: tmp_path folders, port 0 for every local server, an in-memory or tmp_path keyring.
TEST_WORKERS ?= 4

test: setup
	.venv/bin/ruff check $(PY_DIRS)
	.venv/bin/ruff format --check $(PY_DIRS)
	.venv/bin/mypy
	.venv/bin/optout-bot flows validate
	.venv/bin/lint-imports  # the layers (pyproject.toml, [tool.importlinter]); circles: tests/test_layers.py
	.venv/bin/python -m pytest -q -n $(TEST_WORKERS) --dist loadgroup

# The whole fault matrix (every fault x start state x command; `make test` runs the cells that take
# distinct paths, see distinct_path in tests/fault_matrix.py) and docs/reliability.md written from it.
faults: setup
	OPTOUT_BOT_WRITE_RELIABILITY=1 .venv/bin/python -m pytest -q tests/test_faults.py

lint:
	.venv/bin/ruff check $(PY_DIRS)
	.venv/bin/mypy
	.venv/bin/lint-imports

fmt:
	.venv/bin/ruff format $(PY_DIRS)
	.venv/bin/ruff check --fix $(PY_DIRS)

bench: setup
	.venv/bin/python bench/run.py

# Refresh the French catalog from the code: new messages appear untranslated (msgstr ""), which
# tests/test_i18n.py reports until someone writes their French. See CONTRIBUTING.md, "Translating".
i18n:
	mkdir -p build
	.venv/bin/python -m babel.messages.frontend extract --mapping-file babel.cfg --no-location --sort-output \
		--project optout-bot --msgid-bugs-address "" --output-file build/optout_bot.pot .
	.venv/bin/python -m babel.messages.frontend update --input-file build/optout_bot.pot \
		--output-dir optout_bot/i18n/locales --domain optout_bot --locale fr --no-fuzzy-matching --ignore-obsolete

# The wheel 'pipx install' / 'uv tool install' take (README, "Install it as an application").
wheel: setup
	rm -f dist/optout_bot-*.whl
	.venv/bin/python -m pip wheel --quiet --no-deps --wheel-dir dist .

# The drift simulator (tests/README.md): the real tool on seeded redraws of the fake's setting pages.
# `make drift` = 100 seeds; `make drift SEEDS=20`; one seed, one line per step: `make drift SEED=42`.
SEEDS ?= 100
drift: setup
	.venv/bin/python -m tests.drift --seeds $(SEEDS) $(if $(SEED),--seed $(SEED) -v)
