# Tables of docs/performance/schedule.md from bench tabular console logs (the "N ep (best B)" of each BN-MLP line).
# usage: python3 tools/BenchEpochTables/tables.py docs/tabular/report.md console.log [console.log ...]
# Estimated ratio = max(quiet BN-MLP s / default epochs x variant epochs, 0.5) / max(quiet LightGbm s, 0.5), from report.md.
import re, sys, statistics
report = open(sys.argv[1]).read()
quiet = {}
for m in re.finditer(r"^\| (\w+) \| ([\d.]+) \| ([\d.]+) \| [\d.]+ \| [\d.]+ \| [\d.]+ \|$", report, re.M):
    quiet[m.group(1)] = (float(m.group(2)), float(m.group(3)))
acc = {}
for m in re.finditer(r"^\| (\w+) \| (\w+) \| (\d+) \| \d+ \| \d+ \| \d+ \| [^|]+ \| ([\d.-]+) \| ([\d.-]+) \| ([\d.-]+) \| ([\d.-]+) \|", report, re.M):
    acc[m.group(1)] = dict(task=m.group(2), rows=int(m.group(3)), lgbm=float(m.group(5)), ft=float(m.group(6)), sdca=float(m.group(7)))
def steps_per_epoch(rows):
    import math
    n = rows - round(rows * 0.2 + 1e-9)
    if n <= 128 * 64: b = 128
    else:
        e = math.floor(math.log2(n / 64) + 0.5)
        b = int(min(max(2 ** e, 128), 1024))
    full, rest = divmod(n, b)
    return max(1, full + (1 if rest >= 2 else 0)), b
runs = {}   # dataset -> variant -> (metric, epochs, best)
order = []
for path in sys.argv[2:]:
    ds = None
    for line in open(path):
        m = re.match(r"^  (\w+): (binary|multiclass|regression)", line)
        if m: ds = m.group(1); order.append(ds) if ds not in order else None; continue
        m = re.match(r"^    (.+?)\s+(AUC|accuracy|R²) ([\d.-]+)\s+[\d.]+ s(?:  (\d+) ep \(best (\d+)\))?", line)
        if m and ds:
            name = m.group(1).strip()
            if name in ("LightGbm", "FastTree", "SDCA"): continue
            runs.setdefault(ds, {})[name] = (float(m.group(3)), int(m.group(4) or 0), int(m.group(5) or 0))
variants = []
order = [d for d in order if d in runs]
for ds in order:
    for v in runs[ds]:
        if v not in variants: variants.append(v)
dev = ["arrests","flchain_death","mpls_person_search","wvs_poverty","chile_vote","diamonds_cut","diamonds_logprice","slid_logwage","gss_vocab","txhousing_logmedian"]
print("| dataset | steps/ep (batch) | " + " | ".join(variants) + " |")
print("|---|---|" + "---|" * len(variants))
summary = {v: dict(gaps=[], w=0, c=0, l=0, below=0, big=0, ratios=[], n=0, ep=0, ep0=0) for v in variants}
other = {v: dict(gaps=[], w=0, c=0, l=0, below=0, big=0, n=0) for v in variants}
for ds in order:
    a = acc.get(ds); q = quiet.get(ds)
    if a is None or q is None: continue
    spe, b = steps_per_epoch(a["rows"])
    base = runs[ds].get("BN-MLP")
    cells = []
    for v in variants:
        r = runs[ds].get(v)
        if r is None: cells.append("—"); continue
        metric, ep, best = r
        est = q[0] / base[1] * ep if base and base[1] else float("nan")
        ratio = max(est, 0.5) / max(q[1], 0.5)
        cells.append(f"{metric:.4f} · {ep} ({best}) · {ep*spe:,} · ≈{ratio:.2f}")
        gap = round(metric - max(a["lgbm"], a["ft"]), 4)
        s = summary[v]
        if ds in dev:
            s["n"] += 1; s["gaps"].append(gap); s["ratios"].append(ratio)
            s["w"] += gap > 0.005; s["c"] += -0.005 <= gap <= 0.005; s["l"] += gap < -0.005
            s["below"] += metric < a["sdca"]; s["big"] += gap < -0.05
            s["ep"] += ep * spe; s["ep0"] += base[1] * spe
        else:
            o = other[v]; o["n"] += 1; o["gaps"].append(gap)
            o["w"] += gap > 0.005; o["c"] += -0.005 <= gap <= 0.005; o["l"] += gap < -0.005
            o["below"] += metric < a["sdca"]; o["big"] += gap < -0.05
    print(f"| {ds} | {spe} ({b}) | " + " | ".join(cells) + " |")
print()
print("| variant (dev suite) | datasets | wins / close / losses | median gap | below SDCA | lost by > 0.05 | steps vs defaults | est. median ratio | est. max ratio |")
print("|---|---|---|---|---|---|---|---|---|")
for v in variants:
    s = summary[v]
    if s["n"] == 0: continue
    print(f"| {v} | {s['n']} | {s['w']} / {s['c']} / {s['l']} | {statistics.median(s['gaps']):+.4f} | {s['below']} | {s['big']} | {s['ep']/s['ep0']:.2f} | {statistics.median(s['ratios']):.2f} | {max(s['ratios']):.2f} |")

print()
print("| variant (other real datasets) | datasets | wins / close / losses | median gap | below SDCA | lost by > 0.05 |")
print("|---|---|---|---|---|---|")
for v in variants:
    o = other[v]
    if o["n"] == 0: continue
    print(f"| {v} | {o['n']} | {o['w']} / {o['c']} / {o['l']} | {statistics.median(o['gaps']):+.4f} | {o['below']} | {o['big']} |")
