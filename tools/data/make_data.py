#!/usr/bin/python3
"""Regenerates the small datasets shipped in data/ (deterministic: same inputs -> same bytes).

Inputs (Debian bookworm packages; nothing is downloaded by this script):
  * dataset-fashion-mnist  0.0~git20200523.55506a9-1  (/usr/share/datasets/fashion-mnist, MIT/Expat)
  * python3-statsmodels    0.13.5+dfsg-7              (statsmodels/datasets/{anes96,randhie}, public domain)

Outputs:
  data/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz
      stratified subset: the first --train-per-class / --test-per-class images of each class,
      in original file order, re-encoded in the original IDX format, gzip with mtime 0.
  data/anes96-vote.csv    (binary: vote 1 = Dole, 0 = Clinton)
  data/randhie-mdvis.csv  (regression: mdvis, number of outpatient visits to an MD)

Usage:
  python3 tools/data/make_data.py [--fashion-dir DIR] [--statsmodels-datasets DIR] [--out data]
Use only the Python standard library.
"""
import argparse
import csv
import gzip
import hashlib
import io
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

ANES96_COLUMNS = ["popul", "TVnews", "selfLR", "ClinLR", "DoleLR", "PID", "age", "educ", "income", "vote"]
RANDHIE_COLUMNS = ["mdvis", "lncoins", "idp", "lpi", "fmde", "physlm", "disea", "hlthg", "hlthf", "hlthp"]


def read_idx(path):
    """Returns (type_code, dims, payload bytes) of an IDX file, gzip or raw."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    zero, type_code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or type_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    payload = raw[4 + 4 * ndim:]
    expected = 1
    for d in dims:
        expected *= d
    if len(payload) != expected:
        raise ValueError(f"{path}: payload has {len(payload)} bytes, header says {expected}")
    return type_code, dims, payload


def write_idx_gz(path, dims, payload):
    header = struct.pack(">HBB", 0, 0x08, len(dims)) + struct.pack(">" + "I" * len(dims), *dims)
    buf = io.BytesIO()
    # filename='' and mtime=0 keep the gzip bytes identical from run to run.
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=buf, mtime=0) as gz:
        gz.write(header + payload)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def fashion_subset(src_dir, out_dir, split, per_class):
    _, idims, images = read_idx(os.path.join(src_dir, f"{split}-images-idx3-ubyte.gz"))
    _, ldims, labels = read_idx(os.path.join(src_dir, f"{split}-labels-idx1-ubyte.gz"))
    n, rows, cols = idims
    if ldims[0] != n:
        raise ValueError("image and label counts differ")
    size = rows * cols
    taken = {c: 0 for c in range(10)}
    keep = []
    for i in range(n):
        c = labels[i]
        if taken[c] < per_class:
            taken[c] += 1
            keep.append(i)
    if any(v != per_class for v in taken.values()):
        raise ValueError(f"{split}: not enough images per class: {taken}")
    out_images = b"".join(images[i * size:(i + 1) * size] for i in keep)
    out_labels = bytes(labels[i] for i in keep)
    os.makedirs(out_dir, exist_ok=True)
    write_idx_gz(os.path.join(out_dir, f"{split}-images-idx3-ubyte.gz"), (len(keep), rows, cols), out_images)
    write_idx_gz(os.path.join(out_dir, f"{split}-labels-idx1-ubyte.gz"), (len(keep),), out_labels)
    return len(keep)


def copy_table(src, delimiter, expected_columns, out_path):
    with open(src, newline="") as f:
        rows = list(csv.reader(f, delimiter=delimiter))
    header = [h.strip().strip("'\"") for h in rows[0]]
    if header != expected_columns:
        raise ValueError(f"{src}: unexpected header {header}")
    body = []
    for r in rows[1:]:
        if not r:
            continue
        if len(r) != len(header):
            raise ValueError(f"{src}: bad row {r}")
        # Validate every cell as a number; keep the source text (normalising '.5' to '0.5').
        cells = []
        for v in r:
            v = v.strip()
            float(v)
            if v.startswith("."):
                v = "0" + v
            elif v.startswith("-."):
                v = "-0" + v[1:]
            cells.append(v)
        body.append(cells)
    with open(out_path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(body)
    return len(body)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--fashion-dir", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--statsmodels-datasets", default="/usr/lib/python3/dist-packages/statsmodels/datasets",
                   help="statsmodels/datasets folder of python3-statsmodels (installed, or extracted with "
                        "'apt-get download python3-statsmodels && dpkg-deb -x python3-statsmodels_*.deb x')")
    p.add_argument("--out", default=os.path.join(REPO, "data"))
    p.add_argument("--train-per-class", type=int, default=600)
    p.add_argument("--test-per-class", type=int, default=100)
    a = p.parse_args()

    fm_out = os.path.join(a.out, "fashion-mnist")
    n_train = fashion_subset(a.fashion_dir, fm_out, "train", a.train_per_class)
    n_test = fashion_subset(a.fashion_dir, fm_out, "t10k", a.test_per_class)
    n_anes = copy_table(os.path.join(a.statsmodels_datasets, "anes96", "anes96.csv"), "\t", ANES96_COLUMNS,
                        os.path.join(a.out, "anes96-vote.csv"))
    n_rand = copy_table(os.path.join(a.statsmodels_datasets, "randhie", "randhie.csv"), ",", RANDHIE_COLUMNS,
                        os.path.join(a.out, "randhie-mdvis.csv"))
    print(f"fashion-mnist: {n_train} train + {n_test} test images; anes96: {n_anes} rows; randhie: {n_rand} rows")
    for root, _, files in sorted(os.walk(a.out)):
        for name in sorted(files):
            path = os.path.join(root, name)
            if name.endswith((".gz", ".csv")):
                with open(path, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
                print(f"{os.path.relpath(path, a.out)}  {os.path.getsize(path)} bytes  sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
