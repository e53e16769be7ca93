#!/usr/bin/env bash
# Starts the release server for the browser tests on a fresh SQLite database.
set -euo pipefail
: "${RT_SERVER_BIN:?set RT_SERVER_BIN to the release server binary}"
: "${RT_SITE_ROOT:?set RT_SITE_ROOT to the site folder built by cargo leptos build}"
DATA_DIR="$(mktemp -d -t rt-e2e-XXXXXX)"
export DATABASE_URL="sqlite://$DATA_DIR/e2e.db"
export LEPTOS_SITE_ROOT="$RT_SITE_ROOT"
export LEPTOS_SITE_ADDR="127.0.0.1:${RT_E2E_PORT:-3100}"
export RUST_LOG="${RUST_LOG:-warn}"
"$RT_SERVER_BIN" migrate
exec "$RT_SERVER_BIN" serve
