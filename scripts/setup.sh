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

# Headless runs on a local copy of a site (the demo, the tests, the bench) start pages with far less CPU
# in a headless shell (docs/evidence/tooling.md §13). Debian packages one beside its chromium; root may
# add it. Best effort: without it, those runs use the full browser, as the real sites always do.
add_headless_shell() {
  case "$(.venv/bin/python -m optout_bot.engine.browser)" in *"headless shell"*) return 0 ;; esac
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && dpkg -s chromium >/dev/null 2>&1 || return 0
  echo "setup: adding Debian's chromium-headless-shell for headless runs" >&2
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get install -y -qq chromium-headless-shell >/dev/null 2>&1 \
    || { timeout 300 apt-get update -qq >/dev/null 2>&1 \
         && timeout 300 apt-get install -y -qq chromium-headless-shell >/dev/null 2>&1; } \
    || echo "setup: could not install chromium-headless-shell; headless runs use the full chromium" >&2
}

if .venv/bin/python -m optout_bot.engine.browser --quiet; then
  add_headless_shell
  .venv/bin/python -m optout_bot.engine.browser | sed 's/^/setup: browser: /' >&2
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
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-headless-shell >/dev/null
  .venv/bin/python -m optout_bot.engine.browser --quiet && exit 0
fi
echo "setup: no browser. Install Chrome or Chromium, or set OPTOUT_BOT_CHROMIUM_PATH." >&2
exit 10
