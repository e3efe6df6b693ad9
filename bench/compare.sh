#!/usr/bin/env bash
# Whole-process comparison of `barometre compute` with the reference pipeline (../shared/oracle/oracle.py:
# numpy, scipy, scikit-learn on OpenBLAS) on the same generated panels, in the same run.
#
#   bench/compare.sh [--runs N] [--oracle-runs N] [--panels "40000x37 40000x200 39x37"] [--isa "native avx2 128 scalar"]
#                    [--work DIR] [--oracle DIR]
#
# For each panel: generate it with the oracle's genpanel.py (seed 7), run both once and check with compare.py
# that they agree (any mismatch stops the script before a single time is reported), then alternate the two
# programs --runs times (barometre) / --oracle-runs times (reference) and print the median wall time, the peak
# resident memory (/usr/bin/time -v) and the ratio. B = 1000 bootstrap replicates, seed 7, k = 3.
# --isa (default native): barometre also runs as processors with fewer vector instructions do, through the runtime's
# switches — avx2: DOTNET_EnableAVX512=0 (and its older name DOTNET_EnableAVX512F=0); 128: DOTNET_EnableAVX2=0 (128-bit
# vectors, as ARM64's); scalar: DOTNET_EnableHWIntrinsic=0 — in the same alternation; its results under each switch must
# be byte for byte the native ones (cmp) before any time is reported. One table per instruction set.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

runs=5
oracle_runs=3
panels="39x37 40000x37 40000x200"
isas=native
work=${TMPDIR:-/tmp}/barometre-compare
oracle_dir=${BAROMETRE_ORACLE:-$root/../shared/oracle}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --oracle-runs) oracle_runs=$2; shift 2 ;;
    --panels) panels=$2; shift 2 ;;
    --isa) isas=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --oracle) oracle_dir=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

# The runtime's switches that make this processor run as one with fewer vector instructions.
knobs() {
  case "$1" in
    native) ;;
    avx2) echo "DOTNET_EnableAVX512=0 DOTNET_EnableAVX512F=0" ;;
    128) echo "DOTNET_EnableAVX2=0" ;;
    scalar) echo "DOTNET_EnableHWIntrinsic=0" ;;
    *) return 1 ;;
  esac
}
for isa in $isas; do
  knobs "$isa" >/dev/null || { echo "compare.sh: unknown --isa $isa (native, avx2, 128 or scalar)" >&2; exit 2; }
done

python=/usr/bin/python3
[[ -f "$oracle_dir/oracle.py" ]] || { echo "compare.sh: no reference at $oracle_dir (set --oracle or BAROMETRE_ORACLE)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "compare.sh: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 1; }
if ! "$python" -c 'import numpy, scipy, sklearn, pandas' 2>/dev/null; then
  echo "compare.sh: the reference needs Debian's scientific Python: apt-get install -y python3-sklearn python3-pandas" >&2
  exit 1
fi
# The reference's stated baseline runs numpy on OpenBLAS with 2 threads, not on the single-threaded netlib BLAS.
if ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]]; then
    echo "== installing libopenblas0-pthread (the reference's baseline BLAS)"
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libopenblas0-pthread >/dev/null
  else
    echo "compare.sh: WARNING: libopenblas0-pthread is not installed; the reference runs on netlib BLAS (slower than its baseline)" >&2
  fi
fi

mkdir -p "$work"
echo "== publishing barometre (Release, ReadyToRun) to $work/cli"
dotnet publish src/Barometre.Cli -c Release -o "$work/cli" -nologo -v q >/dev/null
barometre="$work/cli/barometre"
# Each instruction set's vector path, as barometre itself reports it (a switch the runtime ignores shows here).
declare -A path_line
for isa in $isas; do
  # shellcheck disable=SC2046 # the switches are separate VAR=0 words
  path_line[$isa]=$(env $(knobs "$isa") "$barometre" --version | grep '^Vecteurs : ')
  echo "   $isa: ${path_line[$isa]}"
done

# Prints "<seconds> <peak KiB>" of one run of the command, its outputs discarded.
measure() {
  local stats="$work/time.txt"
  /usr/bin/time -v -o "$stats" "$@" >/dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt" >&2; cat "$stats" >&2; return 1; }
  awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]}
              /Maximum resident set size/{m=$2} END{printf "%.3f %d\n", s, m}' "$stats"
}

