"""PyTorch reference implementation of the @ihc/model transformer (docs/SPEC.md).

Used only to generate the committed parity fixtures (tools/make_fixtures.py); neither
the packages nor CI need PyTorch. Written from the SPEC, not from the original study:

* parameters are named as in the SPEC and stored in TF.js kernel layout ``[in, out]``
  (a linear layer is ``x @ W + b``);
* embedding is ``onehot(ids) @ tok_embed``, plus ``pos_embed[:T]`` (learnable), a
  sinusoid (sin on even dims, cos on odd dims, base 10000) or nothing;
* 2 attention-only layers with ONE LayerNorm (eps 1e-5, affine) shared by all layers,
  norm mode pre (``x + attn(LN(x))``), post (``x + LN(attn(x))``) or none;
* causal attention, scores ``q k^T / sqrt(hd)``, vanilla or off-by-one softmax
  (``exp(s) / (1 + sum exp(s))``, computed stably);
* Q/K/V/O are plain ``x @ W + b`` (fp) or BitLinear (1bit, 1.58bit, frozen-sign):
  LayerNorm without affine (eps 1e-5, biased variance), 8-bit absmax activation
  quantisation (per token or per tensor) with a straight-through estimator, weights
  ``sign(W - mean W) * mean|W|`` (sign(0) = +1) or
  ``round(clip(W / (mean|W| + 1e-8), -1, 1)) * mean|W|``, both with an STE;
* logits ``x @ unembed.kernel`` (no bias, no final norm).

Every quantiser can record the values it rounds (``Recorder``) so the fixture
generator can reject seeds that put a value within a margin of a rounding boundary:
float32 results of two implementations differ in the last bits, and a value sitting on
a boundary would round differently and make a parity test meaningless.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import torch

LN_EPS = 1e-5
TERNARY_EPS = 1e-8
ACT_GAMMA_MIN = 1e-5
QKVO = ("q", "k", "v", "o")


@dataclass
class ModelConfig:
    vocabSize: int = 27
    maxSeqLength: int = 29
    embedSize: int = 16
    numHeads: int = 2
    numLayers: int = 2
    posEmbed: str = "learnable"  # learnable | trigonometric | none
    posInit: str = "normal"
    norm: str = "pre"  # pre | post | none
    softmax: str = "vanilla"  # vanilla | off-by-one
    precision: str = "fp"  # fp | 1bit | 1.58bit | frozen-sign
    activationBits: Optional[int] = 8  # 8 | None
    activationScaling: str = "per-token"  # per-token | per-tensor
    initStd: float = 0.02

    def as_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Recorder:
    """Collects the distance of every rounded / sign-tested value to its boundary."""

    activation_margin: float = math.inf  # min |frac(x*127/gamma) - 0.5| over all values
    weight_sign_margin: float = math.inf  # min |W - mean W| / mean|W| (1bit)
    ternary_margin: float = math.inf  # min | |W/beta| - 0.5 | (1.58bit)
    notes: List[str] = field(default_factory=list)

    def activation(self, scaled: torch.Tensor) -> None:
        s = scaled.detach().double()
        d = (s - torch.floor(s) - 0.5).abs().min().item()
        self.activation_margin = min(self.activation_margin, d)

    def sign(self, centred: torch.Tensor, beta: torch.Tensor) -> None:
        d = (centred.detach().abs() / beta.detach()).min().item()
        self.weight_sign_margin = min(self.weight_sign_margin, d)

    def ternary(self, scaled: torch.Tensor) -> None:
        d = (scaled.detach().abs() - 0.5).abs().min().item()
        self.ternary_margin = min(self.ternary_margin, d)


def ste(x: torch.Tensor, q: torch.Tensor) -> torch.Tensor:
    """Straight-through estimator: value q, gradient of x."""
    return x + (q - x).detach()


def layer_norm(x: torch.Tensor, gamma=None, beta=None, eps: float = LN_EPS) -> torch.Tensor:
    mean = x.mean(dim=-1, keepdim=True)
    var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)  # biased variance
    y = (x - mean) * torch.rsqrt(var + eps)
    if gamma is not None:
        y = y * gamma + beta
    return y


def quantize_activations(x: torch.Tensor, bits: int, scaling: str, rec: Optional[Recorder]) -> torch.Tensor:
    assert bits == 8, "the SPEC defines 8-bit activations only"
    qmax, qmin = 127.0, -128.0
    if scaling == "per-token":
        gamma = x.detach().abs().amax(dim=-1, keepdim=True)
    elif scaling == "per-tensor":
        gamma = x.detach().abs().max()
    else:
        raise ValueError(f"activationScaling {scaling!r} not in per-token|per-tensor")
    gamma = gamma.clamp(min=ACT_GAMMA_MIN)
    # x * (127 / gamma) and levels * (gamma / 127): the same operation order as
    # @ihc/bitlinear (quantizeWithGamma), so float32 results agree to the last bit more often.
    scaled = x.detach() * (qmax / gamma)
    if rec is not None:
        rec.activation(scaled)
    # torch.round is round-half-to-even, as is TF.js' cpu Round kernel.
    q = torch.clamp(torch.round(scaled), qmin, qmax) * (gamma / qmax)
    return ste(x, q)


def binarize_weights(w: torch.Tensor, rec: Optional[Recorder]) -> torch.Tensor:
    wd = w.detach()
    centred = wd - wd.mean()
    beta = wd.abs().mean()
    if rec is not None:
        rec.sign(centred, beta)
    sign = torch.where(centred >= 0, torch.ones_like(wd), -torch.ones_like(wd))  # sign(0) := +1
    return ste(w, sign * beta)


def ternarize_weights(w: torch.Tensor, rec: Optional[Recorder]) -> torch.Tensor:
    wd = w.detach()
    beta = wd.abs().mean()
    scaled = wd / (beta + TERNARY_EPS)
    if rec is not None:
        rec.ternary(scaled)
    return ste(w, torch.round(torch.clamp(scaled, -1.0, 1.0)) * beta)


def linear(x, kernel, bias, cfg: ModelConfig, rec: Optional[Recorder]) -> torch.Tensor:
    if cfg.precision == "fp":
        return x @ kernel + bias
    h = layer_norm(x)  # no affine
    if cfg.activationBits is not None:
        h = quantize_activations(h, cfg.activationBits, cfg.activationScaling, rec)
    if cfg.precision in ("1bit", "frozen-sign"):
        wq = binarize_weights(kernel, rec)
    elif cfg.precision == "1.58bit":
        wq = ternarize_weights(kernel, rec)
    else:
        raise ValueError(f"precision {cfg.precision!r} not in fp|1bit|1.58bit|frozen-sign")
    if cfg.precision == "frozen-sign":
        wq = wq.detach()
    return h @ wq + bias


def sinusoid(T: int, d: int) -> torch.Tensor:
    """pe[p, j] = sin(p / 10000^(2i/d)) for j = 2i, cos(p / 10000^(2i/d)) for j = 2i+1.

    Computed in float64 and rounded once to float32 (as a JS Float32Array of Math.sin).
    """
    pos = torch.arange(T, dtype=torch.float64)[:, None]
    j = torch.arange(d, dtype=torch.float64)[None, :]
    angle = pos / torch.pow(torch.tensor(10000.0, dtype=torch.float64), (j - torch.remainder(j, 2)) / d)
    pe = torch.where(torch.remainder(j, 2) == 0, torch.sin(angle), torch.cos(angle))
    return pe.float()


def softmax(s: torch.Tensor, mode: str) -> torch.Tensor:
    if mode == "vanilla":
        return torch.softmax(s, dim=-1)
    if mode == "off-by-one":
        # exp(s) / (1 + sum exp(s)) with an implicit zero logit: shift by m = max(0, max s).
        m = torch.clamp(s.amax(dim=-1, keepdim=True), min=0.0).detach()
        e = torch.exp(s - m)
        return e / (torch.exp(-m) + e.sum(dim=-1, keepdim=True))
    raise ValueError(f"softmax {mode!r} not in vanilla|off-by-one")


def attention(h, params, i: int, cfg: ModelConfig, rec):
    B, T, d = h.shape
    H = cfg.numHeads
    hd = d // H
    p = f"layers.{i}.attn."
    q = linear(h, params[p + "q.kernel"], params[p + "q.bias"], cfg, rec)
    k = linear(h, params[p + "k.kernel"], params[p + "k.bias"], cfg, rec)
    v = linear(h, params[p + "v.kernel"], params[p + "v.bias"], cfg, rec)

    def split(t):
        return t.reshape(B, T, H, hd).permute(0, 2, 1, 3)

    q, k, v = split(q), split(k), split(v)
    s = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
    mask = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
    s = s.masked_fill(mask, float("-inf"))
    probs = softmax(s, cfg.softmax)
    ctx = (probs @ v).permute(0, 2, 1, 3).reshape(B, T, d)
    out = linear(ctx, params[p + "o.kernel"], params[p + "o.bias"], cfg, rec)
    return out, probs


def forward(params: Dict[str, torch.Tensor], cfg: ModelConfig, ids: torch.Tensor, rec: Optional[Recorder] = None):
    """Returns (logits [B,T,V], [attention per layer [B,H,T,T]])."""
    B, T = ids.shape
    assert T <= cfg.maxSeqLength
    dtype = params["tok_embed"].dtype
    onehot = torch.nn.functional.one_hot(ids.long(), cfg.vocabSize).to(dtype)
    x = onehot @ params["tok_embed"]
    if cfg.posEmbed == "learnable":
        x = x + params["pos_embed"][:T]
    elif cfg.posEmbed == "trigonometric":
        x = x + sinusoid(T, cfg.embedSize).to(dtype)
    elif cfg.posEmbed != "none":
        raise ValueError(f"posEmbed {cfg.posEmbed!r} not in learnable|trigonometric|none")

    def ln(t):
        return layer_norm(t, params["ln.gamma"], params["ln.beta"])

    attns = []
    for i in range(cfg.numLayers):
        if cfg.norm == "pre":
            a, pr = attention(ln(x), params, i, cfg, rec)
            x = x + a
        elif cfg.norm == "post":
            a, pr = attention(x, params, i, cfg, rec)
            x = x + ln(a)
        elif cfg.norm == "none":
            a, pr = attention(x, params, i, cfg, rec)
            x = x + a
        else:
            raise ValueError(f"norm {cfg.norm!r} not in pre|post|none")
        attns.append(pr)
    logits = x @ params["unembed.kernel"]
    return logits, attns


def loss_all(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Cross entropy, mean over every (batch, position)."""
    V = logits.shape[-1]
    return torch.nn.functional.cross_entropy(logits.reshape(-1, V), labels.reshape(-1).long())


