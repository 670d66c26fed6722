#!/usr/bin/env bash
# Installs a Debian package that a test needs when its probe fails, as the README promises:
# the test command sets up a fresh machine by itself. Needs root or password-less sudo.
# Usage: ensure-debian-package.sh PACKAGE PROBE-COMMAND...
set -euo pipefail
PACKAGE="$1"
shift
if "$@" >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1 || ! sudo -n true 2>/dev/null; then
    echo "This test needs the Debian package '$PACKAGE', which is not installed; installing it needs root" \
         "or password-less sudo. Install it with: sudo apt-get install $PACKAGE" >&2
    exit 1
  fi
  SUDO="sudo -n"
fi
# A fresh machine has no package lists yet: update them once before installing.
$SUDO apt-get update -qq >/dev/null || true
if ! $SUDO apt-get install -y -qq "$PACKAGE" >/dev/null; then
  echo "Could not install the Debian package '$PACKAGE' that this test needs (apt-get install failed)." >&2
  exit 1
fi
