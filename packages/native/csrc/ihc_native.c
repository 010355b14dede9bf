/*
 * @ihc/native: one training step of the @ihc/model transformer (docs/SPEC.md) in C,
 * with its GEMMs in the system BLAS (OpenBLAS) and every other operation fused by hand:
 * embedding gather, shared LayerNorm (pre / post / none), BitLinear (LayerNorm without
 * affine, 8-bit absmax activations per token or per tensor, binary or ternary weights,
 * straight-through gradients, frozen kernels), causal softmax or off-by-one attention,
 * unembedding, cross-entropy over all positions or at the query position, and AdamW
 * with PyTorch semantics. The TypeScript side (src/native-engine.ts) owns every
 * parameter, gradient and moment buffer (Float32Arrays); this file owns only the
 * activations saved between the forward and backward pass (sized once for the largest
 * batch). Every formula mirrors the TF.js implementation in @ihc/model and
 * @ihc/bitlinear, whose tests (native-engine.test.ts) compare the two.
 *
 * Exports (N-API, version 8):
 *   create(config) -> context           info() -> { blas, threads }
 *   step(ctx, batch, length, ids, labels, queryPos, params[], grads[], posTable, preds) -> loss
 *   sumSquares(arrays[]) -> number      setThreads(n)      contextBytes(ctx)   destroy(ctx)
 *   setProfiling(on)                    profile() -> ms per step by phase (then resets)
 *   adamw(params[], grads[], m[], v[], decay, lr, beta1, beta2, eps, weightDecay, t, gradScale)
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { NORM_NONE = 0, NORM_PRE = 1, NORM_POST = 2 };
enum { POS_NONE = 0, POS_LEARNABLE = 1, POS_TABLE = 2 };
enum { PREC_FP = 0, PREC_BINARY = 1, PREC_TERNARY = 2 };

#define ACT_EPS 1e-5f
#define ACT_QMAX 127.0f
#define ACT_QMIN -128.0f
#define TERNARY_EPS 1e-8f

/* Activations of one layer saved for the backward pass. */
typedef struct {
  float *xin;            /* layer input [N,d] */
  float *h;              /* pre-norm: LN(xin), the attention input */
  float *lnMean, *lnRstd; /* shared LayerNorm statistics (pre: of xin; post: of a) */
  float *inMean, *inRstd; /* BitLinear LayerNorm statistics of the attention input */
  float *hq;             /* BitLinear: quantised LN(attention input), the Q/K/V GEMM input */
  float *q, *k, *v, *z;  /* projections and merged attention output [N,d] */
  float *p;              /* attention probabilities [B,H,T,T] */
  float *zMean, *zRstd, *zq; /* BitLinear of the O projection: statistics, GEMM input */
  float *a;              /* post-norm: attention block output before the LayerNorm */
  float *w[4];           /* BitLinear: quantised Q/K/V/O kernels [d,d] */
} Layer;

typedef struct {
  int V, Tmax, d, H, L, Bmax;
  int norm, pos, prec, frozen, actBits, perTensor, offByOne, lossTarget;
  int gatherMinHead; /* head size from which attention reads padded head copies */
  float eps;
  Layer *layers;
  float *xf, *logits, *dlogits;
  float *dx, *dA, *dOin, *dz, *dq, *dk, *dv, *dGin, *dIn, *y;
  float *dsTmp, *headT, *rowTmp, *blocks;
  double bytes;
  int destroyed;
} Ctx;

/* Parameter pointers in the order documented in native-engine.ts (paramOrder). */
typedef struct {
  float *tok, *pos, *gamma, *beta, *U;
  float *W[64][4];
  float *b[64][4];
} Ptrs;

/* ---------------------------------------------------------------- profiling */

/*
 * Optional per-phase timing (setProfiling / profile): process-wide, for benchmarks.
 * TIMED(phase) { ... } adds the block's wall time to that phase while profiling is on.
 */
enum { PH_MATMUL, PH_ATTENTION, PH_LAYERNORM, PH_QUANTISE, PH_LOSS, PH_COUNT };
static const char *const PHASE_NAMES[PH_COUNT] = {"matmul", "attention", "layerNorm", "quantise", "loss"};
static int profiling = 0;
static double phaseSeconds[PH_COUNT], stepSeconds;
static double profiledSteps;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

#define TIMED(phase)                                                                              \
  for (double t0_ = profiling ? now_seconds() : 0, once_ = 1; once_;                              \
       once_ = 0, phaseSeconds[phase] += profiling ? now_seconds() - t0_ : 0)

/* ---------------------------------------------------------------- kernels */

/* max / min without libm's NaN rules (fmaxf is a call without -ffast-math) */
static inline float FMAX(float a, float b) { return a > b ? a : b; }
static inline float FMIN(float a, float b) { return a < b ? a : b; }

static void *xalloc(Ctx *c, size_t count) {
  c->bytes += (double)count * sizeof(float);
  return calloc(count ? count : 1, sizeof(float));
}

/* y[N,dout] = x[N,din] @ W[din,dout] (+ b) */
static void linear_fwd(const float *x, const float *W, const float *b, float *y, int N, int din, int dout) {
  TIMED(PH_MATMUL) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, dout, din, 1.0f, x, din, W, dout, 0.0f, y, dout);
    if (b) {
      for (int n = 0; n < N; n++) {
        float *row = y + (size_t)n * dout;
        for (int j = 0; j < dout; j++) row[j] += b[j];
      }
    }
  }
}

/* dW[din,dout] = x^T @ dy; db[dout] = column sums of dy (either may be NULL) */
static void linear_param_grads(const float *x, const float *dy, float *dW, float *db, int N, int din, int dout) {
  TIMED(PH_MATMUL) {
    if (dW) cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, din, dout, N, 1.0f, x, din, dy, dout, 0.0f, dW, dout);
    if (db) {
      memset(db, 0, sizeof(float) * dout);
      for (int n = 0; n < N; n++) {
        const float *row = dy + (size_t)n * dout;
        for (int j = 0; j < dout; j++) db[j] += row[j];
      }
    }
  }
}

