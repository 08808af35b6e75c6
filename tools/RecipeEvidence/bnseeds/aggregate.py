#!/usr/bin/env python3
"""Aggregates several seeds of `bench tabular` with BN ablations (docs/tabular/ablation.md, "Four seeds and more").

usage: aggregate.py [--variants "A,B,C"] [--focus "d1,d2"] SEED=PATH [SEED=PATH ...]
PATH is a run's results.csv (or its folder), as `bench tabular --out` writes it, or a committed report.md of such a run
(docs/tabular/ablation-seed42.md: its "Accuracy" and "Ablation" tables; the metrics there are the 4-decimal figures the
bench stores, so both sources give the same numbers). Seconds are not read: they are not evidence here.

Per variant (the defaults first): per seed wins / close / losses against the better tree (gap = metric − max(LightGbm,
FastTree) at 4 decimals; ±0.005 is close) and the count below SDCA; the mean change (variant − defaults, 4 decimals,
each seed against its own defaults) over every seed and dataset, with the standard error of the per-seed means
(their standard deviation / √seeds), per seed, and the datasets whose mean change is beyond
±0.005; per dataset the change per seed, its mean, min and max; per dataset the seeds lost and below SDCA; the focus datasets' metrics seed by seed.
The same rules as `bench ablation-summary` (AblationSummary.cs, SuiteSummary.cs).
"""
import csv, os, re, statistics, sys

MARGIN = 0.005
TREES = ("LightGbm", "FastTree")

def read_csv(path):
    if os.path.isdir(path): path = os.path.join(path, "results.csv")
    out, order = {}, []
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            d = r["dataset"]
            if d not in out: out[d] = {}; order.append(d)
            name = "defaults" if (r["kind"] == "trainer" and r["name"] == "BN-MLP") else r["name"]
            out[d][name] = round(float(r["metric"]), 4)
    return out, order

def cells(line): return [c.strip() for c in line.strip().strip("|").split("|")]

