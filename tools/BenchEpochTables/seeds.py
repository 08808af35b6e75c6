# Per-table evidence over seeds from bench tabular console logs (docs/tabular-recipe.md, round 11).
# usage: python3 tools/BenchEpochTables/seeds.py docs/tabular/report.md SEED42.log SEED1.log [more variant logs of the same seeds: A42.log A1.log ...]
# The logs come in pairs (seed 42, seed 1) per run; the first pair's seed-42 defaults must reproduce report.md's seed-42
# run (checked), whose quiet seconds / epochs give each table's per-epoch cost. Estimated quiet seconds of a fit =
# epochs run (the refit's, on a small table) x that cost; time ratio = max(est, 0.5) / max(quiet LightGbm s, 0.5).
import re, sys, statistics
report = open(sys.argv[1]).read()
quiet = {}
for m in re.finditer(r"^\| (\w+) \| ([\d.]+) \| ([\d.]+) \| [\d.]+ \| [\d.]+ \| [\d.]+ \|$", report, re.M):
    quiet[m.group(1)] = (float(m.group(2)), float(m.group(3)))
acc = {}
for m in re.finditer(r"^\| (\w+) \| (\w+) \| (\d+) \| \d+ \| \d+ \| \d+ \| [^|]+ \| ([\d.-]+) \| ([\d.-]+) \| ([\d.-]+) \| ([\d.-]+) \|", report, re.M):
    acc[m.group(1)] = float(m.group(4))
dev = ["arrests","flchain_death","mpls_person_search","wvs_poverty","chile_vote","diamonds_cut","diamonds_logprice","slid_logwage","gss_vocab","txhousing_logmedian"]

def parse(path):
    out, ds = {}, None
    for line in open(path):
        m = re.match(r"^  (\w+): (binary|multiclass|regression)", line)
        if m: ds = m.group(1); continue
        m = re.match(r"^    (.+?)\s+(AUC|accuracy|R²) ([\d.-]+)\s+[\d.]+ s(?:  (\d+) ep \(best (\d+)\))?", line)
        if m and ds:
            name = m.group(1).strip()
            if name in ("LightGbm", "FastTree", "SDCA"):
                out.setdefault(ds, {})[name] = (float(m.group(3)), 0)
            else:
                out.setdefault(ds, {})[name] = (float(m.group(3)), int(m.group(4) or 0))
    return out

logs = sys.argv[2:]
runs = {42: {}, 1: {}}
for i in range(0, len(logs), 2):
    for seed, path in ((42, logs[i]), (1, logs[i + 1])):
        for ds, v in parse(path).items():
            runs[seed].setdefault(ds, {}).update(v)
tables = [d for d in runs[42] if d in runs[1]]
for d in tables:
    if d in acc and abs(runs[42][d]["BN-MLP"][0] - acc[d]) > 1e-9:
        sys.exit(f"{d}: the seed-42 defaults ({runs[42][d]['BN-MLP'][0]}) do not reproduce report.md ({acc[d]})")
variants = [v for v in runs[42][tables[0]] if v not in ("LightGbm", "FastTree", "SDCA")]
cost = {d: quiet[d][0] / runs[42][d]["BN-MLP"][1] for d in tables if d in quiet}

print("| dataset (s/epoch) | " + " | ".join(variants) + " |")
print("|---|" + "---|" * len(variants))
for d in tables:
    cells = []
    for v in variants:
        parts = []
        for seed in (42, 1):
            metric, ep = runs[seed][d][v]
            parts.append(f"{metric:.4f} ({ep})")
        est = [runs[s][d][v][1] * cost[d] for s in (42, 1)]
        cells.append(" / ".join(parts) + f" ≈{est[0]:.2f}/{est[1]:.2f} s")
    print(f"| {d} ({cost[d] * 1000:.0f} ms) | " + " | ".join(cells) + " |")

print()
print("| variant | mean change (30 cells) | worse than defaults by > 0.005 (cells) | losses to the better tree 42 / 1 | below SDCA 42 / 1 | est. dev median ratio 42 / 1 | est. dev max ratio 42 / 1 | epochs vs defaults (dev, both seeds) |")
print("|---|---|---|---|---|---|---|---|")
for v in variants:
    ch, worse, losses, below, med, mx, ep, ep0 = [], 0, [], [], [], [], 0, 0
    for seed in (42, 1):
        l = b = 0
        ratios = []
        for d in tables:
            r = runs[seed][d]
            metric = r[v][0]
            c = round(metric - r["BN-MLP"][0], 4)
            ch.append(c); worse += c < -0.005
            tree = max(r["LightGbm"][0], r["FastTree"][0])
            l += round(metric - tree, 4) < -0.005
            b += metric < r["SDCA"][0]
            if d in dev:
                est = r[v][1] * cost[d]
                ratios.append(max(est, 0.5) / max(quiet[d][1], 0.5))
                ep += r[v][1]; ep0 += r["BN-MLP"][1]
        losses.append(l); below.append(b); med.append(statistics.median(ratios)); mx.append(max(ratios))
    print(f"| {v} | {statistics.mean(ch):+.4f} | {worse} | {losses[0]} / {losses[1]} | {below[0]} / {below[1]} | {med[0]:.2f} / {med[1]:.2f} | {mx[0]:.2f} / {mx[1]:.2f} | {ep / ep0:.2f} |")
