#!/usr/bin/env bash
# Regenerates the conformance fixtures of tests/Barometre.Data.Tests/Specs from the reference
# implementation (../shared/oracle: numpy, scipy, scikit-learn). Tests never call the oracle: they
# read the expected results this script stored. Run from the repository root:
#   bench/oracle-specs.sh [ORACLE_DIR]
set -euo pipefail
ORACLE=${1:-../shared/oracle}
PY=/usr/bin/python3
SPECS=tests/Barometre.Data.Tests/Specs
[ -f "$ORACLE/oracle.py" ] || { echo "oracle not found in $ORACLE" >&2; exit 1; }

mini_model() {
  cat <<'JSON'
{
  "id": "mini",
  "title": "Mini référentiel de test",
  "themes": [
    {"id": "a", "title": "Thème A", "weight": 1, "questions": [{"id": "a.q1", "label": "Question A1"}, {"id": "a.q2", "label": "Question A2"}]},
    {"id": "b", "title": "Thème B", "weight": 2, "questions": [{"id": "b.q1", "label": "Question B1"}, {"id": "b.q2", "label": "Question B2"}, {"id": "b.q3", "label": "Question B3"}]},
    {"id": "c", "title": "Thème C", "weight": 0.5, "questions": [{"id": "c.q1", "label": "Question C1"}, {"id": "c.q2", "label": "Question C2"}]}
  ],
  "indicators": [
    {"id": "a-engage", "question": "a.q1", "predicate": ">= 3", "statement": "{value} des collectivités ont engagé A1"},
    {"id": "b-non-aborde", "question": "b.q2", "predicate": "= 0"},
    {"id": "c-peu", "question": "c.q2", "predicate": "<= 1"}
  ]
}
JSON
}

write_case() { # name, then the CSV on stdin; uses the mini model
  local dir=$SPECS/$1
  mkdir -p "$dir"
  mini_model > "$dir/model.json"
  cat > "$dir/responses.csv"
}

# Hand-made panels on the mini model: each exercises one rule of the contract.
write_case mini-hand <<'CSV'
code,nom,type,population,region,a.q1,a.q2,b.q1,b.q2,b.q3,c.q1,c.q2
C01,Alpha,metropole,500000,Bretagne,4,3,4,4,3,2,3
C02,Bêta,commune,12000,Bretagne,0,1,0,0,1,0,1
C03,Gamma,commune,8000,Normandie,2,,2,NSP,1,2,2
C04,Delta,metropole,300000,Normandie,3,3,4,3,NC,4,4
C05,"Epsilon, la ville",agglomeration,90000,Occitanie,1,NSP,0,,,1,0
C06,Zêta,agglomeration,70000,Occitanie,3,2,3,3,2,NC,nsp
C07,Êta,commune,15000,Bretagne,2,2,1,2,2,3,2
C08,Thêta,,,,4,4,3,4,4,4,3
C09,Iota,commune,5000,Normandie,1,0,2,1,1,0,0
C10,Kappa,metropole,250000,Occitanie,3,4,3,3,4,3,4
CSV

write_case all-nsp <<'CSV'
code,nom,a.q1,a.q2,b.q1,b.q2,b.q3,c.q1,c.q2
N1,Un,NSP,NSP,NC,NSP,,NC,NSP
N2,Deux,NC,,NSP,NSP,NSP,NSP,NC
N3,Trois,,NSP,NSP,NC,NSP,,NSP
N4,Quatre,nsp,nc,NSP,NSP,NSP,NSP,NSP
CSV

write_case one-respondent <<'CSV'
code,nom,type,a.q1,a.q2,b.q1,b.q2,b.q3,c.q1,c.q2
SOLO,Seule,commune,3,2,4,NSP,1,2,0
CSV

write_case constant-answers <<'CSV'
code,nom,a.q1,a.q2,b.q1,b.q2,b.q3,c.q1,c.q2
K1,Un,2,2,2,2,2,2,2
K2,Deux,2,2,2,2,2,2,2
K3,Trois,2,2,2,2,2,2,2
K4,Quatre,2,2,2,2,2,2,2
K5,Cinq,2,2,2,2,2,2,2
K6,Six,2,2,2,2,2,2,2
CSV

# Only two respondents have a global index: fewer than k = 3, so no segment.
write_case few-segmentable <<'CSV'
code,nom,a.q1,a.q2,b.q1,b.q2,b.q3,c.q1,c.q2
F1,Un,3,2,4,3,2,1,2
F2,Deux,1,1,0,1,2,0,1
F3,Trois,4,,NSP,,,,3
F4,Quatre,,,2,3,,,
F5,Cinq,,NSP,,,1,2,2
CSV

# Two levels only: Spearman's ranks are full of ties.
write_case spearman-ties <<'CSV'
code,nom,a.q1,a.q2,b.q1,b.q2,b.q3,c.q1,c.q2
T01,Un,1,1,1,3,1,1,1
T02,Deux,3,3,3,3,3,3,1
T03,Trois,1,3,1,1,1,3,3
T04,Quatre,3,1,3,3,1,1,1
T05,Cinq,1,1,1,1,3,3,3
T06,Six,3,3,3,1,3,3,3
T07,Sept,1,3,1,1,1,1,1
T08,Huit,3,3,1,3,3,3,1
T09,Neuf,1,1,3,1,1,1,3
T10,Dix,3,1,3,3,3,1,1
T11,Onze,1,1,1,1,1,3,1
T12,Douze,3,3,3,3,3,3,3
CSV

# Panels from the generator: the 2019 model, and a 60-question model read from JSON.
mkdir -p "$SPECS/panel-2019-39" "$SPECS/synthetic-60q"
$PY "$ORACLE/genpanel.py" --n 39 --seed 1 --out "$SPECS/panel-2019-39/responses.csv"
$PY "$ORACLE/genpanel.py" --n 80 --seed 3 --questions 60 --sep ';' --bom --shuffle-columns --no-region \
  --out "$SPECS/synthetic-60q/responses.csv" --ref-out "$SPECS/synthetic-60q/model.json" 2>/dev/null

for dir in "$SPECS"/*/; do
  name=$(basename "$dir")
  ref="$dir/model.json"
  [ -f "$ref" ] || ref=$ORACLE/referential-2019.json     # panel-2019-39 uses the shipped model
  $PY "$ORACLE/oracle.py" --referential "$ref" --responses "$dir/responses.csv" --seed 42 --bootstrap 1000 --k 3 \
    --out "$dir/expected.json"
  echo "$name: oracle.py --referential $(basename "$ref") --responses responses.csv --seed 42 --bootstrap 1000 --k 3" >&2
done
