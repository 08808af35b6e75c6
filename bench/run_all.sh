#!/usr/bin/env bash
# Runs both sides of the performance goals on this machine and prints the ratios (docs/performance.md).
#   bench/run_all.sh [--epochs N] [--quick]
# Without --quick it also trains 10 epochs with seeds 1, 2 and 3 on both sides (accuracy: mean and range) and runs
# the SdcaMaximumEntropy comparison. Adult trains the trainer's default recipe (issue 13, goal 2), and the memory probe
# runs both the plain network and the default recipe's data steps (goal 6).
# Needs: the .NET SDK, /usr/bin/python3 with python3-torch and python3-numpy, OpenBLAS as libblas.so.3
# (apt-get install -y libopenblas0-pthread python3-threadpoolctl), Debian's dataset-fashion-mnist, and
# ../shared/datasets/adult.txt for the Adult rows. Builds into $ARTIFACTS (default /tmp/bnmlnet-bench), never obj/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ARTIFACTS="${ARTIFACTS:-/tmp/bnmlnet-bench}"
OUT="${OUT:-$ARTIFACTS/results}"
EPOCHS=3
QUICK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs) EPOCHS="$2"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
PY=/usr/bin/python3

echo "# machine"
lscpu | grep -E 'Model name|^CPU\(s\)|Flags' | sed -E 's/Flags:.*(avx512f).*/avx512: yes/;t;s/Flags:.*/avx512: no/'
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "# build"
dotnet build -c Release "$ROOT/src/Samples/BnMlNet.Samples" --artifacts-path "$ARTIFACTS" -v q -nologo >/dev/null
dotnet build -c Release "$ROOT/test/BnMlNet.Benchmarks" --artifacts-path "$ARTIFACTS" -v q -nologo >/dev/null
SAMPLES="dotnet $ARTIFACTS/bin/BnMlNet.Samples/release/BnMlNet.Samples.dll"
BENCH="dotnet $ARTIFACTS/bin/BnMlNet.Benchmarks/release/BnMlNet.Benchmarks.dll"

echo "# run"
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $PY "$ROOT/bench/pytorch_bench.py" --skip-train > "$OUT/torch.txt"
BLAS_LIB="$(readlink -f /etc/alternatives/libblas.so.3-x86_64-linux-gnu 2>/dev/null || true)"
if [[ "$BLAS_LIB" != *openblas* ]]; then
  echo "WARNING: libblas.so.3 is '${BLAS_LIB:-not found}', not OpenBLAS: install libopenblas0-pthread, or the PyTorch" \
       "ratios below compare against the reference BLAS and mean nothing." >&2
fi
$PY "$ROOT/bench/pytorch_bench.py" --skip-gemm --epochs "$EPOCHS" --threads 1,2 >> "$OUT/torch.txt"
$BENCH quick gemm 1 > "$OUT/gemm.txt"
$SAMPLES bench --dataset fashion-mnist --epochs "$EPOCHS" --threads 1 > "$OUT/fm_t1.txt"
$SAMPLES bench --dataset fashion-mnist --epochs "$EPOCHS" --threads 2 --skip-scoring > "$OUT/fm_t2.txt"
$SAMPLES bench --dataset fashion-mnist --epochs 1 --threads 1 --memory-probe > "$OUT/memory.txt"
$SAMPLES bench --dataset fashion-mnist --epochs 2 --threads 1 --memory-probe --recipe > "$OUT/memory_recipe.txt"
if [ "$QUICK" = 0 ]; then
  for SEED in 1 2 3; do
    $SAMPLES bench --dataset fashion-mnist --epochs 10 --threads 1 --skip-scoring --seed $SEED > "$OUT/fm_t1_10ep_s$SEED.txt"
    $PY "$ROOT/bench/pytorch_bench.py" --skip-gemm --epochs 10 --threads 1 --seed $SEED > "$OUT/torch_10ep_s$SEED.txt"
  done
  $SAMPLES bench --dataset fashion-mnist --epochs 1 --threads 2 --skip-scoring --sdca > "$OUT/sdca.txt"
fi
$SAMPLES bench --dataset adult > "$OUT/adult.txt" || echo "adult skipped (dataset missing?)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "# ratios (goal in brackets)"
$PY - "$OUT" <<'PYEOF'
import os, sys
out = sys.argv[1]
def read(name):
    d = {}
    p = os.path.join(out, name)
    if os.path.exists(p):
        for line in open(p):
            if "=" in line:
                k, v = line.strip().split("=", 1)
                d[k] = v
    return d
