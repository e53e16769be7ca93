#!/usr/bin/env bash
# Starts the release server for the browser tests on a fresh SQLite database, with one
# administrator created through the CLI as a new user would (`server user add`).
set -euo pipefail
: "${RT_SERVER_BIN:?set RT_SERVER_BIN to the release server binary}"
: "${RT_SITE_ROOT:?set RT_SITE_ROOT to the site folder built by cargo leptos build}"
DATA_DIR="$(mktemp -d -t rt-e2e-XXXXXX)"
export DATABASE_URL="sqlite://$DATA_DIR/e2e.db"
export LEPTOS_SITE_ROOT="$RT_SITE_ROOT"
export LEPTOS_SITE_ADDR="127.0.0.1:${RT_E2E_PORT:-3100}"
# The address the browser uses (playwright.config.js's baseURL): links, the cookie and the
# origin that forms must come from follow it.
export RT_PUBLIC_URL="http://$LEPTOS_SITE_ADDR"
export RUST_LOG="${RUST_LOG:-warn}"
"$RT_SERVER_BIN" migrate
printf '%s\n' "admin passphrase for the browser tests" | "$RT_SERVER_BIN" user add \
  --email admin@e2e.test --role admin --name "Erika Admin" >/dev/null
for project in ssr:PT hydrate:IE guard:LU audit:MT fr-ssr:BE fr-hydrate:FR keys-ssr:EE keys-hydrate:LV xl-ssr:ES xl-hydrate:NL hostile-ssr:HR hostile-hydrate:SI; do
  printf '%s\n' "focal point passphrase for the browser tests" | "$RT_SERVER_BIN" user add \
    --email "fp-${project%%:*}@e2e.test" --role focal-point --name "Focal Point ${project##*:}" \
    --country "${project##*:}" >/dev/null
done
# Read-only roles for the accessibility audit.
printf '%s\n' "viewer passphrase for the browser tests" | "$RT_SERVER_BIN" user add \
  --email viewer@e2e.test --role viewer --name "Vera Viewer" >/dev/null
printf '%s\n' "member passphrase for the browser tests" | "$RT_SERVER_BIN" user add \
  --email member@e2e.test --role member --name "Max Member" --organisation "E2E Society" \
  --member-type professional-society --member-country AT >/dev/null
# Members the surveys' tests invite (two per project, one organisation per project).
for project in ssr:FR hydrate:IT; do
  for who in a b; do
    printf '%s\n' "member passphrase for the browser tests" | "$RT_SERVER_BIN" user add \
      --email "survey-${project%%:*}-$who@e2e.test" --role member --name "Survey Member ${project%%:*} $who" \
      --organisation "Survey Society ${project%%:*}" --member-type research --member-country "${project##*:}" >/dev/null
  done
done
exec "$RT_SERVER_BIN" serve
