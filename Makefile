# The commands CI and the README use. `make test` is the one CI runs (.ci/run).
.PHONY: setup demo test lint fmt bench

setup:
	./scripts/setup.sh

demo: setup
	.venv/bin/optout-bot demo

test: setup
	.venv/bin/ruff check optout_bot tests bench
	.venv/bin/ruff format --check optout_bot tests bench
	.venv/bin/mypy
	.venv/bin/optout-bot flows validate
	.venv/bin/python -m pytest -q

lint:
	.venv/bin/ruff check optout_bot tests bench
	.venv/bin/mypy

fmt:
	.venv/bin/ruff format optout_bot tests bench
	.venv/bin/ruff check --fix optout_bot tests bench

bench: setup
	.venv/bin/python bench/run.py