/* dx[N,din] = beta * dx + dy @ W^T */
static void linear_input_grad(const float *dy, const float *W, float *dx, int N, int din, int dout, float beta) {
  TIMED(PH_MATMUL) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, din, dout, 1.0f, dy, dout, W, dout, beta, dx, din);
  }
}

/* LayerNorm over rows: y = (x - mean) * rstd (* g + b) */
static void ln_fwd(const float *x, float *y, float *mean, float *rstd, int N, int d, const float *g, const float *b, float eps) {
  TIMED(PH_LAYERNORM) {
    for (int n = 0; n < N; n++) {
      const float *xr = x + (size_t)n * d;
      float *yr = y + (size_t)n * d;
      double s = 0;
#pragma omp simd reduction(+ : s)
      for (int j = 0; j < d; j++) s += xr[j];
      const float m = (float)(s / d);
      double s2 = 0;
#pragma omp simd reduction(+ : s2)
      for (int j = 0; j < d; j++) {
        const float cj = xr[j] - m;
        s2 += (double)cj * cj;
      }
      const float r = 1.0f / sqrtf((float)(s2 / d) + eps);
      mean[n] = m;
      rstd[n] = r;
      if (g) {
#pragma omp simd
        for (int j = 0; j < d; j++) yr[j] = ((xr[j] - m) * r) * g[j] + b[j];
      } else {
#pragma omp simd
        for (int j = 0; j < d; j++) yr[j] = (xr[j] - m) * r;
      }
    }
  }
}

/*
 * LayerNorm backward: with gg = dy * g (or dy), xhat = (x - mean) * rstd,
 * dx = rstd * (gg - mean(gg) - xhat * mean(gg * xhat)); written (accumulate 0) or added
 * (accumulate 1) to dx. dg += sum dy * xhat, db += sum dy over rows (each when non-NULL).
 */
static void ln_bwd(const float *x, const float *mean, const float *rstd, const float *dy, float *dx, int N, int d,
                   const float *g, float *dg, float *db, int accumulate) {
  TIMED(PH_LAYERNORM) {
    for (int n = 0; n < N; n++) {
      const float *xr = x + (size_t)n * d;
      const float *dyr = dy + (size_t)n * d;
      float *dxr = dx + (size_t)n * d;
      const float m = mean[n], r = rstd[n];
      double s1 = 0, s2 = 0;
      /* g == NULL: the BitLinear LayerNorm, gain 1 (the multiply by 1 is exact) */
#pragma omp simd reduction(+ : s1, s2)
      for (int j = 0; j < d; j++) {
        const float xhat = (xr[j] - m) * r;
        const float gg = dyr[j] * (g ? g[j] : 1.0f);
        s1 += gg;
        s2 += (double)gg * xhat;
      }
      if (dg) {
#pragma omp simd
        for (int j = 0; j < d; j++) dg[j] += dyr[j] * ((xr[j] - m) * r);
      }
      if (db) {
#pragma omp simd
        for (int j = 0; j < d; j++) db[j] += dyr[j];
      }
      const float m1 = (float)(s1 / d), m2 = (float)(s2 / d);
#pragma omp simd
      for (int j = 0; j < d; j++) {
        const float xhat = (xr[j] - m) * r;
        const float gg = dyr[j] * (g ? g[j] : 1.0f);
        const float v = r * (gg - m1 - xhat * m2);
        dxr[j] = accumulate ? dxr[j] + v : v;
      }
    }
  }
}

/* 8-bit absmax activation quantisation (de-quantised), in place; per row or per tensor. */
static void act_quant(float *x, int N, int d, int perTensor) {
  TIMED(PH_QUANTISE) {
    float tensorMax = 0;
    if (perTensor) {
#pragma omp simd reduction(max : tensorMax)
      for (size_t i = 0; i < (size_t)N * d; i++) tensorMax = FMAX(tensorMax, fabsf(x[i]));
    }
    for (int n = 0; n < N; n++) {
      float *xr = x + (size_t)n * d;
      float amax = tensorMax;
      if (!perTensor) {
        amax = 0;
#pragma omp simd reduction(max : amax)
        for (int j = 0; j < d; j++) amax = FMAX(amax, fabsf(xr[j]));
      }
      const float gamma = FMAX(amax, ACT_EPS);
      const float scale = ACT_QMAX / gamma;
      const float deq = gamma / ACT_QMAX;
#pragma omp simd
      for (int j = 0; j < d; j++) {
        float l = nearbyintf(xr[j] * scale);
        l = FMIN(FMAX(l, ACT_QMIN), ACT_QMAX);
        xr[j] = l * deq;
      }
    }
  }
}

/* Quantised kernel: binary sign(W - mean W) * mean|W|, or ternary round(clip(W / (beta + eps))) * beta. */
static void quant_weights(const float *W, float *out, size_t n, int prec) {
  TIMED(PH_QUANTISE) {
    double s = 0, sa = 0;
    for (size_t i = 0; i < n; i++) {
      s += W[i];
      sa += fabs(W[i]);
    }
    const float mean = (float)(s / n), beta = (float)(sa / n);
    if (prec == PREC_BINARY) {
      for (size_t i = 0; i < n; i++) out[i] = W[i] >= mean ? beta : -beta;
    } else {
      const float denom = beta + TERNARY_EPS;
      for (size_t i = 0; i < n; i++) {
        const float c = nearbyintf(FMIN(FMAX(W[i] / denom, -1.0f), 1.0f));
        out[i] = c * beta;
      }
    }
  }
}

static inline void axpy(float alpha, const float *restrict x, float *restrict y, int n) {
#pragma omp simd
  for (int i = 0; i < n; i++) y[i] += alpha * x[i];
}

/* 16 floats, unaligned (GCC vector extension: one AVX-512 register, or two AVX ones). */
typedef float v16f __attribute__((vector_size(64)));

