#!/usr/bin/env python3
"""Aggregates `bench tabular --ablations` console logs of several seeds (docs/performance/steps.md).

usage: aggregate.py SEED=LOG [SEED=LOG ...]
Per dataset and variant: the metric per seed, the mean ± half the range, epochs run, optimizer steps
(epochs x steps per epoch, from the rows trained on and the batch), and the fit seconds over the defaults'
seconds in the same run (a ratio; the runs were under load). Batch: the automatic rule (AutoBatch.For) unless
the variant fixes one (`batch N`).
"""
import math, re, sys
from collections import defaultdict

def auto_batch(rows):
    if rows <= 128 * 64: return 128
    e = math.floor(math.log2(rows / 64) + 0.5)
    return int(min(max(2 ** e, 128), 1024))

def count_steps(rows, batch):
    full, rest = divmod(rows, batch)
    return max(1, full + (1 if rest >= 2 else 0))

ds_re = re.compile(r"^  (\S+): (\w+), ([\d,]+) train")
row_re = re.compile(r"^    (.+?)\s{2,}(AUC|accuracy|R²)\s+(-?[\d.]+)\s+([\d.]+) s(?:\s+(\d+) ep \(best (\d+)\))?")
data = defaultdict(dict)   # (dataset, variant) -> seed -> (metric, seconds, epochs, steps)
trees = defaultdict(dict)  # dataset -> seed -> {trainer: metric}
order_ds, order_var = [], []
for arg in sys.argv[1:]:
    seed, path = arg.split("=", 1)
    ds = None
    for line in open(path, encoding="utf-8"):
        m = ds_re.match(line)
        if m:
            ds = m.group(1); train = int(m.group(3).replace(",", ""))
            rows = train - int(math.floor(train * 0.2 + 0.5))
            if ds not in order_ds: order_ds.append(ds)
            continue
        m = row_re.match(line)
        if not m or ds is None: continue
        name, metric, secs = m.group(1).strip(), float(m.group(3)), float(m.group(4))
        if name in ("LightGbm", "FastTree", "SDCA"):
            trees[ds].setdefault(seed, {})[name] = metric; continue
        variant = "defaults" if name == "BN-MLP" else name
        if variant not in order_var: order_var.append(variant)
        epochs = int(m.group(5)) if m.group(5) else None
        bm = re.match(r"batch (\d+)", variant)
        batch = int(bm.group(1)) if bm else auto_batch(rows)
        steps = epochs * count_steps(rows, batch) if epochs else None
        data[(ds, variant)][seed] = (metric, secs, epochs, steps)

seeds = [a.split("=", 1)[0] for a in sys.argv[1:]]
def mean_range(xs): return sum(xs) / len(xs), (max(xs) - min(xs)) / 2
print("| dataset | variant | " + " | ".join(f"seed {s}: metric · ep · steps · ×s" for s in seeds) + " | mean ± ½range | Δ mean vs defaults | steps vs defaults | median ×s |")
print("|---|---|" + "---|" * len(seeds) + "---:|---:|---:|---:|")
for ds in order_ds:
    base = data.get((ds, "defaults"), {})
    for v in order_var:
        d = data.get((ds, v), {})
        if not d: continue
        cells, ratios = [], []
        for s in seeds:
            if s not in d: cells.append("–"); continue
            mt, sec, ep, st = d[s]
            r = sec / base[s][1] if s in base and base[s][1] > 0 else float("nan")
            ratios.append(r)
            cells.append(f"{mt:.4f} · {ep} · {st:,} · {r:.2f}")
        ms = [d[s][0] for s in seeds if s in d]
        mu, hr = mean_range(ms)
        bm = [base[s][0] for s in seeds if s in base and s in d]
        dmu = mu - sum(bm) / len(bm) if bm else float("nan")
        st_v = sum(d[s][3] for s in seeds if s in d and s in base)
        st_b = sum(base[s][3] for s in seeds if s in d and s in base)
        ratios.sort()
        med = ratios[len(ratios) // 2] if len(ratios) % 2 else (ratios[len(ratios)//2 - 1] + ratios[len(ratios)//2]) / 2
        print(f"| {ds} | {v} | " + " | ".join(cells) + f" | {mu:.4f} ± {hr:.4f} | {dmu:+.4f} | {st_v / st_b:.2f} | {med:.2f} |")
print()
print("| dataset | " + " | ".join(f"seed {s}: better tree · SDCA" for s in seeds) + " |")
print("|---|" + "---|" * len(seeds))
for ds in order_ds:
    cells = []
    for s in seeds:
        t = trees[ds].get(s, {})
        cells.append(f"{max(t.get('LightGbm', -9), t.get('FastTree', -9)):.4f} · {t.get('SDCA', float('nan')):.4f}" if t else "–")
    print(f"| {ds} | " + " | ".join(cells) + " |")
