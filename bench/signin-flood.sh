#!/usr/bin/env bash
# Does a sign-in flood slow the questionnaire down? Questionnaire traffic (wrk, half GETs and half PUTs of answers on
# random links) alone, then beside 16 connections posting wrong sign-ins — from one client, then spread over many
# clients (a random X-Forwarded-For on each request) — against `barometre serve` on SQLite, loopback only.
#
#   bench/signin-flood.sh [--connections 16] [--flooders 16] [--duration 15s] [--warmup 10s] [--barometre PATH]
#
# --barometre runs an already published command (to compare two versions); by default the CLI is published in
# Release (ReadyToRun) first. Each run starts from an empty data folder: a campaign on the 2019 model with 200
# collectivités and their links, one operator account.
set -euo pipefail
cd "$(dirname "$0")/.."

connections=16
flooders=16
duration=15s
warmup=10s
barometre=""
port=5078
work=${TMPDIR:-/tmp}/barometre-signin-flood
while [[ $# -gt 0 ]]; do
  case "$1" in
    --connections) connections=$2; shift 2 ;;
    --flooders) flooders=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --barometre) barometre=$(realpath "$2"); shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "signin-flood.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "signin-flood.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 1; }

rm -rf "$work" && mkdir -p "$work"
if [[ -z $barometre ]]; then
  echo "== publishing barometre (Release, ReadyToRun) to $work/cli"
  dotnet publish src/Barometre.Cli -c Release -o "$work/cli" -nologo -v q >/dev/null
  barometre="$work/cli/barometre"
fi

{
  echo "code,nom,type,population,region,email"
  for ((i = 1; i <= 200; i++)); do
    printf 'C%05d,Collectivité fictive %d,Commune,%d,Région %d,contact%d@example.org\n' "$i" "$i" $((5000 + i * 37)) $((i % 13)) "$i"
  done
} >"$work/panel.csv"
grep -oE '^ +- id: [a-z_]+\.[a-z_]+' models/maturite-numerique-2019.yaml | awk '{print $3}' >"$work/questions.txt"
data=(--data "$work/data")
campaign=$("$barometre" campaign create "${data[@]}" --model maturite-numerique-2019 --name "Inondation" --panel "$work/panel.csv")
"$barometre" campaign invitations "${data[@]}" --campaign "$campaign" --base-url "http://127.0.0.1:$port" --out "$work/links.csv" >/dev/null
tail -n +2 "$work/links.csv" | tr -d '\r' | awk -F, '{print $NF}' | sed -E 's|.*/q/||' >"$work/tokens.txt"
echo "une phrase de passe assez longue" | "$barometre" admin add operateur@exemple.fr "${data[@]}" --password-stdin >/dev/null

Logging__LogLevel__Default=Warning "$barometre" serve "${data[@]}" --urls "http://127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; kill $(jobs -p) 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done

# One antiforgery pair (cookie and form field) for every flooding request.
page=$(curl -fsS -c "$work/cookies.txt" "http://127.0.0.1:$port/admin/connexion")
export FLOOD_FIELD=$(echo "$page" | grep -oE 'name="__RequestVerificationToken" type="hidden" value="[^"]+"' | sed -E 's/.*value="([^"]+)"/\1/')
export FLOOD_COOKIE=$(awk '$6 ~ /Antiforgery/ {print $6"="$7}' "$work/cookies.txt")
[[ -n $FLOOD_FIELD && -n $FLOOD_COOKIE ]] || { echo "signin-flood.sh: no antiforgery token on the sign-in page" >&2; exit 1; }
export QUESTIONNAIRE_TOKENS="$work/tokens.txt" QUESTIONNAIRE_QUESTIONS="$work/questions.txt"
url="http://127.0.0.1:$port"

questionnaire() { wrk -t1 -c"$connections" -d"$1" --timeout 5s -s bench/questionnaire.lua "$url"; }
flood() { FLOOD_SPREAD=$1 wrk -t1 -c"$flooders" -d"$2" --timeout 10s -s bench/signin-flood.lua "$url"; }

echo "== warm-up ($warmup)"
questionnaire "$warmup" >/dev/null
FLOOD_SPREAD=0 wrk -t1 -c2 -d3s -s bench/signin-flood.lua "$url" >/dev/null

summary=()
for scenario in alone one-client many-clients; do
  echo "== $scenario"
  case $scenario in
    alone) questionnaire "$duration" | tee "$work/$scenario.txt" ;;
    one-client|many-clients)
      spread=$([[ $scenario == many-clients ]] && echo 1 || echo 0)
      flood "$spread" "$((${duration%s} + 4))s" >"$work/$scenario-flood.txt" &
      flooding=$!
      sleep 2
      questionnaire "$duration" | tee "$work/$scenario.txt"
      wait "$flooding"
      cat "$work/$scenario-flood.txt" | grep -E 'Requests/sec|flood statuses'
      # Let a flood's refusals expire before the next scenario.
      sleep 5 ;;
  esac
  ok=$(awk '/questionnaire ok\/s/{print $3}' "$work/$scenario.txt")
  latency=$(awk '/latency ms/{print "p50 "$4" ms, p99 "$6" ms"}' "$work/$scenario.txt")
  flood_rate=$([[ -f $work/$scenario-flood.txt ]] && awk '/Requests\/sec/{printf "%.0f", $2}' "$work/$scenario-flood.txt" || echo "—")
  flood_statuses=$([[ -f $work/$scenario-flood.txt ]] && awk '/^flood statuses/{sub(/^flood statuses +/, ""); print}' "$work/$scenario-flood.txt" || echo "—")
  summary+=("| $scenario | $ok | $latency | $flood_rate | $flood_statuses |")
done

echo
echo "Machine: $(nproc) cores; questionnaire: wrk -t1 -c$connections -d$duration; flood: wrk -t1 -c$flooders; loopback, one machine."
echo
echo "| sign-in flood | questionnaire 200/s | latency | flood req/s | flood statuses |"
echo "|---|---|---|---|---|"
printf '%s\n' "${summary[@]}"