static inline __attribute__((always_inline)) v16f load16(const float *p) {
  v16f v;
  memcpy(&v, p, sizeof v);
  return v;
}

/*
 * out[k] = sum_{j in [j0, j1)} w[j * wstride] * rows[j * stride + k] for k < n, 16 columns
 * at a time with the accumulators in registers (then the remaining columns one by one).
 * Four partial sums over j (j mod 4) hide the FMA latency on long sums.
 */
static inline __attribute__((always_inline)) void weighted_rows(const float *restrict w, size_t wstride, const float *restrict rows,
                                                              size_t stride, int j0, int j1, float *restrict out, int n) {
  int k = 0;
  for (; k + 16 <= n; k += 16) {
    v16f a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    int j = j0;
    for (; j + 4 <= j1; j += 4) {
      const float *r = rows + (size_t)j * stride + k;
      a0 += w[(size_t)j * wstride] * load16(r);
      a1 += w[(size_t)(j + 1) * wstride] * load16(r + stride);
      a2 += w[(size_t)(j + 2) * wstride] * load16(r + 2 * stride);
      a3 += w[(size_t)(j + 3) * wstride] * load16(r + 3 * stride);
    }
    for (; j < j1; j++) a0 += w[(size_t)j * wstride] * load16(rows + (size_t)j * stride + k);
    const v16f acc = (a0 + a1) + (a2 + a3);
    memcpy(out + k, &acc, sizeof acc);
  }
  for (; k < n; k++) {
    float acc = 0;
    for (int j = j0; j < j1; j++) acc += w[(size_t)j * wstride] * rows[(size_t)j * stride + k];
    out[k] = acc;
  }
}

static int round16(int n) { return (n + 15) & ~15; }

/* rowsT[k * ld + j] = rows[j * stride + k] for j < T, k < hd: one head's block, transposed. */
static void transpose_block(const float *rows, size_t stride, int T, int hd, float *rowsT, int ld) {
  for (int j = 0; j < T; j++) {
    const float *r = rows + (size_t)j * stride;
    for (int k = 0; k < hd; k++) rowsT[(size_t)k * ld + j] = r[k];
  }
}

/*
 * Rows of one (batch, head) as the attention loops read them: straight from the [N, d]
 * tensors for small heads, or copied to blocks with row stride hd + 16 from hd 64 up,
 * where reading a column block down rows of stride d (4 KiB at d 1024) maps every row to
 * the same L1 set; the padded stride spreads them.
 */
#define GATHER_MIN_HEAD 64 /* default of the context's gatherMinHead */

static int block_stride(int hd) { return hd + 16; }

/* Returns the rows to read (and sets *stride): the tensor itself, or `block` filled with a copy. */
static const float *head_rows(const Ctx *c, const float *rows, int T, float *block, size_t *stride) {
  const int d = c->d, hd = c->d / c->H;
  if (hd < c->gatherMinHead) {
    *stride = (size_t)d;
    return rows;
  }
  const int bs = block_stride(hd);
  for (int j = 0; j < T; j++) memcpy(block + (size_t)j * bs, rows + (size_t)j * d, sizeof(float) * hd);
  *stride = (size_t)bs;
  return block;
}

/* Causal attention of every (batch, head): p = softmax(q k^T / sqrt(hd) + mask), z = p v. */
static void attn_fwd(const Ctx *c, Layer *ly, int B, int T) {
  TIMED(PH_ATTENTION) {
    const int d = c->d, H = c->H, hd = d / H, ld = round16(c->Tmax);
    const float sc = sqrtf((float)hd);
    float *kT = c->headT, *srow = c->rowTmp;
    for (int b = 0; b < B; b++) {
      for (int h = 0; h < H; h++) {
        const size_t base = (size_t)b * T * d + (size_t)h * hd; /* row 0 of this (batch, head) */
        size_t vs;
        const float *vRows = head_rows(c, ly->v + base, T, c->blocks, &vs);
        transpose_block(ly->k + base, d, T, hd, kT, ld);
        for (int i = 0; i < T; i++) {
          float *prow = ly->p + (((size_t)b * H + h) * T + i) * T;
          /* srow[j] = q_i . k_j, 16 keys at a time (columns past i are not used) */
          weighted_rows(ly->q + base + (size_t)i * d, 1, kT, ld, 0, hd, srow, round16(i + 1));
          float mx = -INFINITY;
          for (int j = 0; j <= i; j++) {
            prow[j] = srow[j] / sc;
            mx = FMAX(mx, prow[j]);
          }
          if (c->offByOne) mx = FMAX(mx, 0.0f);
          float sum = 0;
          for (int j = 0; j <= i; j++) {
            prow[j] = expf(prow[j] - mx);
            sum += prow[j];
          }
          const float denom = c->offByOne ? expf(-mx) + sum : sum;
          for (int j = 0; j <= i; j++) prow[j] = prow[j] / denom;
          for (int j = i + 1; j < T; j++) prow[j] = 0;
          weighted_rows(prow, 1, vRows, vs, 0, i + 1, ly->z + base + (size_t)i * d, hd);
        }
      }
    }
  }
}

/*
 * Attention backward: dz -> dq, dk, dv (softmax and off-by-one share
 * ds = p (dp - sum p dp)). Per (batch, head): dp_ij = dz_i . v_j, ds as above (scaled by
 * 1/sqrt(hd)), dq_i = sum_j ds_ij k_j; then dv_j = sum_{i>=j} p_ij dz_i and
 * dk_j = sum_{i>=j} ds_ij q_i. Every output row is written once.
 */
