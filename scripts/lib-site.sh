# Sourced by scripts/load-mixed and scripts/fault-*: starts the release server on a fresh
# database (SQLite file or a new PostgreSQL database) filled with `server demo-data`, creates
# focal points for the countries whose report in the open period can still be edited, and
# finds the open period and the demo survey's open link. Needs a release build
# (cargo leptos build --release) and the load tool (cargo build --release -p rt-load).
#
#   site_prepare ENGINE   sqlite | postgres (RT_FAULT_POSTGRES_URL, default the local server)
#   site_start / site_stop / site_kill
# After site_prepare: $ACCOUNTS (file), $PERIOD, $SURVEY, $BASE, $DATABASE_URL, $WORK.

TARGET_DIR="${TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')}"
BIN="${RT_SERVER_BIN:-$TARGET_DIR/release/server}"
LOAD="${RT_LOAD_BIN:-$TARGET_DIR/release/rt-load}"
[ -x "$BIN" ] || { echo "no release server at $BIN: cargo leptos build --release" >&2; exit 1; }
[ -x "$LOAD" ] || { echo "no load tool at $LOAD: cargo build --release -p rt-load" >&2; exit 1; }
PORT="${RT_FAULT_PORT:-3460}"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d -t rt-fault-XXXXXX)"
SERVER=""
PG_DATABASE=""
ulimit -n 16384 2>/dev/null || ulimit -n "$(ulimit -Hn)"

site_cleanup() {
  site_stop
  if [ -n "$PG_DATABASE" ]; then
    psql -q "${RT_FAULT_POSTGRES_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}" \
      -c "DROP DATABASE IF EXISTS $PG_DATABASE WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap site_cleanup EXIT

# SQL on the site's database, one value per line.
site_sql() {
  case "$DATABASE_URL" in
    sqlite:*) sqlite3 "${DATABASE_URL#sqlite://}" "$1" ;;
    *) psql -qAt "$DATABASE_URL" -c "$1" ;;
  esac
}

site_prepare() {
  local engine="$1"
  case "$engine" in
    sqlite) export DATABASE_URL="sqlite://$WORK/site.db" ;;
    postgres)
      local admin="${RT_FAULT_POSTGRES_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
      PG_DATABASE="rt_fault_$$_$RANDOM"
      psql -q "$admin" -c "CREATE DATABASE $PG_DATABASE" >/dev/null
      export DATABASE_URL="${admin%/*}/$PG_DATABASE" ;;
    *) echo "engine: sqlite or postgres" >&2; exit 1 ;;
  esac
  export LEPTOS_SITE_ROOT="${RT_SITE_ROOT:-$ROOT/target/site}" LEPTOS_SITE_ADDR="127.0.0.1:$PORT"
  export RT_PUBLIC_URL="$BASE" RUST_LOG="${RUST_LOG:-warn}"
  "$BIN" migrate >/dev/null
  "$BIN" demo-data >/dev/null
  PERIOD="$(site_sql "SELECT id FROM reporting_periods WHERE closed_at IS NULL ORDER BY starts_on DESC LIMIT 1")"
  SURVEY="$(site_sql "SELECT open_token FROM surveys WHERE open_token IS NOT NULL AND status = 'open' LIMIT 1")"
  [ -n "$PERIOD" ] && [ -n "$SURVEY" ] || { echo "the demo data has no open period or open survey" >&2; exit 1; }
  ACCOUNTS="$WORK/accounts.txt"
  : >"$ACCOUNTS"
  local iso
  for iso in $(site_sql "SELECT iso2 FROM countries WHERE iso2 NOT IN (SELECT country_iso2 FROM reports WHERE period_id = $PERIOD AND state NOT IN ('draft', 'returned')) ORDER BY iso2 LIMIT ${RT_FAULT_ACCOUNTS:-40}"); do
    # No spaces: the tool reads whitespace-separated fields.
    local email="fp-${iso,,}@load.test" password="load-passphrase-for-$iso"
    printf '%s\n' "$password" | "$BIN" user add --email "$email" --role focal-point \
      --name "Load $iso" --country "$iso" >/dev/null
    printf '%s %s %s\n' "$email" "$password" "$iso" >>"$ACCOUNTS"
  done
}

site_start() {
  "$BIN" serve >>"$WORK/server.log" 2>&1 & SERVER=$!
  local _
  for _ in $(seq 150); do curl -fs "$BASE/health" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "the server did not start" >&2; tail -20 "$WORK/server.log" >&2; exit 1
}

site_stop() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; fi
}

site_kill() {
  if [ -n "$SERVER" ]; then kill -9 "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; fi
}

rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER/status"; }
hwm_mb() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER/status"; }
