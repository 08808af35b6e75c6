#!/bin/bash
# Round 8 of docs/tabular-recipe.md: bench tabular on the small tables (< 10,000 training rows) over several seeds,
# with the small-table variants, then the per-table summary over the seeds.
# Usage (from the repository root): tools/RecipeEvidence/small-tables/run.sh OUT_DIR [SEED ...]   (default seeds: 42 1 2 3)
# VARIANTS overrides the variants (names of Bench/Tabular/Ablation.cs), DATASETS the datasets.
set -euo pipefail
out=${1:?usage: run.sh OUT_DIR [SEED ...]}; shift
seeds=("$@"); [ ${#seeds[@]} -eq 0 ] && seeds=(42 1 2 3)
datasets=${DATASETS:-arrests,flchain_death,wvs_poverty,chile_vote,slid_logwage,txhousing_logmedian,housing,breast_cancer,anes96_vote}
variants=${VARIANTS:-refit,ensemble 5,ensemble 5 + refit,1 member without refit}
mkdir -p "$out"
MSBUILDDISABLENODEREUSE=1 nice -n 19 dotnet build -c Release src/Samples/BnMlNet.Samples -nodeReuse:false > "$out/build.log"
for s in "${seeds[@]}"; do
  nice -n 19 dotnet src/Samples/BnMlNet.Samples/bin/Release/net10.0/BnMlNet.Samples.dll bench tabular --datasets "$datasets" \
    --seed "$s" --ablations "$variants" --out "$out/seed$s" --force > "$out/seed$s.log" 2>&1
done
logs=(); for s in "${seeds[@]}"; do logs+=("$out/seed$s.log"); done
python3 "$(dirname "$0")/aggregate.py" "${logs[@]}"
