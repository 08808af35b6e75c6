#!/usr/bin/env python3
"""Aggregates `bench tabular` console logs of several seeds (docs/tabular-recipe.md, round 8).

Usage: aggregate.py LOG [LOG ...]   (each LOG is the console output of one `bench tabular --seed S --ablations ...` run)
Prints, per dataset and trainer/variant: the metric's mean over the seeds ± half its range, the verdict counts against
the better tree (the bench's rule: gap > +0.005 win, within ±0.005 close, else loss, on the printed 4-decimal metrics),
the count below SDCA, and the median over seeds of the variant's fit seconds over the default BN-MLP's fit seconds
(both from the same process, one right after the other: a ratio, valid under load; absolute seconds are not reported).
"""
import re
import statistics
import sys
from collections import defaultdict

DATASET = re.compile(r"^  (\S+): (binary|multiclass|regression), ")
SCORE = re.compile(r"^    (.+?)\s+(AUC|accuracy|R²)\s+(-?[\d.]+|NaN)\s+([\d.]+) s")
TREES, SDCA, DEFAULT = ("LightGbm", "FastTree"), "SDCA", "BN-MLP"
MARGIN = 0.005

runs = []  # one dict per log: dataset -> trainer -> (metric, seconds)
for path in sys.argv[1:]:
    run, current = defaultdict(dict), None
    for line in open(path, encoding="utf-8"):
        if m := DATASET.match(line):
            current = m.group(1)
        elif (m := SCORE.match(line)) and current:
            run[current][m.group(1)] = (float(m.group(3)), float(m.group(4)))
    runs.append(run)

datasets = list(dict.fromkeys(d for r in runs for d in r))
variants = list(dict.fromkeys(t for r in runs for d in r for t in r[d] if t not in TREES + (SDCA,)))
print(f"seeds: {len(runs)} logs; variants: {', '.join(variants)}")
print("| dataset | better tree | SDCA | " + " | ".join(variants) + " |")
print("|---|---:|---:|" + "---:|" * len(variants))
totals = {v: [0, 0, 0, 0, 0] for v in variants}  # wins, close, losses, below SDCA, cells
mean_of = defaultdict(dict)
seconds_of = defaultdict(dict)
for d in datasets:
    seeds = [r[d] for r in runs if d in r]
    tree = [max(s[t][0] for t in TREES) for s in seeds]
    sdca = [s[SDCA][0] for s in seeds]
    cells = []
    for v in variants:
        vals = [s[v][0] for s in seeds if v in s]
        gaps = [round(s[v][0] - max(s[t][0] for t in TREES), 4) for s in seeds if v in s]
        w = sum(g > MARGIN for g in gaps); l = sum(g < -MARGIN for g in gaps); c = len(gaps) - w - l
        below = sum(s[v][0] < s[SDCA][0] for s in seeds if v in s)
        ratio = statistics.median(s[v][1] / s[DEFAULT][1] for s in seeds if v in s and s[DEFAULT][1] > 0)
        t = totals[v]; t[0] += w; t[1] += c; t[2] += l; t[3] += below; t[4] += len(gaps)
        mean = statistics.mean(vals); half = (max(vals) - min(vals)) / 2
        mean_of[v][d] = mean
        seconds_of[v][d] = ratio
        cells.append(f"{mean:.4f} ± {half:.4f} ({w}/{c}/{l}, <SDCA {below}, ×{ratio:.2f})")
    print(f"| {d} | {statistics.mean(tree):.4f} | {statistics.mean(sdca):.4f} | " + " | ".join(cells) + " |")
print("| **all: wins/close/losses, below SDCA (dataset × seed cells)** | | | " +
      " | ".join(f"{t[0]}/{t[1]}/{t[2]}, {t[3]} (of {t[4]})" for t in totals.values()) + " |")
print("| **mean change from the default over the datasets** | | | " +
      " | ".join(f"{statistics.mean(mean_of[v][d] - mean_of[DEFAULT][d] for d in datasets):+.4f}" for v in variants) + " |")
def verdicts(v):
    """Datasets where the variant's mean is ahead of / within / behind the default's by more than the spread (the larger half-range)."""
    ahead = within = behind = 0
    for d in datasets:
        a = [r[d][v][0] for r in runs if d in r and v in r[d]]
        b = [r[d][DEFAULT][0] for r in runs if d in r and v in r[d]]
        diff, spread = statistics.mean(a) - statistics.mean(b), max(max(a) - min(a), max(b) - min(b)) / 2
        if diff > spread: ahead += 1
        elif diff < -spread: behind += 1
        else: within += 1
    return f"{ahead} / {within} / {behind}"
print("| **datasets ahead / within / behind the default beyond the spread** | | | " + " | ".join(verdicts(v) for v in variants) + " |")