median() { sort -g | awk '{v[NR]=$1} END{if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
max() { sort -g | tail -1; }

declare -A summary
for panel in $panels; do
  n=${panel%x*}
  q=${panel#*x}
  csv="$work/panel-$panel.csv"
  referential="$oracle_dir/referential-2019.json"
  if [[ $q != 37 ]]; then
    referential="$work/panel-$panel.referential.json"
  fi
  if [[ ! -s $csv || ! -s $referential ]]; then
    echo "== generating $n x $q (genpanel.py, seed 7)"
    if [[ $q == 37 ]]; then
      "$python" "$oracle_dir/genpanel.py" --n "$n" --seed 7 --out "$csv" >/dev/null
    else
      "$python" "$oracle_dir/genpanel.py" --n "$n" --seed 7 --questions "$q" --out "$csv" --ref-out "$referential" >/dev/null
    fi
  fi

  # ours ISA [WRAPPER...]: barometre under the instruction set's switches (through WRAPPER), writing its own results file.
  ours() {
    local isa=$1
    shift
    # shellcheck disable=SC2046 # the switches are separate VAR=0 words
    "$@" env $(knobs "$isa") "$barometre" compute --model "$referential" --responses "$csv" --seed 7 --bootstrap 1000 --k 3 \
      --out "$work/barometre-$panel$([[ $isa == native ]] || echo "-$isa").json"
  }
  reference=("$python" "$oracle_dir/oracle.py" --referential "$referential" --responses "$csv" --seed 7 --bootstrap 1000 --k 3 --out "$work/oracle-$panel.json")

  echo "== $n x $q: checking that both agree"
  ours native 2>/dev/null
  "${reference[@]}"
  if ! check=$("$python" "$oracle_dir/compare.py" "$work/oracle-$panel.json" "$work/barometre-$panel.json"); then
    echo "$check" >&2
    echo "compare.sh: barometre and the reference disagree on $n x $q: no time reported." >&2
    exit 1
  fi
  echo "   ${check##*$'\n'}"
  for isa in $isas; do
    [[ $isa == native ]] && continue
    echo "== $n x $q: checking that barometre under $(knobs "$isa") writes the native results byte for byte"
    ours "$isa" 2>/dev/null
    if ! cmp "$work/barometre-$panel.json" "$work/barometre-$panel-$isa.json"; then
      echo "compare.sh: barometre's results under $(knobs "$isa") differ from the native ones on $n x $q: no time reported." >&2
      exit 1
    fi
  done

  : >"$work/reference.txt"
  for isa in $isas; do : >"$work/ours-$isa.txt"; done
  for ((i = 1; i <= runs; i++)); do
    for isa in $isas; do
      ours "$isa" measure >>"$work/ours-$isa.txt"
    done
    if ((i <= oracle_runs)); then
      measure "${reference[@]}" >>"$work/reference.txt"
    fi
  done
  ref_s=$(cut -d' ' -f1 "$work/reference.txt" | median)
  ref_mb=$(( $(cut -d' ' -f2 "$work/reference.txt" | max) / 1024 ))
  echo "   reference: $(tr '\n' ' ' <"$work/reference.txt" | awk '{for(i=1;i<=NF;i+=2) printf "%s s  ", $i}')"
  for isa in $isas; do
    ours_s=$(cut -d' ' -f1 "$work/ours-$isa.txt" | median)
    ours_mb=$(( $(cut -d' ' -f2 "$work/ours-$isa.txt" | max) / 1024 ))
    ratio=$(awk -v a="$ref_s" -v b="$ours_s" 'BEGIN{printf "%.1f", a/b}')
    echo "   barometre ($isa): $(tr '\n' ' ' <"$work/ours-$isa.txt" | awk '{for(i=1;i<=NF;i+=2) printf "%s s  ", $i}')"
    summary[$isa]+="$(printf '| %s × %s | %s s | %s MB | %s s | %s MB | %s× |' "$n" "$q" "$ours_s" "$ours_mb" "$ref_s" "$ref_mb" "$ratio")"$'\n'
  done
done

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); B = 1000, seed 7, k = 3;"
processor=$(awk -F'\t*: ' '$1 == "model name"{name=$2} $1 == "cpu family"{family=$2} $1 == "model"{model=$2}
                 /^$/{exit} END{print name " (family " family ", model " model ")"}' /proc/cpuinfo)
flags=$(awk -F': ' '/^flags/{print " " $2 " "; exit}' /proc/cpuinfo)
echo "processor: $processor, avx512f: $([[ $flags == *" avx512f "* ]] && echo yes || echo no), avx2: $([[ $flags == *" avx2 "* ]] && echo yes || echo no);"
echo "medians of $runs runs (barometre) and $oracle_runs runs (reference), alternating; results identical (compare.py: 0 mismatches)$(
  [[ $isas == native ]] || echo ", and under every instruction set byte for byte the native ones")."
for isa in $isas; do
  echo
  echo "$isa$([[ $isa == native ]] || echo " ($(knobs "$isa"))"): ${path_line[$isa]}"
  echo
  echo "| panel | barometre (median wall) | barometre peak RSS | reference (median wall) | reference peak RSS | ratio |"
  echo "|---|---|---|---|---|---|"
  printf '%s' "${summary[$isa]}"
done
