"""Writes the PyTorch parity fixtures for @ihc/model: packages/model/fixtures/parity/.

Run with Debian's python (it has torch 1.13):  /usr/bin/python3 tools/make_fixtures.py
Deterministic: the same torch version writes the same bytes. See tools/README.md.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from typing import Dict, List

import numpy as np
import torch

sys.dont_write_bytecode = True  # no tools/__pycache__ in the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_reference as ref  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "packages", "model", "fixtures", "parity")

BATCH = 3
VOCAB = 27
HEADS = 2
ADAMW = {"lr": 1e-3, "betas": [0.9, 0.98], "eps": 1e-8, "weightDecay": 0.01}

# Tolerance used by packages/model/src/parity.test.ts (recorded in every fixture):
#   |actual - expected| <= RTOL * max(|expected|, FLOOR_FRACTION * scale)
# where scale is the largest |expected| of the quantity's group (logits; one layer's
# attention; the loss; all gradients together). AdamW results are compared through the
# update (see ADAMW_FORMULA).
RTOL = 1e-4
FLOOR_FRACTION = 1e-1
ADAMW_FORMULA = ("|actual - expected| <= rtol * max(|expected - before|, floorFraction * lr)"
                 " + 2 float32 ulps of expected")
# Seeds are rejected until every rounded value is at least this far from a rounding
# boundary (in units of the quantisation step), so float32 noise cannot flip a round.
ACTIVATION_MARGIN = 1e-3
TERNARY_MARGIN = 1e-3
SIGN_MARGIN = 1e-4  # |W - mean W| / mean|W|

# (name, precision, posEmbed, norm, softmax, d, T, extra)
CONFIGS = [
    # fp: every posEmbed x norm combination
    ("fp-learnable-pre", "fp", "learnable", "pre", "vanilla", 16, 8, {}),
    ("fp-learnable-post", "fp", "learnable", "post", "vanilla", 32, 7, {}),
    ("fp-learnable-none", "fp", "learnable", "none", "vanilla", 16, 7, {}),
    ("fp-trigonometric-pre", "fp", "trigonometric", "pre", "vanilla", 16, 8, {}),
    ("fp-trigonometric-post", "fp", "trigonometric", "post", "vanilla", 16, 9, {}),
    ("fp-trigonometric-none", "fp", "trigonometric", "none", "vanilla", 16, 8, {}),
    ("fp-none-pre", "fp", "none", "pre", "vanilla", 16, 9, {}),
    ("fp-none-post", "fp", "none", "post", "vanilla", 16, 7, {}),
    ("fp-none-none", "fp", "none", "none", "vanilla", 16, 7, {}),
    ("fp-learnable-pre-offbyone", "fp", "learnable", "pre", "off-by-one", 16, 8, {}),
    # 1-bit: every posEmbed and every norm at least once, one off-by-one
    ("1bit-learnable-pre", "1bit", "learnable", "pre", "vanilla", 16, 8, {}),
    ("1bit-trigonometric-post", "1bit", "trigonometric", "post", "vanilla", 16, 9, {}),
    ("1bit-none-none", "1bit", "none", "none", "vanilla", 32, 7, {}),
    ("1bit-learnable-post-offbyone", "1bit", "learnable", "post", "off-by-one", 16, 8, {}),
    ("1bit-trigonometric-pre-pertensor", "1bit", "trigonometric", "pre", "vanilla", 16, 8,
     {"activationScaling": "per-tensor"}),
    ("1bit-none-pre-noactquant", "1bit", "none", "pre", "vanilla", 16, 8, {"activationBits": None}),
    # 1.58-bit: every posEmbed and every norm once
    ("1p58bit-trigonometric-pre", "1.58bit", "trigonometric", "pre", "vanilla", 16, 8, {}),
    ("1p58bit-learnable-none", "1.58bit", "learnable", "none", "vanilla", 16, 9, {}),
    ("1p58bit-none-post", "1.58bit", "none", "post", "vanilla", 16, 7, {}),
    # frozen-sign: forward as 1bit, no gradient / update for Q/K/V/O kernels
    ("frozensign-learnable-pre", "frozen-sign", "learnable", "pre", "vanilla", 16, 8, {}),
]
# fixtures that also carry the gradients of the target-only loss
TARGET_GRADS = {"fp-learnable-pre"}
# fixtures that carry the weights after one torch.optim.AdamW step (the others keep the
# files small; adamw.json checks AdamW over several steps on its own)
AFTER_STEP = {"fp-learnable-pre", "1bit-learnable-pre", "1p58bit-trigonometric-pre",
              "frozensign-learnable-pre"}


def _num(v: float):
    return 0 if v == 0 else v


def f32_list(t: torch.Tensor, digits: int = 0) -> List[float]:
    """float32 values; digits = 0 writes each exactly, with the fewest digits that
    round-trip to the same float32; digits > 0 rounds to that many significant digits."""
    a = t.detach().to(torch.float32).contiguous().view(-1).numpy()
    if digits == 0:
        return [_num(float(np.format_float_positional(v, unique=True, trim="-"))) for v in a]
    return [_num(float(f"{float(v):.{digits}g}")) for v in a]


def tensor_json(t: torch.Tensor, digits: int = 0) -> dict:
    return {"shape": list(t.shape), "data": f32_list(t, digits)}


# significant digits written per quantity: outputs 7 (relative rounding <= 5e-7, far
# below RTOL); weights are drawn with WEIGHT_DIGITS and so written exactly; AdamW
# results are written exactly (the update is ~1e-3 of the weight).
OUT_DIGITS = 7
WEIGHT_DIGITS = 5


def init_params(cfg: ref.ModelConfig, gen: torch.Generator) -> Dict[str, torch.Tensor]:
    """Random weights, larger than the training init so attention is far from uniform and
    every path (biases, LN affine) carries signal. Rounded to WEIGHT_DIGITS digits, then
    to float32, so the JSON holds the exact values the reference used."""
    d = cfg.embedSize
    out = {}
    for name, shape in ref.param_shapes(cfg).items():
        z = torch.randn(shape, generator=gen, dtype=torch.float64)
        if name == "tok_embed":
            w = z
        elif name == "pos_embed":
            w = 0.5 * z
        elif name == "ln.gamma":
            w = 1.0 + 0.1 * z
        elif name == "ln.beta" or name.endswith(".bias"):
            w = 0.1 * z
        elif name.endswith(".kernel") and name.startswith("layers."):
            w = 1.2 / math.sqrt(d) * z
        elif name == "unembed.kernel":
            w = 1.0 / math.sqrt(d) * z
        else:
            raise KeyError(name)
        w = torch.tensor(np.vectorize(lambda v: float(f"{v:.{WEIGHT_DIGITS}g}"))(w.numpy()), dtype=torch.float64)
        out[name] = w.float()
    return out


def run(params32, cfg, ids, labels, dtype, target_grads=False):
    frozen = set(ref.frozen_names(cfg))
    leaves = {k: v.to(dtype).clone().requires_grad_(k not in frozen) for k, v in params32.items()}
    rec = ref.Recorder()
    logits, attns = ref.forward(leaves, cfg, ids, rec)
    la = ref.loss_all(logits, labels)
    lt = ref.loss_target(logits, labels)
    trainable = [k for k in leaves if k not in frozen]
    g = torch.autograd.grad(la, [leaves[k] for k in trainable], retain_graph=True)
    grads = dict(zip(trainable, g))
    gt = None
    if target_grads:
        g2 = torch.autograd.grad(lt, [leaves[k] for k in trainable])
        gt = dict(zip(trainable, g2))
    return {"logits": logits.detach(), "attention": [a.detach() for a in attns], "lossAll": la.detach(),
            "lossTarget": lt.detach(), "grads": grads, "gradsTarget": gt, "rec": rec}


def rel_dev(a32: torch.Tensor, b64: torch.Tensor, scale: float) -> float:
    """max |a - b| / max(|b|, FLOOR_FRACTION * scale), the quantity the JS test bounds."""
    b = b64.double()
    denom = torch.clamp(b.abs(), min=FLOOR_FRACTION * scale)
    return ((a32.double() - b).abs() / denom).max().item()


def group_max(ts) -> float:
    return max(float(t.detach().abs().max().item()) for t in ts)


def margins_ok(cfg, rec: ref.Recorder) -> bool:
    if cfg.precision == "fp":
        return True
    ok = rec.activation_margin > ACTIVATION_MARGIN if cfg.activationBits is not None else True
    if cfg.precision in ("1bit", "frozen-sign"):
        ok = ok and rec.weight_sign_margin > SIGN_MARGIN
    if cfg.precision == "1.58bit":
        ok = ok and rec.ternary_margin > TERNARY_MARGIN
    return ok


def make_fixture(index: int, spec) -> dict:
    name, precision, pos, norm, smax, d, T, extra = spec
    cfg = ref.ModelConfig(vocabSize=VOCAB, maxSeqLength=T + 2, embedSize=d, numHeads=HEADS, numLayers=2,
                          posEmbed=pos, posInit="normal", norm=norm, softmax=smax, precision=precision,
                          activationBits=extra.get("activationBits", 8),
                          activationScaling=extra.get("activationScaling", "per-token"), initStd=0.02)
    tries = 0
    seed = 1000 * (index + 1)
    while True:
        tries += 1
        gen = torch.Generator().manual_seed(seed)
        params = init_params(cfg, gen)
        ids = torch.randint(0, VOCAB, (BATCH, T), generator=gen, dtype=torch.int64)
        labels = torch.randint(0, VOCAB, (BATCH, T), generator=gen, dtype=torch.int64)
        with torch.no_grad():
            rec = ref.Recorder()
            ref.forward(params, cfg, ids, rec)
        if margins_ok(cfg, rec):
            break
        seed += 1
        if tries > 20000:
            raise RuntimeError(f"{name}: no seed with rounding margins found")
    r32 = run(params, cfg, ids, labels, torch.float32, target_grads=name in TARGET_GRADS)
    r64 = run(params, cfg, ids, labels, torch.float64, target_grads=name in TARGET_GRADS)
    assert margins_ok(cfg, r32["rec"]) and margins_ok(cfg, r64["rec"]), name

    after = ref.adamw_steps(params, [r32["grads"]], lr=ADAMW["lr"], betas=tuple(ADAMW["betas"]), eps=ADAMW["eps"],
                            weight_decay=ADAMW["weightDecay"])
    frozen = ref.frozen_names(cfg)
    for k in frozen:
        assert torch.equal(after[k], params[k]), k

    # float32 (the fixture) against float64: how much float32 noise the tolerance absorbs
    gscale = group_max(r64["grads"].values())
    dev = {
        "logits": rel_dev(r32["logits"], r64["logits"], group_max([r64["logits"]])),
        "attention": max(rel_dev(a, b, group_max([b])) for a, b in zip(r32["attention"], r64["attention"])),
        "lossAll": rel_dev(r32["lossAll"], r64["lossAll"], abs(r64["lossAll"].item())),
        "lossTarget": rel_dev(r32["lossTarget"], r64["lossTarget"], abs(r64["lossTarget"].item())),
        "grads": max(rel_dev(r32["grads"][k], r64["grads"][k], gscale) for k in r32["grads"]),
    }
    for k, v in dev.items():
        if v > 0.1 * RTOL:
            print(f"WARNING {name}: float32 vs float64 deviation of {k} = {v:.3g} > RTOL/10", file=sys.stderr)

    fx = {
        "name": name,
        "description": f"{precision} posEmbed={pos} norm={norm} softmax={smax} d={d} heads={HEADS} T={T} batch={BATCH}"
                       + "".join(f" {k}={v}" for k, v in extra.items()),
        "generator": {"tool": "tools/make_fixtures.py", "torch": torch.__version__, "seed": seed,
                      "seedsTried": tries, "dtype": "float32"},
        "config": cfg.as_json(),
        "ids": ids.tolist(),
        "labels": labels.tolist(),
        "weights": {k: tensor_json(v) for k, v in params.items()},
        "frozen": frozen,
        "logits": tensor_json(r32["logits"], OUT_DIGITS),
        "attention": [tensor_json(a, OUT_DIGITS) for a in r32["attention"]],
        "loss": {"all": float(r32["lossAll"].item()), "target": float(r32["lossTarget"].item())},
        "grads": {k: tensor_json(v, OUT_DIGITS) for k, v in r32["grads"].items()},
        "tolerance": {
            "formula": "|actual - expected| <= rtol * max(|expected|, floorFraction * max|expected over group|)",
            "rtol": RTOL, "floorFraction": FLOOR_FRACTION,
            "groups": "logits; each layer's attention; each loss; all gradients together",
            "adamwFormula": ADAMW_FORMULA,
            "float32VsFloat64": dev,
        },
        "roundingMargins": {
            "activation": None if precision == "fp" or cfg.activationBits is None else r32["rec"].activation_margin,
            "weightSign": None if precision not in ("1bit", "frozen-sign") else r32["rec"].weight_sign_margin,
            "ternary": None if precision != "1.58bit" else r32["rec"].ternary_margin,
            "required": {"activation": ACTIVATION_MARGIN, "weightSign": SIGN_MARGIN, "ternary": TERNARY_MARGIN},
        },
    }
    if r32["gradsTarget"] is not None:
        fx["gradsTarget"] = {k: tensor_json(v, OUT_DIGITS) for k, v in r32["gradsTarget"].items()}
    if name in AFTER_STEP:
        fx["adamw"] = dict(ADAMW, after={k: tensor_json(v) for k, v in after.items()})
    # vanilla softmax is invariant to a constant added to every key, so d loss / d k.bias
    # is analytically 0; its float32 value is rounding noise (see parity.test.ts).
    fx["analyticallyZeroGrads"] = [f"layers.{i}.attn.k.bias" for i in range(cfg.numLayers)] \
        if smax == "vanilla" else []
    return fx


def make_adamw_fixture() -> dict:
    """AdamW alone, several steps with given gradients (checks betas, bias correction,
    decoupled weight decay and eps, which one step from zero state cannot tell apart)."""
    gen = torch.Generator().manual_seed(7)
    shapes = {"a": (3, 4), "b": (5,)}
    params = {k: torch.randn(s, generator=gen).float() for k, s in shapes.items()}
    steps = []
    for s in range(4):
        g = {k: (torch.randn(sh, generator=gen) * (0.1 * (s + 1))).float() for k, sh in shapes.items()}
        g["a"][0, 0] = 0.0  # zero gradient: only decay moves it
        g["a"][0, 1] = 3e-9  # below eps
        if s == 2:
            g["b"] = g["b"] * 100.0
        steps.append(g)
    afters = []
    for s in range(1, len(steps) + 1):
        afters.append(ref.adamw_steps(params, steps[:s], lr=ADAMW["lr"], betas=tuple(ADAMW["betas"]),
                                      eps=ADAMW["eps"], weight_decay=ADAMW["weightDecay"]))
    return {
        "name": "adamw",
        "description": "torch.optim.AdamW on two tensors, 4 steps with the given gradients",
        "generator": {"tool": "tools/make_fixtures.py", "torch": torch.__version__, "seed": 7},
        "adamw": ADAMW,
        "initial": {k: tensor_json(v) for k, v in params.items()},
        "grads": [{k: tensor_json(v) for k, v in g.items()} for g in steps],
        "after": [{k: tensor_json(v) for k, v in a.items()} for a in afters],
    }


def write_json_atomic(path: str, obj) -> None:
    text = json.dumps(obj, separators=(",", ":"), allow_nan=False) + "\n"
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def main() -> None:
    torch.set_num_threads(1)  # summation order independent of the machine
    os.makedirs(OUT_DIR, exist_ok=True)
    index = []
    for i, spec in enumerate(CONFIGS):
        fx = make_fixture(i, spec)
        path = os.path.join(OUT_DIR, f"{fx['name']}.json")
        write_json_atomic(path, fx)
        size = os.path.getsize(path)
        dev = fx["tolerance"]["float32VsFloat64"]
        print(f"{fx['name']:36s} seed {fx['generator']['seed']:6d} tries {fx['generator']['seedsTried']:5d} "
              f"{size / 1024:6.1f} KiB  f32-vs-f64 " + " ".join(f"{k}={v:.1e}" for k, v in dev.items()))
        index.append({"name": fx["name"], "file": f"{fx['name']}.json", "description": fx["description"],
                      "precision": spec[1], "posEmbed": spec[2], "norm": spec[3], "softmax": spec[4]})
    write_json_atomic(os.path.join(OUT_DIR, "adamw.json"), make_adamw_fixture())
    write_json_atomic(os.path.join(OUT_DIR, "index.json"),
                      {"version": 1, "generator": "tools/make_fixtures.py", "torch": torch.__version__,
                       "tolerance": {"rtol": RTOL, "floorFraction": FLOOR_FRACTION},
                       "fixtures": index, "adamw": "adamw.json"})
    total = sum(os.path.getsize(os.path.join(OUT_DIR, f)) for f in os.listdir(OUT_DIR))
    print(f"total {total / 1024:.1f} KiB in {OUT_DIR}")


if __name__ == "__main__":
    main()
