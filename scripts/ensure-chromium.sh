#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing; safe to run every time.
# Playwright cannot download its own browser builds here, so playwright-core drives this one.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $CHROMIUM is missing and installing it needs root (apt-get install chromium)" >&2
  exit 1
fi

echo "ensure-chromium: installing Debian's chromium (one time, a minute or two)"
export DEBIAN_FRONTEND=noninteractive
# The package lists on a fresh machine may be empty or stale.
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium) ready"
