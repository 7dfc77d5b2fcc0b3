# The commands CI and the README use. `make test` is the one CI runs (.ci/run).
.PHONY: setup demo test lint fmt bench

PY_DIRS := optout_bot tests $(wildcard bench)

setup:
	./scripts/setup.sh

demo: setup
	.venv/bin/optout-bot demo

test: setup
	.venv/bin/ruff check $(PY_DIRS)
	.venv/bin/ruff format --check $(PY_DIRS)
	.venv/bin/mypy
	.venv/bin/optout-bot flows validate
	.venv/bin/python -m pytest -q

lint:
	.venv/bin/ruff check $(PY_DIRS)
	.venv/bin/mypy

fmt:
	.venv/bin/ruff format $(PY_DIRS)
	.venv/bin/ruff check --fix $(PY_DIRS)

bench: setup
	.venv/bin/python bench/run.py
