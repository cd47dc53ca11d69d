#!/usr/bin/env bash
# Debian packages the tests need (run as root). The service itself needs none of them:
# - dovecot-imapd: a real IMAP server for the IMAP source tests (started by the tests on loopback)
# - chromium: the browser tests of the review site and the report (driven by playwright-core)
# - fonts-noto-cjk, fonts-wqy-*, fonts-arphic-*, fonts-dejavu-core: the fonts the fixture generator renders
#   ballots with (its tests render a few pages), and Chinese text in browser screenshots
# - openssl: self-signed certificates for the IMAP TLS tests
# - procps: pgrep, used by a test of the PDF reader process
# - g++, make, python3: npm ci builds better-sqlite3 from source when its prebuilt binary cannot be
#   downloaded (run this script before npm ci)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(dovecot-imapd chromium fonts-noto-cjk fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-uming fonts-dejavu-core openssl ca-certificates procps g++ make python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
# The Debian package may start a system-wide Dovecot on 143/993; the tests run their own on a free port.
