#!/usr/bin/env bash
# Set up everything form8k needs on a fresh Debian/Ubuntu machine, then build the example
# filings into output/. Used by the README and by .ci/run alike.
#
#   scripts/setup.sh              set up, then build the examples
#   scripts/setup.sh --no-build   set up only
#
# System packages (apt-get, as root or through sudo): Pango and HarfBuzz-Subset for WeasyPrint,
# poppler-utils for the tests' PDF text extraction, chromium for the preview's browser test
# (Playwright drives it; it never downloads a browser of its own). Python packages go into .venv/
# from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
[ "${1:-}" = "--no-build" ] && build=0

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: form8k needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils chromium)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $("$python" --version)"
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet --constraint constraints.txt --editable ".[test]"
echo "setup: Python packages installed in .venv"

if [ "$build" -eq 1 ]; then
  .venv/bin/python build.py
fi