def read_md(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    out, order, section, header = {}, [], None, None
    for line in lines:
        if line.startswith("## "): section, header = line[3:].strip(), None; continue
        if not line.startswith("|") or line.startswith("| ---"): continue
        c = cells(line)
        if header is None: header = c; continue
        if section == "Accuracy (test set)":
            d = c[0]; out.setdefault(d, {}); order.append(d)
            for name in ("BN-MLP", "LightGbm", "FastTree", "SDCA"):
                out[d]["defaults" if name == "BN-MLP" else name] = float(c[header.index(name)])
        elif section and section.startswith("Ablation") and header[0] == "dataset" and c[0] in out:
            for name, cell in zip(header[3:], c[3:]):
                m = re.match(r"(-?[\d.]+) \(", cell)
                if m: out[c[0]][name] = float(m.group(1))
    return out, order

def fmt(x): return "0.0000" if abs(x) < 5e-5 else f"{x:+.4f}"

def main(argv):
    variants = ["no BN at all", "BN last layer only", "BN first layer only"]
    focus = ["diamonds_cut", "wvs_poverty", "housing", "arrests"]
    runs = []
    args = list(argv)
    while args and args[0].startswith("--"):
        opt, val = args.pop(0), args.pop(0)
        if opt == "--variants": variants = [v.strip() for v in val.split(",")]
        elif opt == "--focus": focus = [v.strip() for v in val.split(",")]
        else: sys.exit(f"unknown option {opt}")
    for a in args:
        seed, path = a.split("=", 1)
        data, order = read_md(path) if path.endswith(".md") else read_csv(path)
        runs.append((seed, data, order))
    if not runs: sys.exit(__doc__)
    seeds = [s for s, _, _ in runs]
    datasets = [d for d in runs[0][2] if all(d in r[1] and all(v in r[1][d] for v in variants) for r in runs)]
    missing = [d for d in runs[0][2] if d not in datasets]
    print(f"seeds {', '.join(seeds)}; {len(datasets)} datasets" + (f" (left out, a variant missing: {', '.join(missing)})" if missing else ""))
    print()

    def gap(data, d, v): return round(data[d][v] - max(data[d][t] for t in TREES), 4)
    def change(data, d, v): return round(data[d][v] - data[d]["defaults"], 4)

    print("| variant | mean change | ± s.e. over seeds | mean change per seed (" + " / ".join(seeds) + ") | better / worse on (mean beyond ±0.005) "
          "| ahead / behind (mean > 0 / < 0) | wins / close / losses per seed | below SDCA per seed |")
    print("| --- | ---: | ---: | --- | --- | --- | --- | --- |")
    for v in ["defaults"] + variants:
        wcl, below = [], []
        for _, data, _ in runs:
            g = [gap(data, d, v) for d in datasets]
            wcl.append(f"{sum(x > MARGIN for x in g)}/{sum(-MARGIN <= x <= MARGIN for x in g)}/{sum(x < -MARGIN for x in g)}")
            below.append(str(sum(data[d][v] < data[d]["SDCA"] for d in datasets)))
        if v == "defaults":
            print(f"| defaults | – | – | – | – | – | {' · '.join(wcl)} | {' · '.join(below)} |"); continue
        per_seed = [statistics.mean(change(data, d, v) for d in datasets) for _, data, _ in runs]
        per_table = [statistics.mean(change(data, d, v) for _, data, _ in runs) for d in datasets]
        allc = [change(data, d, v) for _, data, _ in runs for d in datasets]
        better = [d for d, c in zip(datasets, per_table) if c > MARGIN]
        worse = [d for d, c in zip(datasets, per_table) if c < -MARGIN]
        se = statistics.stdev(per_seed) / len(per_seed) ** 0.5 if len(per_seed) > 1 else float("nan")
        print(f"| {v} | {fmt(statistics.mean(allc))} | {se:.4f} | {' / '.join(fmt(x) for x in per_seed)} | "
              f"{len(better)} / {len(worse)} | {sum(c > 0 for c in per_table)} / {sum(c < 0 for c in per_table)} | "
              f"{' · '.join(wcl)} | {' · '.join(below)} |")
    print()

    print("Change per dataset: mean over the seeds [min, max]; then the seeds' changes in order " + ", ".join(seeds) + ".")
    print()
    print("| dataset | " + " | ".join(variants) + " |")
    print("| --- | " + " | ".join("---" for _ in variants) + " |")
    for d in datasets:
        row = []
        for v in variants:
            c = [change(data, d, v) for _, data, _ in runs]
            row.append(f"{fmt(statistics.mean(c))} [{fmt(min(c))}, {fmt(max(c))}]: {' '.join(fmt(x) for x in c)}")
        print(f"| {d} | " + " | ".join(row) + " |")
    print()

    print("Where the counts come from: per dataset, the seeds (of " + str(len(runs)) + ") with a loss to the better tree / "
          "below SDCA.")
    print()
    print("| dataset | defaults | " + " | ".join(variants) + " |")
    print("| --- | ---: | " + " | ".join("---:" for _ in variants) + " |")
    totals = {v: [0, 0] for v in ["defaults"] + variants}
    for d in datasets:
        row = []
        for v in ["defaults"] + variants:
            lost = sum(gap(data, d, v) < -MARGIN for _, data, _ in runs)
            below = sum(data[d][v] < data[d]["SDCA"] for _, data, _ in runs)
            totals[v][0] += lost; totals[v][1] += below
            row.append(f"{lost} / {below}")
        print(f"| {d} | " + " | ".join(row) + " |")
    print("| **all (seed × dataset)** | " + " | ".join(f"**{totals[v][0]} / {totals[v][1]}**" for v in ["defaults"] + variants) + " |")
    print()

    print("Focus datasets, metric per seed (" + ", ".join(seeds) + "), the better tree's and SDCA's too; after each BN-MLP metric "
          "its verdict (L loss: gap < −0.005, W win: gap > +0.005, c close) and * when below SDCA.")
    print()
    print("| dataset | better tree | SDCA | defaults | " + " | ".join(variants) + " |")
    print("| --- | --- | --- | --- | " + " | ".join("---" for _ in variants) + " |")
    for d in focus:
        if d not in datasets: continue
        tree = " ".join(f"{max(data[d][t] for t in TREES):.4f}" for _, data, _ in runs)
        sdca = " ".join(f"{data[d]['SDCA']:.4f}" for _, data, _ in runs)
        def cell(v):
            parts = []
            for _, data, _ in runs:
                g = gap(data, d, v)
                mark = "L" if g < -MARGIN else "W" if g > MARGIN else "c"
                parts.append(f"{data[d][v]:.4f}{mark}{'*' if data[d][v] < data[d]['SDCA'] else ''}")
            return " ".join(parts)
        print(f"| {d} | {tree} | {sdca} | " + " | ".join(cell(v) for v in ["defaults"] + variants) + " |")

if __name__ == "__main__":
    main(sys.argv[1:])
