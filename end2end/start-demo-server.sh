#!/usr/bin/env bash
# The demo instance the dashboards' browser tests read: a fresh SQLite database filled by
# `server demo-data`, as `scripts/demo` fills one for a newcomer, plus a viewer to sign in with
# (the demo's own accounts get random passwords).
set -euo pipefail
: "${RT_SERVER_BIN:?set RT_SERVER_BIN to the release server binary}"
: "${RT_SITE_ROOT:?set RT_SITE_ROOT to the site folder built by cargo leptos build}"
DATA_DIR="$(mktemp -d -t rt-e2e-demo-XXXXXX)"
export DATABASE_URL="sqlite://$DATA_DIR/demo.db"
export LEPTOS_SITE_ROOT="$RT_SITE_ROOT"
export LEPTOS_SITE_ADDR="127.0.0.1:${RT_E2E_DEMO_PORT:-3101}"
# The address the browser uses (playwright.config.js's baseURL): links, the cookie and the
# origin that forms must come from follow it.
export RT_PUBLIC_URL="http://$LEPTOS_SITE_ADDR"
export RUST_LOG="${RUST_LOG:-warn}"
"$RT_SERVER_BIN" migrate
printf '%s\n' "viewer passphrase for the browser tests" | "$RT_SERVER_BIN" user add \
  --email viewer@e2e.test --role viewer --name "Vera Viewer" >/dev/null
"$RT_SERVER_BIN" demo-data >/dev/null
exec "$RT_SERVER_BIN" serve
