#!/usr/bin/env bash
# Latency of the public results API on a published campaign of 40,000 synthetic collectivités: every filter the
# secrecy plan offers (type, region, population band and their combinations) requested once, uncached — the
# core computation on the subset, without the silhouette — then again from the cache.
#
#   bench/dashboard.sh [--respondents 40000] [--port 5079]
set -euo pipefail
cd "$(dirname "$0")/.."

respondents=40000
port=5079
work=${TMPDIR:-/tmp}/barometre-dashboard
while [[ $# -gt 0 ]]; do
  case "$1" in
    --respondents) respondents=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "dashboard.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v python3 >/dev/null || { echo "dashboard.sh: python3 is needed to read the JSON and compute percentiles" >&2; exit 1; }

rm -rf "$work" && mkdir -p "$work"
echo "== publishing barometre (Release, ReadyToRun) to $work/cli"
dotnet publish src/Barometre.Cli -c Release -o "$work/cli" -nologo -v q >/dev/null
barometre="$work/cli/barometre"

echo "== a published campaign of $respondents synthetic collectivités"
"$barometre" demo --summary-only --respondents "$respondents" --out "$work/panel" >/dev/null
# The panel file: the identification columns of the synthetic answers.
cut -d, -f1-5 "$work/panel/panel-synthetique.csv" >"$work/panel.csv"
data=(--data "$work/data")
campaign=$("$barometre" campaign create "${data[@]}" --model maturite-numerique-2019 --name "Tableau de bord ($respondents)" --panel "$work/panel.csv")
"$barometre" campaign import-answers "${data[@]}" --campaign "$campaign" --responses "$work/panel/panel-synthetique.csv" --submit >/dev/null
"$barometre" campaign close "${data[@]}" --campaign "$campaign" >/dev/null
"$barometre" campaign publish "${data[@]}" --campaign "$campaign" >/dev/null

Logging__LogLevel__Default=Warning "$barometre" serve "${data[@]}" --urls "http://127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done

base="http://127.0.0.1:$port/api/campaigns/$campaign/results"
# The first request loads the panel and builds the secrecy plan (once per publication).
first=$(curl -fsS -o "$work/whole.json" -w '%{time_total}' "$base")
echo "whole panel, first request (snapshot loaded, secrecy plan built): ${first} s"

python3 - "$base" "$work" <<'PY'
import csv, sys, time, itertools, urllib.request, urllib.parse, urllib.error
base, work = sys.argv[1], sys.argv[2]
# The values each criterion takes, from the panel file (the API validates them against the plan).
rows = list(csv.DictReader(open(work + "/panel.csv", encoding="utf-8-sig")))
types = sorted({r["type"] for r in rows if r["type"]})
regions = sorted({r["region"] for r in rows if r["region"]})
# The population bands of Barometre.Core.Publication.PopulationBands.
bands = ["moins-20000", "20000-50000", "50000-100000", "100000-250000", "250000-plus"]
def get(query):
    url = base + ("?" + urllib.parse.urlencode(query) if query else "")
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as e:
        body, status = e.read(), e.code
    return time.perf_counter() - start, status, body
filters = []
for t, r, b in itertools.product([None] + types, [None] + regions, [None] + bands):
    query = {k: v for k, v in (("type", t), ("region", r), ("populationBand", b)) if v is not None}
    if query:
        filters.append(query)
cold, warm, statuses = [], [], {}
for query in filters:
    elapsed, status, body = get(query)
    statuses[status] = statuses.get(status, 0) + 1
    if status == 200:
        cold.append(elapsed * 1000)
for query in filters:
    elapsed, status, body = get(query)
    if status == 200:
        warm.append(elapsed * 1000)
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]
print(f"{len(filters)} filters (types {len(types)}, regions {len(regions)}, bands {len(bands)}); statuses {statuses}")
print(f"uncached: p50 {pct(cold, 50):.1f} ms, p95 {pct(cold, 95):.1f} ms, max {max(cold):.1f} ms")
print(f"cached:   p50 {pct(warm, 50):.1f} ms, p95 {pct(warm, 95):.1f} ms, max {max(warm):.1f} ms")
PY
