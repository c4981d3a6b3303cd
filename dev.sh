#!/usr/bin/env bash
# One entry point for a fresh machine: `./dev.sh serve` or `./dev.sh test`.
# Each command installs what it needs first (virtual environment, Python and
# npm packages, Chromium for browser tests) and is safe to run again.
# `./dev.sh build-site OUT BASE_URL` sets up Python and npm only (no browser)
# and builds the site for BASE_URL into OUT, as the Pages workflow does.
# `./dev.sh bench [OPTION...]` sets up Chromium and Hugo too and writes docs/benchmarks.md
# from a fresh run of bench/run.py (its options follow).
set -euo pipefail
cd "$(dirname "$0")"

VENV=.venv
PY="$VENV/bin/python"

setup_python() {
    if [ ! -x "$PY" ]; then
        python3 -m venv "$VENV"
    fi
    local stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        "$PY" -m pip install --quiet --upgrade pip
        "$PY" -m pip install --quiet -e '.[test]'
        rm -f "$VENV"/.installed-*
        touch "$stamp"
    fi
    # Byte-compile sitegen as pip does for a regular install (an editable one is not), so
    # that no command compiles it again where Python may not write its cache
    # (PYTHONDONTWRITEBYTECODE, common in containers). Only changed files are compiled.
    "$PY" -m compileall -q sitegen >/dev/null
}

setup_npm() {
    [ -f package.json ] || return 0
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
        command -v npm >/dev/null || { echo "npm is required: install Node.js 18+ (https://nodejs.org)" >&2; exit 1; }
        npm ci --no-audit --no-fund --silent
    fi
}

# apt_install PACKAGE WHY: a Debian package, with apt-get as root or through sudo where
# there is one (as on GitHub's runners); otherwise say why it is needed and how to get it.
apt_install() {
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    if command -v apt-get >/dev/null && { [ -z "$sudo" ] || command -v sudo >/dev/null; }; then
        $sudo apt-get update -qq && $sudo apt-get install -y -qq "$1" >/dev/null
    else
        echo "$2; install Debian's $1:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y $1" >&2
        exit 1
    fi
}

setup_chromium() {
    [ -x /usr/bin/chromium ] || apt_install chromium "Browser tests need /usr/bin/chromium"
}

# The HTML check runs the Nu Html Checker, a Java program.
setup_java() {
    command -v java >/dev/null || apt_install default-jre-headless "The HTML check needs Java"
}

case "${1:-}" in
    serve)
        setup_python
        setup_npm
        "$VENV/bin/sitegen" ingest
        exec "$VENV/bin/sitegen" serve "${@:2}"
        ;;
    test)
        setup_python
        setup_npm
        setup_chromium
        setup_java
        "$VENV/bin/ruff" check .
        "$VENV/bin/mypy"
        node_modules/.bin/eslint .
        # The browser's text pipeline against the Python analysis, in seconds, without a browser.
        node --test tests/js/*.test.mjs
        # pytest exits 5 when it collects no tests; set -e turns that into a failure.
        "$VENV/bin/pytest" -q
        ;;
    build-site)
        [ $# -eq 3 ] || { echo "usage: ./dev.sh build-site OUT BASE_URL" >&2; exit 2; }
        setup_python
        setup_npm
        exec "$VENV/bin/sitegen" build --out "$2" --base-url "$3"
        ;;
    bench)
        setup_python
        setup_npm
        setup_chromium
        command -v hugo >/dev/null || apt_install hugo "The benchmark builds and serves a Hugo site beside ours"
        exec "$PY" bench/run.py --fresh "${@:2}"
        ;;
    *)
        echo "usage: ./dev.sh serve | test | build-site OUT BASE_URL | bench [OPTION...]" >&2
        exit 2
        ;;
esac
