#!/usr/bin/env bash
# Sets up a working checkout: a virtualenv with optout-bot and its test tools, and a Chromium.
# Idempotent; safe to run again. Browser order: one already configured or installed, then
# Playwright's own download, then Debian's chromium package (needs root), else a clear message.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

if .venv/bin/python -m optout_bot.engine.browser --quiet; then
  exit 0
fi
echo "setup: no Chromium found; trying Playwright's download" >&2
if timeout 180 .venv/bin/python -m playwright install chromium >/dev/null 2>&1 \
   && .venv/bin/python -m optout_bot.engine.browser --quiet; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "setup: installing Debian's chromium package" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  .venv/bin/python -m optout_bot.engine.browser --quiet && exit 0
fi
echo "setup: no browser. Install Chrome or Chromium, or set OPTOUT_BOT_CHROMIUM_PATH." >&2
exit 10
