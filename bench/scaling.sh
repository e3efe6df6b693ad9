#!/usr/bin/env bash
# How each cost grows with the number of collectivités n (37 questions) and with the number of questions q
# (n = 40,000): four sizes each and the exponent of a least-squares fit of log(time) on log(size).
#   1. each kernel alone, warm, in process (`Barometre.Benchmarks scaling`, synthetic panels, median of 5);
#   2. the whole process, phase by phase: median of --runs runs of `compute --timings` on panels from
#      ../shared/oracle/genpanel.py (seed 7). From the silhouette on, phases overlap (see docs/performance.md).
#
#   bench/scaling.sh [--runs 3] [--work DIR] [--oracle DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=3
work=${TMPDIR:-/tmp}/barometre-scaling
oracle_dir=${BAROMETRE_ORACLE:-$root/../shared/oracle}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --oracle) oracle_dir=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "scaling.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -f "$oracle_dir/genpanel.py" ]] || { echo "scaling.sh: no panel generator at $oracle_dir (set --oracle)" >&2; exit 1; }
mkdir -p "$work"
echo "== each kernel alone, warm, in process"
dotnet run -c Release --project bench/Barometre.Benchmarks -- scaling
echo
echo "== the whole process, phase by phase (compute --timings)"
dotnet publish src/Barometre.Cli -c Release -o "$work/cli" -nologo -v q >/dev/null

measure() { # label size model csv
  for ((i = 1; i <= runs; i++)); do
    "$work/cli/barometre" compute --model "$3" --responses "$4" --seed 7 --bootstrap 1000 --out "$work/out.json" --timings 2>&1 >/dev/null |
      sed -nE "s/^(.*[^ ]) +([0-9.]+) ms\$/$1\t$2\t$i\t\1\t\2/p" # the phases' lines, not the vector path's
  done
}

: >"$work/timings.tsv"
for n in 5000 10000 20000 40000; do
  csv="$work/n$n.csv"
  [[ -s $csv ]] || /usr/bin/python3 "$oracle_dir/genpanel.py" --n "$n" --seed 7 --out "$csv" >/dev/null
  measure n "$n" "$oracle_dir/referential-2019.json" "$csv" >>"$work/timings.tsv"
done
for q in 37 74 148 200; do
  csv="$work/q$q.csv"
  model="$oracle_dir/referential-2019.json"
  if [[ $q != 37 ]]; then
    model="$work/q$q.referential.json"
    [[ -s $csv ]] || /usr/bin/python3 "$oracle_dir/genpanel.py" --n 40000 --seed 7 --questions "$q" --out "$csv" --ref-out "$model" >/dev/null
  else
    [[ -s $csv ]] || /usr/bin/python3 "$oracle_dir/genpanel.py" --n 40000 --seed 7 --out "$csv" >/dev/null
  fi
  measure q "$q" "$model" "$csv" >>"$work/timings.tsv"
done

python3 - "$work/timings.tsv" <<'PY'
import sys, math, statistics, collections
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
times = collections.defaultdict(list)
for label, size, run, phase, ms in rows:
    times[(label, int(size), phase)].append(float(ms))
phases = list(dict.fromkeys(r[3] for r in rows))
for label, title in (("n", "collectivités n (37 questions)"), ("q", "questions q (n = 40 000)")):
    sizes = sorted({s for (l, s, _) in times if l == label})
    print(f"\n| phase | " + " | ".join(f"{title.split()[0]} = {s}" for s in sizes) + " | exponent |")
    print("|---|" + "---|" * (len(sizes) + 1))
    for phase in phases:
        medians = [statistics.median(times[(label, s, phase)]) for s in sizes]
        xs = [math.log(s) for s in sizes]
        ys = [math.log(max(m, 0.05)) for m in medians]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        print(f"| {phase} | " + " | ".join(f"{m:.1f} ms" for m in medians) + f" | {slope:.2f} |")
PY
