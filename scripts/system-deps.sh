#!/usr/bin/env bash
# Install the Debian packages anju needs when they are missing: a CJK font (PDFs and
# screenshots), HarfBuzz subsetting (fast PDFs), chromium (browser tests), poppler-utils (PDF
# pages rendered to PNG in tests), PostgreSQL 15
# (the second test database), gettext (translations) and, with --bench, PostGIS (the
# dig-once benchmark's anchor).
# Only root can install; otherwise it says what is missing. With CI=true anything still
# missing is a failure.
set -euo pipefail
want=(fonts-noto-cjk libharfbuzz-subset0 gettext)
[ "${1:-}" = "--test" ] && want+=(chromium postgresql-15 poppler-utils)
[ "${1:-}" = "--bench" ] && want+=(postgresql-15 postgresql-15-postgis-3)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "missing Debian packages (install as root): ${missing[*]}" >&2
if [ "${CI:-}" = "true" ]; then exit 1; fi