static void attn_bwd(const Ctx *c, const Layer *ly, const float *dz, float *dq, float *dk, float *dv, int B, int T) {
  TIMED(PH_ATTENTION) {
    const int d = c->d, H = c->H, hd = d / H, ld = round16(c->Tmax);
    const float sc = sqrtf((float)hd);
    float *ds = c->dsTmp, *vT = c->headT, *dprow = c->rowTmp; /* [T, T], [hd, ld], [ld] */
    const size_t blockSize = (size_t)c->Tmax * block_stride(hd);
    for (int b = 0; b < B; b++) {
      for (int h = 0; h < H; h++) {
        const size_t base = (size_t)b * T * d + (size_t)h * hd;
        const float *p = ly->p + ((size_t)b * H + h) * T * T;
        size_t ks, qs, dzs;
        const float *kRows = head_rows(c, ly->k + base, T, c->blocks, &ks);
        const float *qRows = head_rows(c, ly->q + base, T, c->blocks + blockSize, &qs);
        const float *dzRows = head_rows(c, dz + base, T, c->blocks + 2 * blockSize, &dzs);
        transpose_block(ly->v + base, d, T, hd, vT, ld);
        for (int i = 0; i < T; i++) {
          const float *prow = p + (size_t)i * T;
          float *dsrow = ds + (size_t)i * T;
          weighted_rows(dz + base + (size_t)i * d, 1, vT, ld, 0, hd, dprow, round16(i + 1)); /* dp_ij = dz_i . v_j */
          float cdot = 0;
          for (int j = 0; j <= i; j++) cdot += prow[j] * dprow[j];
          for (int j = 0; j <= i; j++) dsrow[j] = prow[j] * (dprow[j] - cdot) / sc;
          for (int j = i + 1; j < T; j++) dsrow[j] = 0;
          weighted_rows(dsrow, 1, kRows, ks, 0, i + 1, dq + base + (size_t)i * d, hd);
        }
        for (int j = 0; j < T; j++) {
          weighted_rows(p + j, T, dzRows, dzs, j, T, dv + base + (size_t)j * d, hd);
          weighted_rows(ds + j, T, qRows, qs, j, T, dk + base + (size_t)j * d, hd);
        }
      }
    }
  }
}

/* ------------------------------------------------------------ the step */

static int is_bit(const Ctx *c) { return c->prec != PREC_FP; }

