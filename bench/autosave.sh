#!/usr/bin/env bash
# Load test of the autosave API: PUT /api/questionnaire/{token}/answers/{question} from 64 connections (wrk on
# loopback, bounded duration) against `barometre serve` on SQLite, then on PostgreSQL.
#
#   bench/autosave.sh [--connections 64] [--duration 20s] [--warmup 15s] [--collectivites 400] [--databases "sqlite postgres"]
#
# Each run starts from an empty data folder (and a fresh PostgreSQL database): a campaign on the 2019 model
# with N collectivités, their invitation links, then wrk. Every write is a real save: one transaction with the
# answer and its audit entry, acknowledged (200) once committed. PostgreSQL: BAROMETRE_BENCH_POSTGRES (admin
# connection, role with CREATEDB), default the local role .ci/run creates.
set -euo pipefail
cd "$(dirname "$0")/.."

connections=64
duration=20s
warmup=15s
collectivites=400
databases="sqlite postgres"
port=5077
work=${TMPDIR:-/tmp}/barometre-autosave
admin=${BAROMETRE_BENCH_POSTGRES:-"Host=127.0.0.1;Username=barometre;Password=barometre;Database=barometre"}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --connections) connections=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --collectivites) collectivites=$2; shift 2 ;;
    --databases) databases=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "autosave.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

# psql takes a URL where the app takes an Npgsql connection string.
admin_url=$(echo "$admin" | sed -E 's/Host=([^;]*);Username=([^;]*);Password=([^;]*);Database=([^;]*)/postgresql:\/\/\2:\3@\1\/\4/')

if ! command -v wrk >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
  else
    echo "autosave.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 1
  fi
fi

rm -rf "$work" && mkdir -p "$work"
echo "== publishing barometre (Release, ReadyToRun) to $work/cli"
dotnet publish src/Barometre.Cli -c Release -o "$work/cli" -nologo -v q >/dev/null
barometre="$work/cli/barometre"

# The panel and the question ids of the shipped 2019 model.
{
  echo "code,nom,type,population,region,email"
  for ((i = 1; i <= collectivites; i++)); do
    printf 'C%05d,Collectivité fictive %d,Commune,%d,Région %d,contact%d@example.org\n' "$i" "$i" $((5000 + i * 37)) $((i % 13)) "$i"
  done
} >"$work/panel.csv"
grep -oE '^ +- id: [a-z_]+\.[a-z_]+' models/maturite-numerique-2019.yaml | awk '{print $3}' >"$work/questions.txt"
[[ -s "$work/questions.txt" ]] || { echo "autosave.sh: no question id found in models/maturite-numerique-2019.yaml" >&2; exit 1; }

server=""
stop_server() { if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; fi; }
trap stop_server EXIT

summary=()
for database in $databases; do
  data="$work/data-$database"
  options=(--data "$data")
  if [[ $database == postgres ]]; then
    name="barometre_autosave_$$"
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name" >/dev/null
    options+=(--database "$(echo "$admin" | sed -E "s/Database=[^;]*/Database=$name/")")
  fi
  campaign=$("$barometre" campaign create "${options[@]}" --model maturite-numerique-2019 --name "Charge ($database)" --panel "$work/panel.csv")
  "$barometre" campaign invitations "${options[@]}" --campaign "$campaign" --base-url "http://127.0.0.1:$port" --out "$work/links-$database.csv" >/dev/null
  tail -n +2 "$work/links-$database.csv" | tr -d '\r' | awk -F, '{print $NF}' | sed -E 's|.*/q/||' >"$work/tokens-$database.txt"

  Logging__LogLevel__Default=Warning "$barometre" serve "${options[@]}" --urls "http://127.0.0.1:$port" >"$work/serve-$database.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null

  echo "== $database: $connections connections, $duration, $collectivites collectivités × $(wc -l <"$work/questions.txt") questions"
  # A warm-up until the server runs its optimised code (tiered JIT compiles the hot paths in the background over
  # the first seconds under load) and its connection pools are full, then the measured run.
  AUTOSAVE_TOKENS="$work/tokens-$database.txt" AUTOSAVE_QUESTIONS="$work/questions.txt" \
    wrk -t2 -c"$connections" -d"$warmup" -s bench/autosave.lua "http://127.0.0.1:$port" >/dev/null
  AUTOSAVE_TOKENS="$work/tokens-$database.txt" AUTOSAVE_QUESTIONS="$work/questions.txt" \
    wrk -t2 -c"$connections" -d"$duration" --timeout 5s -s bench/autosave.lua "http://127.0.0.1:$port" | tee "$work/wrk-$database.txt"
  stop_server
  writes=$(awk '/acknowledged writes/{print $3}' "$work/wrk-$database.txt")
  latency=$(awk '/latency ms/{print "p50 "$4" ms, p99 "$8" ms"}' "$work/wrk-$database.txt")
  others=$(awk '/^statuses/{sub(/^statuses +/, ""); print}' "$work/wrk-$database.txt")
  summary+=("| $database | $writes | $latency | $others |")
  if [[ $database == postgres ]]; then
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null
  fi
done

echo
echo "Machine: $(nproc) cores; wrk -t2 -c$connections -d$duration on loopback, server and load generator on the same machine."
echo
echo "| database | acknowledged writes/s | latency | HTTP statuses |"
echo "|---|---|---|---|"
printf '%s\n' "${summary[@]}"
