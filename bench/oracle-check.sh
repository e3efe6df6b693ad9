#!/usr/bin/env bash
# Checks `barometre compute` against the reference implementation (../shared/oracle) on generated
# panels of 39 and 4,000 collectivités with several seeds, and prints one line per run with the
# comparison's verdict. Exit status 0 only when every comparison reports 0 mismatches.
#   bench/oracle-check.sh [ORACLE_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
ORACLE=${1:-../shared/oracle}
PY=/usr/bin/python3
[ -f "$ORACLE/oracle.py" ] || { echo "oracle not found in $ORACLE" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

dotnet build src/Barometre.Cli -c Release -v q -nologo >/dev/null
BAROMETRE=artifacts/bin/Barometre.Cli/release/barometre
REF="$ORACLE/referential-2019.json"
failures=0
run() { # label, genpanel arguments...
  local label=$1 seed=$2; shift 2
  $PY "$ORACLE/genpanel.py" --seed "$seed" "$@" --out "$WORK/panel.csv" 2>/dev/null
  local model=$REF
  [ -f "$WORK/panel.csv.referential.json" ] && model="$WORK/panel.csv.referential.json"
  $PY "$ORACLE/oracle.py" --referential "$model" --responses "$WORK/panel.csv" --seed "$seed" --out "$WORK/oracle.json"
  "$BAROMETRE" compute --model "$model" --responses "$WORK/panel.csv" --seed "$seed" --out "$WORK/engine.json" 2>/dev/null
  local verdict
  # Bootstrap bounds to 1e-9 too (compare.py allows 1 point by default): the draws are numpy's.
  verdict=$($PY "$ORACLE/compare.py" --ci-abs 1e-9 "$WORK/oracle.json" "$WORK/engine.json" | tail -n 1) || failures=$((failures + 1))
  printf '%-34s seed %-3s %s\n' "$label" "$seed" "$verdict"
  rm -f "$WORK/panel.csv.referential.json"
}
for seed in 1 2 3 4 5; do run "39 x 37" "$seed" --n 39; done
for seed in 1 2 3; do run "4000 x 37 (';', BOM, shuffled)" "$seed" --n 4000 --sep ';' --bom --shuffle-columns; done
run "4000 x 120 questions" 7 --n 4000 --questions 120
run "39 x 37, no type/region" 8 --n 39 --no-type --no-region
echo "oracle-check: $failures failing comparison(s)"
[ "$failures" -eq 0 ]
