#!/usr/bin/env python3
"""How often a test row's exact feature vector already occurs among the training rows (round 15,
docs/tabular-recipe.md), and on RAND HIE (data/randhie-mdvis.csv) how well a lookup of the training rows with the
same feature vector predicts the test rows.

A tree can isolate a feature vector that repeats (panel data: one person's rows share their covariates) and predict
the mean label of its training rows; a smooth function of the features cannot. The lookup below is that predictor
alone: the training mean of the rows with the same features, shrunk towards the global mean by `prior` pseudo-rows.

Run from the repository root (standard library only):
    python3 tools/RepeatedRows/repeated_rows.py [--shared ../shared]
The development suite's fixed splits are read from ../shared/datasets/tabular (skipped with a message if absent).
RAND HIE has no fixed split: it is split 80/20 here by Python's random.Random(seed) shuffle, not by ML.NET's
TrainTestSplit that the bench uses, so its figures describe the table, not the bench's split.
"""
import argparse
import csv
import os
import random
import sys
from collections import defaultdict

SUITE = ["arrests", "flchain_death", "mpls_person_search", "wvs_poverty", "chile_vote", "diamonds_cut",
         "diamonds_logprice", "slid_logwage", "gss_vocab", "txhousing_logmedian"]


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if len(rows) < 2:
        sys.exit(f"error: {path} has no data rows")
    return rows[0], rows[1:]


def seen_share(train, test, label):
    keys = {tuple(v for i, v in enumerate(r) if i != label) for r in train}
    seen = sum(1 for r in test if tuple(v for i, v in enumerate(r) if i != label) in keys)
    return len(keys), seen / len(test)


def r2(y, p):
    m = sum(y) / len(y)
    return 1 - sum((a - b) ** 2 for a, b in zip(y, p)) / sum((a - m) ** 2 for a in y)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--seeds", default="1,2,3")
    a = ap.parse_args()

    print("| table | training rows | distinct training feature vectors | test rows whose feature vector occurs in training |")
    print("|---|---:|---:|---:|")
    suite = os.path.join(a.shared, "datasets", "tabular")
    if not os.path.isdir(suite):
        print(f"(development suite skipped: {suite} not found)", file=sys.stderr)
    else:
        for name in SUITE:
            _, train = read(os.path.join(suite, name + ".train.csv"))
            _, test = read(os.path.join(suite, name + ".test.csv"))
            distinct, share = seen_share(train, test, 0)  # the label is the first column
            print(f"| {name} | {len(train)} | {distinct} | {share:.2f} |")

    header, rows = read("data/randhie-mdvis.csv")
    label = header.index("mdvis")
    for seed in [int(s) for s in a.seeds.split(",")]:
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        n = int(len(shuffled) * 0.8)
        train, test = shuffled[:n], shuffled[n:]
        distinct, share = seen_share(train, test, label)
        print(f"| randhie_mdvis (seed {seed} split) | {len(train)} | {distinct} | {share:.2f} |")

    print()
    print("RAND HIE, the lookup predictor (test R², mean label of the training rows with the same feature vector, "
          "shrunk by `prior` pseudo-rows at the training mean; an unseen vector gets the training mean):")
    print()
    print("| split seed | prior 0 | prior 1 | prior 2 | prior 4 |")
    print("|---|---:|---:|---:|---:|")
    for seed in [int(s) for s in a.seeds.split(",")]:
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        n = int(len(shuffled) * 0.8)
        train, test = shuffled[:n], shuffled[n:]
        groups = defaultdict(list)
        for r in train:
            groups[tuple(v for i, v in enumerate(r) if i != label)].append(float(r[label]))
        mean = sum(float(r[label]) for r in train) / len(train)
        y = [float(r[label]) for r in test]
        cells = []
        for prior in (0, 1, 2, 4):
            p = []
            for r in test:
                g = groups.get(tuple(v for i, v in enumerate(r) if i != label))
                p.append((sum(g) + prior * mean) / (len(g) + prior) if g else mean)
            cells.append(f"{r2(y, p):.4f}")
        print(f"| {seed} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