/* Forward and backward of one batch; gradients written to g (NULL entries are skipped). */
static double train_step(Ctx *c, int B, int T, const int32_t *ids, const int32_t *labels, const int32_t *qpos,
                         const Ptrs *P, const Ptrs *G, const float *posTable, int32_t *preds) {
  const int d = c->d, V = c->V, N = B * T;
  const size_t nd = (size_t)N * d;
  const int bit = is_bit(c);

  /* embedding */
  float *x = c->layers[0].xin;
  for (int n = 0; n < N; n++) {
    const int t = n % T;
    const float *e = P->tok + (size_t)ids[n] * d;
    float *xr = x + (size_t)n * d;
    if (c->pos == POS_LEARNABLE) {
      const float *pr = P->pos + (size_t)t * d;
      for (int j = 0; j < d; j++) xr[j] = e[j] + pr[j];
    } else if (c->pos == POS_TABLE) {
      const float *pr = posTable + (size_t)t * d;
      for (int j = 0; j < d; j++) xr[j] = e[j] + pr[j];
    } else {
      memcpy(xr, e, sizeof(float) * d);
    }
  }

  /* layers */
  for (int l = 0; l < c->L; l++) {
    Layer *ly = &c->layers[l];
    float *xout = l + 1 < c->L ? c->layers[l + 1].xin : c->xf;
    const float *in = ly->xin;
    if (c->norm == NORM_PRE) {
      ln_fwd(ly->xin, ly->h, ly->lnMean, ly->lnRstd, N, d, P->gamma, P->beta, c->eps);
      in = ly->h;
    }
    const float *gin = in;
    if (bit) {
      for (int j = 0; j < 4; j++) quant_weights(P->W[l][j], ly->w[j], (size_t)d * d, c->prec);
      ln_fwd(in, ly->hq, ly->inMean, ly->inRstd, N, d, NULL, NULL, c->eps);
      if (c->actBits) act_quant(ly->hq, N, d, c->perTensor);
      gin = ly->hq;
    }
    const float *wq = bit ? ly->w[0] : P->W[l][0];
    const float *wk = bit ? ly->w[1] : P->W[l][1];
    const float *wv = bit ? ly->w[2] : P->W[l][2];
    const float *wo = bit ? ly->w[3] : P->W[l][3];
    linear_fwd(gin, wq, P->b[l][0], ly->q, N, d, d);
    linear_fwd(gin, wk, P->b[l][1], ly->k, N, d, d);
    linear_fwd(gin, wv, P->b[l][2], ly->v, N, d, d);
    attn_fwd(c, ly, B, T);
    const float *oin = ly->z;
    if (bit) {
      ln_fwd(ly->z, ly->zq, ly->zMean, ly->zRstd, N, d, NULL, NULL, c->eps);
      if (c->actBits) act_quant(ly->zq, N, d, c->perTensor);
      oin = ly->zq;
    }
    float *out = c->norm == NORM_POST ? ly->a : c->y;
    linear_fwd(oin, wo, P->b[l][3], out, N, d, d);
    if (c->norm == NORM_POST) {
      ln_fwd(ly->a, c->y, ly->lnMean, ly->lnRstd, N, d, P->gamma, P->beta, c->eps);
    }
    for (size_t i = 0; i < nd; i++) xout[i] = ly->xin[i] + c->y[i];
  }

  /* unembedding, loss, predictions */
  linear_fwd(c->xf, P->U, NULL, c->logits, N, d, V);
  double loss = 0;
  int rows = 0;
  TIMED(PH_LOSS) {
    memset(c->dlogits, 0, sizeof(float) * (size_t)N * V);
    rows = c->lossTarget ? B : N;
    for (int r = 0; r < rows; r++) {
      const int n = c->lossTarget ? r * T + qpos[r] : r;
      const float *lr = c->logits + (size_t)n * V;
      float *dr = c->dlogits + (size_t)n * V;
      float mx = lr[0];
      for (int j = 1; j < V; j++) mx = FMAX(mx, lr[j]);
      double sum = 0;
      for (int j = 0; j < V; j++) {
        dr[j] = expf(lr[j] - mx);
        sum += dr[j];
      }
      loss += mx + log(sum) - lr[labels[n]];
      const float inv = (float)(1.0 / (sum * rows));
      for (int j = 0; j < V; j++) dr[j] *= inv;
      dr[labels[n]] -= 1.0f / rows;
    }
    for (int b = 0; b < B; b++) {
      const float *lr = c->logits + ((size_t)b * T + qpos[b]) * V;
      int best = 0;
      for (int j = 1; j < V; j++) if (lr[j] > lr[best]) best = j;
      preds[b] = best;
    }
  }

  /* backward */
  linear_param_grads(c->xf, c->dlogits, G->U, NULL, N, d, V);
  linear_input_grad(c->dlogits, P->U, c->dx, N, d, V, 0.0f);
  if (G->gamma) memset(G->gamma, 0, sizeof(float) * d);
  if (G->beta) memset(G->beta, 0, sizeof(float) * d);
  for (int l = c->L - 1; l >= 0; l--) {
    Layer *ly = &c->layers[l];
    const float *dA = c->dx;
    if (c->norm == NORM_POST) {
      ln_bwd(ly->a, ly->lnMean, ly->lnRstd, c->dx, c->dA, N, d, P->gamma, G->gamma, G->beta, 0);
      dA = c->dA;
    }
    const float *wq = bit ? ly->w[0] : P->W[l][0];
    const float *wk = bit ? ly->w[1] : P->W[l][1];
    const float *wv = bit ? ly->w[2] : P->W[l][2];
    const float *wo = bit ? ly->w[3] : P->W[l][3];
    /* O projection */
    const float *oin = bit ? ly->zq : ly->z;
    linear_param_grads(oin, dA, G->W[l][3], G->b[l][3], N, d, d);
    if (bit) {
      linear_input_grad(dA, wo, c->dOin, N, d, d, 0.0f);
      ln_bwd(ly->z, ly->zMean, ly->zRstd, c->dOin, c->dz, N, d, NULL, NULL, NULL, 0);
    } else {
      linear_input_grad(dA, wo, c->dz, N, d, d, 0.0f);
    }
    attn_bwd(c, ly, c->dz, c->dq, c->dk, c->dv, B, T);
    /* Q/K/V projections */
    const float *in = c->norm == NORM_PRE ? ly->h : ly->xin;
    const float *gin = bit ? ly->hq : in;
    linear_param_grads(gin, c->dq, G->W[l][0], G->b[l][0], N, d, d);
    linear_param_grads(gin, c->dk, G->W[l][1], G->b[l][1], N, d, d);
    linear_param_grads(gin, c->dv, G->W[l][2], G->b[l][2], N, d, d);
    linear_input_grad(c->dq, wq, c->dGin, N, d, d, 0.0f);
    linear_input_grad(c->dk, wk, c->dGin, N, d, d, 1.0f);
    linear_input_grad(c->dv, wv, c->dGin, N, d, d, 1.0f);
    const float *dIn = c->dGin;
    if (bit) {
      ln_bwd(in, ly->inMean, ly->inRstd, c->dGin, c->dIn, N, d, NULL, NULL, NULL, 0);
      dIn = c->dIn;
    }
    /* into the residual stream */
    if (c->norm == NORM_PRE) {
      ln_bwd(ly->xin, ly->lnMean, ly->lnRstd, dIn, c->dx, N, d, P->gamma, G->gamma, G->beta, 1);
    } else {
      for (size_t i = 0; i < nd; i++) c->dx[i] += dIn[i];
    }
  }

  /* embedding gradients */
  memset(G->tok, 0, sizeof(float) * (size_t)V * d);
  if (G->pos) memset(G->pos, 0, sizeof(float) * (size_t)c->Tmax * d);
  for (int n = 0; n < N; n++) {
    const float *dr = c->dx + (size_t)n * d;
    axpy(1.0f, dr, G->tok + (size_t)ids[n] * d, d);
    if (G->pos) axpy(1.0f, dr, G->pos + (size_t)(n % T) * d, d);
  }
  return loss / rows;
}

/* ------------------------------------------------------------- N-API glue */

#define CHECK(call)                                                                     \
  do {                                                                                  \
    if ((call) != napi_ok) {                                                            \
      napi_throw_error(env, "IHC_NATIVE", "N-API call failed: " #call);                 \
      return NULL;                                                                      \
    }                                                                                   \
  } while (0)

static napi_value throw_error(napi_env env, const char *message) {
  napi_throw_error(env, "IHC_NATIVE", message);
  return NULL;
}

static int get_int(napi_env env, napi_value obj, const char *key, int *out) {
  napi_value v;
  if (napi_get_named_property(env, obj, key, &v) != napi_ok) return 0;
  int32_t i;
  if (napi_get_value_int32(env, v, &i) != napi_ok) return 0;
  *out = i;
  return 1;
}

static int get_double(napi_env env, napi_value v, double *out) { return napi_get_value_double(env, v, out) == napi_ok; }

/* A typed array's data and element count; *data = NULL for null/undefined when allowNull. */
static int typed_array(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *length, int allowNull) {
  napi_valuetype vt;
  if (napi_typeof(env, v, &vt) != napi_ok) return 0;
  if (vt == napi_null || vt == napi_undefined) {
    *data = NULL;
    *length = 0;
    return allowNull;
  }
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return 0;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, length, data, &buffer, &offset) != napi_ok) return 0;
  return type == want;
}

/* Element i of a JS array as a Float32Array (typed_array's rules); 0 when it is not one. */
static int float_array_at(napi_env env, napi_value arr, uint32_t i, float **data, size_t *length, int allowNull) {
  napi_value item;
  return napi_get_element(env, arr, i, &item) == napi_ok &&
         typed_array(env, item, napi_float32_array, (void **)data, length, allowNull);
}