def loss_target(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Cross entropy at the last position only, mean over the batch."""
    return torch.nn.functional.cross_entropy(logits[:, -1, :], labels[:, -1].long())


def param_shapes(cfg: ModelConfig) -> Dict[str, tuple]:
    d, V = cfg.embedSize, cfg.vocabSize
    shapes = {"tok_embed": (V, d)}
    if cfg.posEmbed == "learnable":
        shapes["pos_embed"] = (cfg.maxSeqLength, d)
    if cfg.norm != "none":
        shapes["ln.gamma"] = (d,)
        shapes["ln.beta"] = (d,)
    for i in range(cfg.numLayers):
        for n in QKVO:
            shapes[f"layers.{i}.attn.{n}.kernel"] = (d, d)
            shapes[f"layers.{i}.attn.{n}.bias"] = (d,)
    shapes["unembed.kernel"] = (d, V)
    return shapes


def frozen_names(cfg: ModelConfig) -> List[str]:
    """Parameters that receive no gradient (and no AdamW update): frozen-sign kernels."""
    if cfg.precision != "frozen-sign":
        return []
    return [f"layers.{i}.attn.{n}.kernel" for i in range(cfg.numLayers) for n in QKVO]


def adamw_steps(params: Dict[str, torch.Tensor], grads_per_step: List[Dict[str, torch.Tensor]], lr=1e-3,
                betas=(0.9, 0.98), eps=1e-8, weight_decay=0.01) -> Dict[str, torch.Tensor]:
    """Applies torch.optim.AdamW with the given gradients, one step per dict."""
    leaves = {k: v.detach().clone().requires_grad_(True) for k, v in params.items()}
    opt = torch.optim.AdamW(list(leaves.values()), lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
    for grads in grads_per_step:
        opt.zero_grad(set_to_none=True)
        for k, p in leaves.items():
            if k in grads:
                p.grad = grads[k].detach().clone()
        opt.step()
    return {k: v.detach() for k, v in leaves.items()}
