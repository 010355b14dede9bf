#!/usr/bin/python3
"""PyTorch training-speed reference for `bench/train.mjs` (docs/PERFORMANCE.md).

Run with Debian's Python, which has torch 1.13 (not the pyenv python3 on PATH):

    /usr/bin/python3 tools/torch_train_bench.py [--quick] [--threads N] [--seconds S]

Trains the @ihc/model transformer of docs/SPEC.md, written the way a PyTorch user would
write it (nn.Embedding, nn.Linear, torch.optim.AdamW), and measures optimizer steps per
second and peak RSS:

* vocab 27, T 29, 2 attention-only layers, 4 heads, learnable positions, pre-norm with ONE
  LayerNorm shared by both layers, Q/K/V/O Linear(d, d) with bias, causal softmax with
  1/sqrt(head_dim), residuals, unembed Linear(d, 27) without bias, no final norm;
* precision 'fp', or '1bit' = BitLinear per SPEC: LayerNorm without affine (eps 1e-5),
  8-bit absmax activations per token (gamma = max|x| floored at 1e-5, round half to
  even, clip -128..127, rescaled back), weights sign(W - mean W) * mean|W| with
  sign(0) = +1, both through straight-through estimators, then `h @ Wq^T + b`;
* one step = zero_grad + forward + cross entropy over every position (the trainer's
  default loss 'all') + backward + AdamW(lr 1e-3, betas (0.9, 0.98), eps 1e-8,
  weight decay 0.01 on every parameter) + reading the loss (`.item()`);
* batch 128 of seeded random token ids (speed does not depend on the values);
* embed 64 / 256 / 1024 (`--quick`: 64 and 256), fp and 1bit.

Each configuration runs in its own child process (this script with `--child JSON`), so
its peak RSS (`ru_maxrss`) is its own. In a child: build the model, take warm-up steps
(at least 2 and at least 1 s; 1 when a step takes > 2 s), then time samples of k steps
(k chosen so that a sample takes ~0.5 s, at least 1 step) until there are at least 5
samples (3 for steps > 2 s) and `--seconds` have passed (at most 30 samples); steps/s is
the median over samples, with min and max as a noise indicator, and cpuPerWall = process
CPU time / wall time over the samples (up to the thread count when all threads are busy).
This is the schedule of bench/train.mjs, which calls this script per configuration.

Output: one JSON object per line on stdout (a header line `{"type": "info", ...}` then
`{"type": "row", ...}` per configuration); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time

VOCAB = 27
SEQ = 29
BATCH = 128
HEADS = 4
LAYERS = 2
LN_EPS = 1e-5
ACT_GAMMA_MIN = 1e-5


def child(spec: dict) -> dict:
    threads = int(spec["threads"])
    # Debian's torch uses OpenBLAS (pthread build) for GEMMs, which starts its own threads
    # (one per core) whatever torch.set_num_threads says; pin both before importing torch
    # so that `threads` is the number of compute threads.
    os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
    os.environ["OMP_NUM_THREADS"] = str(threads)
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    d = int(spec["embed"])
    precision = spec["precision"]
    batch = int(spec.get("batch", BATCH))
    heads = int(spec.get("heads", HEADS))

    def ste(x, q):
        return x + (q - x).detach()

    class BitLinear(nn.Linear):
        """SPEC BitLinear: LN (no affine) -> 8-bit per-token absmax activations (STE) ->
        sign(W - mean W) * mean|W| (STE) -> linear with bias."""

        def forward(self, x):
            h = F.layer_norm(x, (x.shape[-1],), eps=LN_EPS)
            with torch.no_grad():
                gamma = h.abs().amax(dim=-1, keepdim=True).clamp_(min=ACT_GAMMA_MIN)
                q = torch.clamp(torch.round(h * (127.0 / gamma)), -128.0, 127.0) * (gamma / 127.0)
            h = ste(h, q)
            w = self.weight
            with torch.no_grad():
                beta = w.abs().mean()
                wq = torch.where(w >= w.mean(), beta, -beta)
            return F.linear(h, ste(w, wq), self.bias)

    Lin = BitLinear if precision == "1bit" else nn.Linear

    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.q, self.k, self.v, self.o = Lin(d, d), Lin(d, d), Lin(d, d), Lin(d, d)

        def forward(self, h, mask):
            B, T, _ = h.shape
            hd = d // heads

            def split(t):
                return t.view(B, T, heads, hd).transpose(1, 2)

            q, k, v = split(self.q(h)), split(self.k(h)), split(self.v(h))
            s = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
            s = s.masked_fill(mask[:T, :T], float("-inf"))
            p = torch.softmax(s, dim=-1)
            ctx = (p @ v).transpose(1, 2).reshape(B, T, d)
            return self.o(ctx)

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.tok = nn.Embedding(VOCAB, d)
            self.pos = nn.Parameter(torch.zeros(SEQ, d))
            self.ln = nn.LayerNorm(d, eps=LN_EPS)
            self.layers = nn.ModuleList([Attention() for _ in range(LAYERS)])
            self.unembed = nn.Linear(d, VOCAB, bias=False)
            self.register_buffer("mask", torch.triu(torch.ones(SEQ, SEQ, dtype=torch.bool), diagonal=1))
            for name, p in self.named_parameters():
                if name.endswith("bias") or name.startswith("ln."):
                    continue
                nn.init.normal_(p, 0.0, 0.02)

        def forward(self, ids):
            T = ids.shape[1]
            x = self.tok(ids) + self.pos[:T]
            for layer in self.layers:
                x = x + layer(self.ln(x), self.mask)
            return self.unembed(x)

    model = Model()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.98), eps=1e-8, weight_decay=0.01)
    gen = torch.Generator().manual_seed(1)
    batches = [torch.randint(0, VOCAB, (batch, SEQ + 1), generator=gen) for _ in range(4)]
    state = {"i": 0}

    def step():
        tokens = batches[state["i"] % len(batches)]
        state["i"] += 1
        x, y = tokens[:, :-1], tokens[:, 1:]
        opt.zero_grad(set_to_none=True)
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1))
        loss.backward()
        opt.step()
        return loss.item()

    seconds = float(spec.get("seconds", 4.0))
    # Same schedule as bench/train.mjs: warm-up >= 2 steps and >= 1 s (1 step when a step
    # takes > 2 s), samples of k steps (~0.5 s), >= 5 samples (3 for slow steps) and
    # >= `seconds`, at most 30.
    t0 = time.perf_counter()
    warm = 0
    while True:
        step()
        warm += 1
        elapsed = time.perf_counter() - t0
        step_s = elapsed / warm
        if warm >= (1 if step_s > 2 else 2) and (elapsed >= 1.0 or step_s > 2):
            break
    min_samples = 3 if step_s > 2 else 5
    k = max(1, int(round(0.5 / max(step_s, 1e-9))))
    samples = []
    cpu_total = 0.0
    wall_total = 0.0
    t_start = time.perf_counter()
    while len(samples) < min_samples or (time.perf_counter() - t_start < seconds and len(samples) < 30):
        a = time.perf_counter()
        c = time.process_time()
        for _ in range(k):
            loss = step()
        wall = time.perf_counter() - a
        cpu_total += time.process_time() - c
        wall_total += wall
        samples.append(k / wall)
    if not math.isfinite(loss):
        raise RuntimeError(f"non-finite loss {loss}")
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "type": "row",
        "framework": "pytorch",
        "embed": d,
        "precision": precision,
        "batch": batch,
        "heads": heads,
        "threads": threads,
        "torchThreads": torch.get_num_threads(),
        "stepsPerSec": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "samples": len(samples),
        "stepsPerSample": k,
        "warmupSteps": warm,
        "cpuPerWall": cpu_total / wall_total if wall_total > 0 else float("nan"),
        "cpuStepsPerSec": len(samples) * k / cpu_total if cpu_total > 0 else float("nan"),
        "peakRssMiB": rss_kib / 1024.0,
        "loss": loss,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="embed 64 and 256 only")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="torch.set_num_threads (default: all cores)")
    ap.add_argument("--seconds", type=float, default=4.0, help="timed seconds per configuration (after warm-up)")
    ap.add_argument("--embeds", type=str, default=None, help="comma-separated embed sizes (overrides --quick)")
    ap.add_argument("--precisions", type=str, default="fp,1bit")
    ap.add_argument("--child", type=str, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child is not None:
        print(json.dumps(child(json.loads(args.child))), flush=True)
        return 0

    import torch  # noqa: F401  (only to report the version; children import it themselves)

    embeds = [int(e) for e in args.embeds.split(",")] if args.embeds else ([64, 256] if args.quick else [64, 256, 1024])
    precisions = [p for p in args.precisions.split(",") if p]
    for p in precisions:
        if p not in ("fp", "1bit"):
            raise SystemExit(f"precision {p!r} not in fp|1bit")
    info = {
        "type": "info",
        "framework": "pytorch",
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "threads": args.threads,
        "cpus": os.cpu_count(),
        "batch": BATCH,
        "heads": HEADS,
        "seqLength": SEQ,
        "vocab": VOCAB,
    }
    print(json.dumps(info), flush=True)
    status = 0
    for d in embeds:
        for p in precisions:
            spec = {"embed": d, "precision": p, "threads": args.threads, "seconds": args.seconds}
            sys.stderr.write(f"torch bench: embed {d} {p}...\n")
            t0 = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, os.path.abspath(__file__), "--child", json.dumps(spec)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
            if proc.returncode != 0 or not lines:
                status = 1
                err = (proc.stderr.strip().splitlines() or ["no output"])[-1]
                print(json.dumps({"type": "error", "framework": "pytorch", "embed": d, "precision": p, "error": err}), flush=True)
            else:
                print(lines[-1], flush=True)
            sys.stderr.write(f"torch bench: embed {d} {p} took {time.perf_counter() - t0:.1f} s\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