/* Frees every activation buffer; the struct itself stays until the JS context is collected. */
static void ctx_free_buffers(Ctx *c) {
  if (c->destroyed) return;
  c->destroyed = 1;
  if (c->layers) {
    for (int l = 0; l < c->L; l++) {
      Layer *ly = &c->layers[l];
      float *bufs[] = {ly->xin, ly->h, ly->lnMean, ly->lnRstd, ly->inMean, ly->inRstd, ly->hq, ly->q, ly->k, ly->v,
                       ly->z, ly->p, ly->zMean, ly->zRstd, ly->zq, ly->a, ly->w[0], ly->w[1], ly->w[2], ly->w[3]};
      for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++) free(bufs[i]);
    }
    free(c->layers);
  }
  float *bufs[] = {c->xf, c->logits, c->dlogits, c->dx, c->dA, c->dOin, c->dz, c->dq, c->dk, c->dv, c->dGin, c->dIn, c->y, c->dsTmp, c->headT, c->rowTmp, c->blocks};
  for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++) free(bufs[i]);
  c->layers = NULL;
  c->bytes = 0;
}

static void ctx_free(Ctx *c) {
  if (!c) return;
  ctx_free_buffers(c);
  free(c);
}

static void finalize_ctx(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  ctx_free((Ctx *)data);
}

static napi_value js_create(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return throw_error(env, "create(config) needs a config object");
  Ctx *c = calloc(1, sizeof(Ctx));
  if (!c) return throw_error(env, "out of memory");
  const char *keys[] = {"vocabSize", "maxSeqLength", "embedSize", "numHeads", "numLayers", "maxBatch", "norm", "pos",
                        "precision", "frozen", "activationBits", "perTensor", "offByOne", "lossTarget"};
  int *fields[] = {&c->V, &c->Tmax, &c->d, &c->H, &c->L, &c->Bmax, &c->norm, &c->pos, &c->prec, &c->frozen, &c->actBits,
                   &c->perTensor, &c->offByOne, &c->lossTarget};
  for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
    if (!get_int(env, argv[0], keys[i], fields[i])) {
      char msg[128];
      snprintf(msg, sizeof msg, "create(config): %s must be an integer", keys[i]);
      free(c);
      return throw_error(env, msg);
    }
  }
  napi_value epsValue;
  double eps;
  CHECK(napi_get_named_property(env, argv[0], "eps", &epsValue));
  if (!get_double(env, epsValue, &eps) || !(eps > 0)) {
    free(c);
    return throw_error(env, "create(config): eps must be a number > 0");
  }
  c->eps = (float)eps;
  c->gatherMinHead = GATHER_MIN_HEAD;
  napi_value gv;
  bool hasGather = false;
  CHECK(napi_has_named_property(env, argv[0], "gatherMinHead", &hasGather));
  if (hasGather) {
    CHECK(napi_get_named_property(env, argv[0], "gatherMinHead", &gv));
    if (napi_get_value_int32(env, gv, &c->gatherMinHead) != napi_ok || c->gatherMinHead < 1) {
      free(c);
      return throw_error(env, "create(config): gatherMinHead must be an integer >= 1");
    }
  }
  if (c->V < 1 || c->Tmax < 1 || c->d < 1 || c->H < 1 || c->d % c->H != 0 || c->L < 1 || c->L > 64 || c->Bmax < 1) {
    free(c);
    return throw_error(env, "create(config): sizes out of range (need d % numHeads == 0, 1 <= numLayers <= 64)");
  }
  const size_t N = (size_t)c->Bmax * c->Tmax, nd = N * c->d, dd = (size_t)c->d * c->d;
  const int bit = is_bit(c);
  c->layers = calloc((size_t)c->L, sizeof(Layer));
  for (int l = 0; l < c->L; l++) {
    Layer *ly = &c->layers[l];
    ly->xin = xalloc(c, nd);
    ly->q = xalloc(c, nd);
    ly->k = xalloc(c, nd);
    ly->v = xalloc(c, nd);
    ly->z = xalloc(c, nd);
    ly->p = xalloc(c, (size_t)c->Bmax * c->H * c->Tmax * c->Tmax);
    if (c->norm == NORM_PRE) ly->h = xalloc(c, nd);
    if (c->norm != NORM_NONE) {
      ly->lnMean = xalloc(c, N);
      ly->lnRstd = xalloc(c, N);
    }
    if (c->norm == NORM_POST) ly->a = xalloc(c, nd);
    if (bit) {
      ly->inMean = xalloc(c, N);
      ly->inRstd = xalloc(c, N);
      ly->hq = xalloc(c, nd);
      ly->zMean = xalloc(c, N);
      ly->zRstd = xalloc(c, N);
      ly->zq = xalloc(c, nd);
      for (int j = 0; j < 4; j++) ly->w[j] = xalloc(c, dd);
    }
  }
  c->xf = xalloc(c, nd);
  c->y = xalloc(c, nd);
  c->logits = xalloc(c, N * c->V);
  c->dlogits = xalloc(c, N * c->V);
  c->dx = xalloc(c, nd);
  c->dz = xalloc(c, nd);
  c->dq = xalloc(c, nd);
  c->dk = xalloc(c, nd);
  c->dv = xalloc(c, nd);
  c->dGin = xalloc(c, nd);
  if (c->norm == NORM_POST) c->dA = xalloc(c, nd);
  if (bit) {
    c->dOin = xalloc(c, nd);
    c->dIn = xalloc(c, nd);
  }
  c->dsTmp = xalloc(c, (size_t)c->Tmax * c->Tmax);
  c->headT = xalloc(c, (size_t)(c->d / c->H) * round16(c->Tmax));
  c->rowTmp = xalloc(c, (size_t)round16(c->Tmax));
  c->blocks = xalloc(c, 3 * (size_t)c->Tmax * block_stride(c->d / c->H));
  napi_value out;
  CHECK(napi_create_external(env, c, finalize_ctx, NULL, &out));
  return out;
}

static Ctx *get_ctx(napi_env env, napi_value v) {
  void *data = NULL;
  if (napi_get_value_external(env, v, &data) != napi_ok) return NULL;
  return (Ctx *)data;
}

