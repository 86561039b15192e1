#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium (driven by Playwright through
# executable_path, so Playwright never downloads a browser of its own), a Java runtime for
# the Nu HTML Checker, and the npm packages axe-core and vnu-jar into node_modules/.
# vnu-jar's install script (it fetches a Java runtime) is skipped: Java comes from Debian.
# Idempotent: a second run installs nothing and does not touch the network.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v npm >/dev/null || missing+=(npm)
# Japanese text renders as boxes in screenshots without a CJK font.
fc-list :lang=ja 2>/dev/null | grep -q . || missing+=(fonts-ipafont-gothic)

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-browser: run as root to install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # apt's lists are fetched only when they lack a package we need.
  for package in "${missing[@]}"; do
    if ! apt-cache show "$package" >/dev/null 2>&1; then
      apt-get update -qq
      break
    fi
  done
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ ! -f node_modules/axe-core/axe.min.js || ! -f node_modules/vnu-jar/build/dist/vnu.jar \
      || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
