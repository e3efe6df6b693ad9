#!/usr/bin/env bash
# Durability run of the reliability suite (docs/security.md): 64 writers autosave answers through the HTTP API of a
# real `barometre serve` (loopback) for 30 s; the server is killed with SIGKILL and restarted on the same data during
# the run, and once more at its end; then every answer acknowledged with 200 must read back with its last
# acknowledged value. On SQLite, then on PostgreSQL (a fresh database per run, dropped after).
#
#   bench/durability.sh [--duration 30s] [--kills 2] [--writers 64] [--collectivites 32] [--databases "sqlite postgres"] [--rewind 0]
#
# Prints, per database, the kills, the requests, the acknowledged writes, the lost answers (must be 0) and the errors
# by kind; exits 1 when an answer was lost. --rewind N checks the checker: N acknowledged answers are written back to
# an older value before the read-back, which must then find exactly N lost. PostgreSQL: BAROMETRE_BENCH_POSTGRES
# (admin connection, role with CREATEDB), default the local role .ci/run creates. Bounded: every wait of the program
# has a timeout.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=30s
kills=2
writers=64
collectivites=32
databases="sqlite postgres"
rewind=0
work=${TMPDIR:-/tmp}/barometre-durability
admin=${BAROMETRE_BENCH_POSTGRES:-"Host=127.0.0.1;Username=barometre;Password=barometre;Database=barometre"}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    --writers) writers=$2; shift 2 ;;
    --collectivites) collectivites=$2; shift 2 ;;
    --databases) databases=$2; shift 2 ;;
    --rewind) rewind=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "durability.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

# psql takes a URL where the app takes an Npgsql connection string.
admin_url=$(echo "$admin" | sed -E 's/Host=([^;]*);Username=([^;]*);Password=([^;]*);Database=([^;]*)/postgresql:\/\/\2:\3@\1\/\4/')
database_name=""
drop_database() {
  if [[ -n $database_name ]]; then PGOPTIONS=--client-min-messages=warning psql "$admin_url" -qc "DROP DATABASE IF EXISTS $database_name WITH (FORCE)" >/dev/null || true; database_name=""; fi
}
trap drop_database EXIT

rm -rf "$work" && mkdir -p "$work"
echo "== publishing barometre (Release, ReadyToRun) to $work/cli"
dotnet publish src/Barometre.Cli -c Release -o "$work/cli" -nologo -v q >/dev/null
echo "== building bench/Barometre.Durability"
dotnet build bench/Barometre.Durability -c Release -nologo -v q >/dev/null

status=0
summary=()
for database in $databases; do
  options=(--barometre "$work/cli/barometre" --work "$work/$database" --label "$database"
    --duration "$duration" --kills "$kills" --writers "$writers" --collectivites "$collectivites" --rewind "$rewind")
  case "$database" in
    sqlite) ;;
    postgres)
      database_name="barometre_durability_$$"
      PGOPTIONS=--client-min-messages=warning psql "$admin_url" -qc "DROP DATABASE IF EXISTS $database_name WITH (FORCE)" -c "CREATE DATABASE $database_name" >/dev/null
      options+=(--database "$(echo "$admin" | sed -E "s/Database=[^;]*/Database=$database_name/")") ;;
    *) echo "durability.sh: unknown database $database (sqlite or postgres)" >&2; exit 2 ;;
  esac
  set +e
  dotnet run --no-build -c Release --project bench/Barometre.Durability -- "${options[@]}" | tee "$work/$database.txt"
  rc=${PIPESTATUS[0]}
  set -e
  drop_database
  [[ $rc -eq 0 ]] || status=1
  field() { awk -v name="$1" '$1 == name { sub(/^[a-z]+ +/, ""); print; exit }' "$work/$database.txt"; }
  # Over the kills during the writes: the writes in flight, and how many of them had committed.
  in_flight=$(awk '/^kill [0-9]/ { match($0, /[0-9]+ writes in flight/); f += substr($0, RSTART, RLENGTH) + 0;
    match($0, /[0-9]+ had committed/); c += substr($0, RSTART, RLENGTH) + 0; n++ } END { printf "%d kills: %d in flight, %d committed", n, f, c }' "$work/$database.txt")
  summary+=("| $database | $(field requests) | $(field acknowledged | awk '{print $1}') | $(field lost) | $(field errors) | $in_flight |")
done

echo
echo "Machine: $(nproc) cores; $writers writers for $duration on loopback, server and writers on the same machine."
echo
echo "| database | requests | acknowledged | lost | errors | kills (and the final one) |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${summary[@]}"
exit "$status"