static napi_value js_destroy(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Ctx *c = argc < 1 ? NULL : get_ctx(env, argv[0]);
  if (!c) return throw_error(env, "destroy needs a context from create()");
  ctx_free_buffers(c);
  return NULL;
}

/* Fill pointers from a JS array of Float32Arrays in paramOrder; checks each length. */
static int read_ptrs(napi_env env, const Ctx *c, napi_value arr, Ptrs *P, int allowNull, char *err, size_t errLen) {
  uint32_t count;
  if (napi_get_array_length(env, arr, &count) != napi_ok) {
    snprintf(err, errLen, "expected an array of Float32Arrays");
    return 0;
  }
  const int hasPos = c->pos == POS_LEARNABLE, hasLn = c->norm != NORM_NONE;
  const uint32_t want = 1 + hasPos + 2 * hasLn + 8 * c->L + 1;
  if (count != want) {
    snprintf(err, errLen, "expected %u arrays in paramOrder, got %u", want, count);
    return 0;
  }
  memset(P, 0, sizeof *P);
  const size_t d = c->d, dd = d * d;
  uint32_t idx = 0;
  float **slots[4 + 8 * 64 + 1];
  size_t sizes[4 + 8 * 64 + 1];
  int s = 0;
  slots[s] = &P->tok, sizes[s++] = (size_t)c->V * d;
  if (hasPos) slots[s] = &P->pos, sizes[s++] = (size_t)c->Tmax * d;
  if (hasLn) {
    slots[s] = &P->gamma, sizes[s++] = d;
    slots[s] = &P->beta, sizes[s++] = d;
  }
  for (int l = 0; l < c->L; l++) {
    for (int j = 0; j < 4; j++) {
      slots[s] = &P->W[l][j], sizes[s++] = dd;
      slots[s] = &P->b[l][j], sizes[s++] = d;
    }
  }
  slots[s] = &P->U, sizes[s++] = d * c->V;
  for (idx = 0; idx < count; idx++) {
    float *data;
    size_t length;
    if (!float_array_at(env, arr, idx, &data, &length, allowNull)) {
      snprintf(err, errLen, "array %u must be a Float32Array%s", idx, allowNull ? " or null" : "");
      return 0;
    }
    if (data && length != sizes[idx]) {
      snprintf(err, errLen, "array %u has %zu values, expected %zu", idx, length, sizes[idx]);
      return 0;
    }
    *slots[idx] = data;
  }
  return 1;
}

static napi_value js_step(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 10) return throw_error(env, "step needs 10 arguments");
  Ctx *c = get_ctx(env, argv[0]);
  if (!c) return throw_error(env, "step: the first argument is not a context from create()");
  if (c->destroyed) return throw_error(env, "step: the context has been destroyed");
  int32_t B, T;
  CHECK(napi_get_value_int32(env, argv[1], &B));
  CHECK(napi_get_value_int32(env, argv[2], &T));
  if (B < 1 || B > c->Bmax || T < 1 || T > c->Tmax) return throw_error(env, "step: batch or length outside the context's sizes");
  int32_t *ids, *labels, *qpos, *preds;
  size_t nIds, nLabels, nQ, nPreds;
  if (!typed_array(env, argv[3], napi_int32_array, (void **)&ids, &nIds, 0) || nIds != (size_t)B * T)
    return throw_error(env, "step: ids must be an Int32Array of batch*length values");
  if (!typed_array(env, argv[4], napi_int32_array, (void **)&labels, &nLabels, 0) || nLabels != (size_t)B * T)
    return throw_error(env, "step: labels must be an Int32Array of batch*length values");
  if (!typed_array(env, argv[5], napi_int32_array, (void **)&qpos, &nQ, 0) || nQ != (size_t)B)
    return throw_error(env, "step: queryPos must be an Int32Array of batch values");
  for (size_t i = 0; i < nIds; i++) {
    if (ids[i] < 0 || ids[i] >= c->V || labels[i] < 0 || labels[i] >= c->V) return throw_error(env, "step: token id outside the vocabulary");
  }
  for (int b = 0; b < B; b++) {
    if (qpos[b] < 0 || qpos[b] >= T) return throw_error(env, "step: queryPos outside 0..length-1");
  }
  char err[160];
  Ptrs P, G;
  if (!read_ptrs(env, c, argv[6], &P, 0, err, sizeof err)) return throw_error(env, err);
  if (!read_ptrs(env, c, argv[7], &G, 1, err, sizeof err)) return throw_error(env, err);
  float *posTable;
  size_t nPos;
  if (!typed_array(env, argv[8], napi_float32_array, (void **)&posTable, &nPos, 1)) return throw_error(env, "step: posTable must be a Float32Array or null");
  if (c->pos == POS_TABLE && (!posTable || nPos < (size_t)T * c->d)) return throw_error(env, "step: posTable needs length*embedSize values");
  if (!typed_array(env, argv[9], napi_int32_array, (void **)&preds, &nPreds, 0) || nPreds != (size_t)B)
    return throw_error(env, "step: preds must be an Int32Array of batch values");
  if (!G.tok || !G.U) return throw_error(env, "step: tok_embed and unembed gradients are required");
  const double t0 = profiling ? now_seconds() : 0;
  const double loss = train_step(c, B, T, ids, labels, qpos, &P, &G, posTable, preds);
  if (profiling) {
    stepSeconds += now_seconds() - t0;
    profiledSteps += 1;
  }
  napi_value out;
  CHECK(napi_create_double(env, loss, &out));
  return out;
}

static napi_value js_sum_squares(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint32_t count;
  if (argc < 1 || napi_get_array_length(env, argv[0], &count) != napi_ok) return throw_error(env, "sumSquares needs an array");
  double total = 0;
  for (uint32_t i = 0; i < count; i++) {
    float *data;
    size_t length;
    if (!float_array_at(env, argv[0], i, &data, &length, 1)) return throw_error(env, "sumSquares: arrays must be Float32Arrays or null");
    for (size_t j = 0; j < length; j++) total += (double)data[j] * data[j];
  }
  napi_value out;
  CHECK(napi_create_double(env, total, &out));
  return out;
}

