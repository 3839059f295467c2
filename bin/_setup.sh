# Shared set-up for bin/dev and bin/test: sourced, not run.
# Finds a Python 3.12+, makes .venv, installs the Python and npm packages.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

python_ok() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null
}

find_python() {
  local candidate
  # pyenv reads .python-version; use it when it has that version installed.
  if command -v pyenv >/dev/null 2>&1; then
    candidate="$(pyenv which python3 2>/dev/null || true)"
    if [ -n "$candidate" ] && python_ok "$candidate"; then echo "$candidate"; return; fi
  fi
  for candidate in python3 python3.14 python3.13 python3.12; do
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
      command -v "$candidate"; return
    fi
  done
  echo "This project needs Python 3.12 or newer, and none was found." >&2
  echo "Install one (for example: apt-get install python3.13, or pyenv install 3.13)," >&2
  echo "or set PYTHON=/path/to/python3.12+ and run this again." >&2
  exit 1
}

setup_python() {
  if [ ! -x .venv/bin/python ] || ! python_ok .venv/bin/python; then
    local python="${PYTHON:-$(find_python)}"
    python_ok "$python" || { echo "$python is older than 3.12." >&2; exit 1; }
    say "Creating .venv with $("$python" --version)"
    rm -rf .venv
    "$python" -m venv .venv
  fi
  # Reinstall only when pyproject.toml changed since the last install.
  local stamp=.venv/.installed-pyproject
  if [ ! -f "$stamp" ] || ! cmp -s pyproject.toml "$stamp"; then
    say "Installing Python packages"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[dev]"
    cp pyproject.toml "$stamp"
  fi
}

setup_assets() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm (Node.js) is needed to fetch Bootstrap and plotly.js, which the app serves itself." >&2
    echo "Install it, for example: apt-get install nodejs npm" >&2
    exit 1
  fi
  if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.installed-lock; then
    say "Installing front-end packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.installed-lock
  fi
}