def f(d, k):
    try: return float(d[k])
    except (KeyError, ValueError): return float("nan")
torch, gemm, t1, t2, mem = read("torch.txt"), read("gemm.txt"), read("fm_t1.txt"), read("fm_t2.txt"), read("memory.txt")
mem_recipe = read("memory_recipe.txt")
sdca, adult = read("sdca.txt"), read("adult.txt")
seeds = [s for s in (1, 2, 3) if os.path.exists(os.path.join(out, f"fm_t1_10ep_s{s}.txt"))]
ours10 = [f(read(f"fm_t1_10ep_s{s}.txt"), "test_accuracy") for s in seeds]
torch10 = [f(read(f"torch_10ep_s{s}.txt"), "torch_t1_test_accuracy") for s in seeds]
def row(name, value, goal, ok):
    print(f"{name:<58} {value:>12}  [{goal}] {'MET' if ok else 'NOT MET'}")
r = f(t1, "train_rows_per_second") / f(torch, "torch_t1_train_rows_per_second")
row("train rows/s 1 thread / PyTorch 1 thread", f"{r:.2f}x", ">= 1.5", r >= 1.5)
r = f(t2, "train_rows_per_second") / f(t1, "train_rows_per_second")
row("train rows/s 2 threads / ours 1 thread", f"{r:.2f}x", ">= 1.7", r >= 1.7)
r = f(t2, "train_rows_per_second") / f(torch, "torch_t2_train_rows_per_second")
row("  (2 threads / PyTorch 2 threads, for reference)", f"{r:.2f}x", "-", True)
if seeds:
    a, b = sum(ours10) / len(ours10), sum(torch10) / len(torch10)
    print(f"  accuracy after 10 epochs, seeds {seeds}: ours {[round(x, 4) for x in ours10]}, PyTorch {[round(x, 4) for x in torch10]}")
    row("mean accuracy after 10 epochs, ours vs PyTorch", f"{a:.4f}/{b:.4f}", ">= 0.88 and ~equal", a >= 0.88 and a >= b - 0.005)
if sdca:
    a, b = f(sdca, "defaults_seconds_to_0.89"), f(sdca, "sdca_train_seconds")
    row("defaults: seconds to 0.89 vs SDCA train seconds", f"{a:.1f}s/{b:.1f}s", "faster", a < b)
for k, v in gemm.items():
    if not k.startswith("gemm_t1_") or not k.endswith("_gflops"): continue
    shape = k[len("gemm_t1_"):-len("_gflops")]
    ref = f(torch, f"sgemm_best_{shape}_gflops")
    if ref == ref:
        r = float(v) / ref
        row(f"GEMM {shape} ours/OpenBLAS GFLOP/s", f"{float(v):.0f}/{ref:.0f}={r:.2f}", ">= 0.8", r >= 0.8)
r = f(torch, "torch_t1_single_row_latency_us") / f(t1, "single_row_latency_us")
row("FM single-row latency PyTorch/ours (PredictionEngine)", f"{r:.1f}x", ">= 4", r >= 4)
r = f(torch, "torch_t1_single_row_latency_us") / f(t1, "engine_single_row_latency_us")
row("  (engine Predict)", f"{r:.1f}x", ">= 4", r >= 4)
row("FM one row allocates (engine Predict), bytes", t1.get("engine_bytes_per_row", "?"), "0", f(t1, "engine_bytes_per_row") == 0)
row("FM one row allocates (PredictionEngine), bytes", t1.get("prediction_engine_bytes_per_row", "?"), "0 (ML.NET's)", True)
if adult:
    r = f(adult, "ratio_latency_fasttree_over_ours")
    row("Adult PredictionEngine latency FastTree/ours (median of rounds)", f"{r:.2f}x", ">= 1", r >= 1)
    r = f(adult, "ratio_bulk_rows_per_second_vs_fasttree")
    row("Adult bulk Transform rows/s ours/FastTree (median of rounds)", f"{r:.2f}x", ">= 2", r >= 2)
r = f(mem, "memory_peak_over_expected")
row("peak working set / expected training memory (engine)", f"{r:.2f}x", "<= 1.5", r <= 1.5)
r = f(mem_recipe, "memory_peak_over_expected")
row("  the same with the default recipe's data steps (--recipe)", f"{r:.2f}x", "<= 1.5", r <= 1.5)
PYEOF