/* AdamW (PyTorch semantics, the float32 arithmetic of @ihc/model's createAdamW). */
static napi_value js_adamw(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 12) return throw_error(env, "adamw needs 12 arguments");
  double lr, beta1, beta2, eps, wd, tD, gradScale;
  if (!get_double(env, argv[5], &lr) || !get_double(env, argv[6], &beta1) || !get_double(env, argv[7], &beta2) ||
      !get_double(env, argv[8], &eps) || !get_double(env, argv[9], &wd) || !get_double(env, argv[10], &tD) ||
      !get_double(env, argv[11], &gradScale))
    return throw_error(env, "adamw: lr, betas, eps, weightDecay, t and gradScale must be numbers");
  uint8_t *decay;
  size_t nDecay;
  if (!typed_array(env, argv[4], napi_uint8_array, (void **)&decay, &nDecay, 0)) return throw_error(env, "adamw: decay must be a Uint8Array");
  uint32_t count;
  CHECK(napi_get_array_length(env, argv[0], &count));
  if (count != nDecay) return throw_error(env, "adamw: one decay flag per parameter");
  const double bc1 = 1 - pow(beta1, tD), bc2Sqrt = sqrt(1 - pow(beta2, tD));
  const float stepSize = (float)(lr / bc1), decayFactor = (float)(1 - lr * wd);
  const float b1w = (float)(1 - beta1), b2 = (float)beta2, omb2 = (float)(1 - beta2), fe = (float)eps, fbc2 = (float)bc2Sqrt;
  const float scale = (float)gradScale;
  for (uint32_t i = 0; i < count; i++) {
    float *arrs[4];
    size_t lens[4];
    for (int k = 0; k < 4; k++) {
      if (!float_array_at(env, argv[k], i, &arrs[k], &lens[k], 0)) return throw_error(env, "adamw: params, grads, m and v must be Float32Arrays");
    }
    if (lens[1] != lens[0] || lens[2] != lens[0] || lens[3] != lens[0]) return throw_error(env, "adamw: a parameter's grad, m and v must have its length");
    float *p = arrs[0], *g = arrs[1], *m = arrs[2], *v = arrs[3];
    const int dec = wd != 0 && decay[i];
    const float pdecay = dec ? decayFactor : 1.0f; /* p * 1 is exact: no branch in the loop */
#pragma omp simd
    for (size_t j = 0; j < lens[0]; j++) {
      const float gj = g[j] * scale; /* scale 1 (no clipping) is exact */
      const float pd = p[j] * pdecay;
      const float mj = m[j] + (gj - m[j]) * b1w;
      const float vj = v[j] * b2 + (gj * gj) * omb2;
      const float denom = sqrtf(vj) / fbc2 + fe;
      m[j] = mj;
      v[j] = vj;
      p[j] = pd - (mj / denom) * stepSize;
    }
  }
  return NULL;
}

static napi_value js_set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t n;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 1) return throw_error(env, "setThreads needs an integer >= 1");
  openblas_set_num_threads(n);
  return NULL;
}

static napi_value js_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out, blas, threads;
  CHECK(napi_create_object(env, &out));
  CHECK(napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &blas));
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &threads));
  CHECK(napi_set_named_property(env, out, "blas", blas));
  CHECK(napi_set_named_property(env, out, "threads", threads));
  return out;
}

static napi_value js_set_profiling(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  bool on;
  if (argc < 1 || napi_get_value_bool(env, argv[0], &on) != napi_ok) return throw_error(env, "setProfiling needs a boolean");
  profiling = on;
  return NULL;
}

/* Milliseconds per profiled step, by phase ("other": the rest of the step), then resets. */
static napi_value js_profile(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out, v;
  CHECK(napi_create_object(env, &out));
  const double n = profiledSteps > 0 ? profiledSteps : 1;
  double known = 0;
  for (int k = 0; k < PH_COUNT; k++) {
    known += phaseSeconds[k];
    CHECK(napi_create_double(env, phaseSeconds[k] * 1e3 / n, &v));
    CHECK(napi_set_named_property(env, out, PHASE_NAMES[k], v));
  }
  CHECK(napi_create_double(env, (stepSeconds - known) * 1e3 / n, &v));
  CHECK(napi_set_named_property(env, out, "other", v));
  CHECK(napi_create_double(env, stepSeconds * 1e3 / n, &v));
  CHECK(napi_set_named_property(env, out, "step", v));
  CHECK(napi_create_double(env, profiledSteps, &v));
  CHECK(napi_set_named_property(env, out, "steps", v));
  memset(phaseSeconds, 0, sizeof phaseSeconds);
  stepSeconds = 0;
  profiledSteps = 0;
  return out;
}

static napi_value js_context_bytes(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Ctx *c = argc < 1 ? NULL : get_ctx(env, argv[0]);
  if (!c) return throw_error(env, "contextBytes needs a context from create()");
  napi_value out;
  CHECK(napi_create_double(env, c->bytes, &out));
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"create", NULL, js_create, NULL, NULL, NULL, napi_default, NULL},
      {"step", NULL, js_step, NULL, NULL, NULL, napi_default, NULL},
      {"sumSquares", NULL, js_sum_squares, NULL, NULL, NULL, napi_default, NULL},
      {"adamw", NULL, js_adamw, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, js_set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"info", NULL, js_info, NULL, NULL, NULL, napi_default, NULL},
      {"contextBytes", NULL, js_context_bytes, NULL, NULL, NULL, napi_default, NULL},
      {"destroy", NULL, js_destroy, NULL, NULL, NULL, napi_default, NULL},
      {"setProfiling", NULL, js_set_profiling, NULL, NULL, NULL, napi_default, NULL},
      {"profile", NULL, js_profile, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
