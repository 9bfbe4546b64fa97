#!/usr/bin/env bash
# Serve anju on http://127.0.0.1:8000 with a background task worker beside it.
set -euo pipefail
ANJU=.venv/bin/anju
$ANJU worker &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "anju: http://127.0.0.1:8000  (task worker pid $worker; Ctrl-C stops both)"
$ANJU runserver 127.0.0.1:8000 --noreload
