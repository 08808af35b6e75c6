#!/usr/bin/env python3
"""PyTorch's side of the BnMlNet performance goals (docs/performance.md).

Same data and configuration as `BnMlNet.Samples bench --dataset fashion-mnist`: Fashion-MNIST from the Debian
IDX files, pixels/255, 784-256-256-10 (Linear no bias -> BatchNorm1d -> ReLU twice, Linear 256->10), PyTorch's
default init, Adam 1e-3, batch 128, shuffled every epoch. Prints one key=value per line.

Run with the Debian interpreter (/usr/bin/python3, python3-torch) and OpenBLAS as libblas.so.3.
"""
import argparse
import gzip
import os
import statistics
import sys
import time

import numpy as np


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(directory):
    def split(prefix):
        x = read_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255.0
        y = read_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz")).astype(np.int64)
        return x, y
    return split("train"), split("t10k")


def blas_info():
    try:
        from threadpoolctl import threadpool_info
        for lib in threadpool_info():
            if lib.get("user_api") == "blas":
                return f"{lib.get('internal_api')} {lib.get('version')} {lib.get('architecture')}"
    except Exception:  # threadpoolctl missing: report what we can
        pass
    return "unknown"


def sgemm(reps):
    """OpenBLAS SGEMM GFLOP/s at 1 thread through numpy (and torch.mm), best of `reps` timed batches."""
    import torch
    torch.set_num_threads(1)
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(1)
    except Exception:
        pass
    rng = np.random.default_rng(42)
    # name = M x K x N then op(A), op(B); M, K, N, transA, transB: C[M×N] = op(A)·op(B), the shapes of docs/performance.md
    shapes = [
        ("128x784x256_NT", 128, 784, 256, False, True),   # forward layer 1: X·Wᵀ
        ("128x256x256_NT", 128, 256, 256, False, True),   # forward layer 2
        ("256x128x784_TN", 256, 128, 784, True, False),   # dW1 = dZᵀ·X
        ("256x128x256_TN", 256, 128, 256, True, False),   # dW2
        ("128x256x784_NN", 128, 256, 784, False, False),  # dX = dZ·W (layer 1; skipped in training without input BN)
        ("128x256x256_NN", 128, 256, 256, False, False),  # dX layer 2
        ("256x784x256_NT", 256, 784, 256, False, True),   # forward layer 1 at batch 256
    ]
    out = {}
    for name, m, k, n, ta, tb in shapes:
        a = rng.uniform(-1, 1, (k, m) if ta else (m, k)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, k) if tb else (k, n)).astype(np.float32)
        A = a.T if ta else a
        B = b.T if tb else b
        flops = 2.0 * m * n * k
        for lib, fn in (("numpy", lambda: A @ B),
                        ("torch", (lambda tA=torch.from_numpy(a), tB=torch.from_numpy(b):
                                   torch.mm(tA.t() if ta else tA, tB.t() if tb else tB)))):
            for _ in range(20):
                fn()
            best = 0.0
            for _ in range(reps):
                iters = max(10, int(2e9 / flops))
                t = time.perf_counter()
                for _ in range(iters):
                    fn()
                dt = time.perf_counter() - t
                best = max(best, flops * iters / dt / 1e9)
            out[f"sgemm_{lib}_{name}_gflops"] = best
    for name in dict.fromkeys(k.split("_", 2)[2] for k in out):
        out[f"sgemm_best_{name}"] = max(out[f"sgemm_numpy_{name}"], out[f"sgemm_torch_{name}"])
    return out


def build(torch, nn, hidden, seed):
    torch.manual_seed(seed)
    layers, width = [], 784
    for h in hidden:
        layers += [nn.Linear(width, h, bias=False), nn.BatchNorm1d(h), nn.ReLU()]
        width = h
    layers.append(nn.Linear(width, 10))
    return nn.Sequential(*layers)


def train_and_score(args, threads, data):
    import torch
    import torch.nn as nn
    torch.set_num_threads(threads)
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(threads)
    except Exception:
        pass
    (xtr, ytr), (xte, yte) = data
    xtr_t, ytr_t = torch.from_numpy(xtr), torch.from_numpy(ytr)
    xte_t = torch.from_numpy(xte)
    model = build(torch, nn, args.hidden, args.seed)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(args.seed)
    n = xtr.shape[0]
    epoch_seconds = []
    for _ in range(args.epochs):
        model.train()
        t = time.perf_counter()
        perm = torch.randperm(n, generator=gen)
        for start in range(0, n, args.batch_size):
            idx = perm[start:start + args.batch_size]
            if idx.numel() < 2:
                continue
            xb, yb = xtr_t[idx], ytr_t[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
        epoch_seconds.append(time.perf_counter() - t)
    model.eval()
    with torch.no_grad():
        pred = model(xte_t).argmax(1).numpy()
    accuracy = float((pred == yte).mean())
    # bulk scoring in eval mode, batches of 1024 (best of 3 passes over the test set)
    score_rps = 0.0
    with torch.no_grad():
        for _ in range(3):
            t = time.perf_counter()
            for start in range(0, xte.shape[0], 1024):
                model(xte_t[start:start + 1024])
            score_rps = max(score_rps, xte.shape[0] / (time.perf_counter() - t))
        # single row: median of 1000 calls after 200 warm-up calls
        rows = [xte_t[i:i + 1] for i in range(1200)]
        lat = []
        for i, r in enumerate(rows):
            t = time.perf_counter()
            model(r)
            dt = time.perf_counter() - t
            if i >= 200:
                lat.append(dt)
    steady = epoch_seconds[1:] if len(epoch_seconds) > 1 else epoch_seconds
    return {
        "train_rows_per_second": n / statistics.median(steady),
        "epoch_seconds": ",".join(f"{s:.3f}" for s in epoch_seconds),
        "test_accuracy": accuracy,
        "score_rows_per_second": score_rps,
        "single_row_latency_us": statistics.median(lat) * 1e6,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--hidden", default="256,256")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts to train with")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--gemm-reps", type=int, default=5)
    p.add_argument("--skip-gemm", action="store_true")
    p.add_argument("--skip-train", action="store_true")
    args = p.parse_args()
    args.hidden = [int(h) for h in args.hidden.split(",")]
    import torch
    print(f"torch_version={torch.__version__}")
    print(f"blas={blas_info()}")
    if not args.skip_gemm:
        for k, v in sgemm(args.gemm_reps).items():
            print(f"{k}={v:.1f}")
        sys.stdout.flush()
    if not args.skip_train:
        data = load(args.data)
        for threads in [int(t) for t in args.threads.split(",")]:
            for k, v in train_and_score(args, threads, data).items():
                print(f"torch_t{threads}_{k}={v:.4f}" if isinstance(v, float) else f"torch_t{threads}_{k}={v}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
