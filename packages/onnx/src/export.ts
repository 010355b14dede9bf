// exportOnnx: the @ihc/model forward (docs/SPEC.md) as an ONNX graph, IR 8, opset 17.
import { validateConfig, validateWeights, type ExportableModel, type ModelConfig } from './config';
import { OnnxError, describeValue } from './errors';
import { toFloat16Array } from './float16';
import { createGraphBuilder, rawBytes, type GraphBuilder } from './graph-builder';
import { DataType, encodeModel, type ModelSpec, type ValueInfoSpec } from './onnx-proto';
import { packSignKernel, packTernaryKernel, unpackKernel, type PackedKernel } from './packing';
import { sinusoidalTable } from './sinusoid';
import { VERSION } from './version';

export const IR_VERSION = 8;
/** Largest protobuf message onnxruntime and the ONNX checker accept (2 GiB - 1). */
export const MAX_PROTO_BYTES = 2 ** 31 - 1;
export const OPSET_VERSION = 17;
/** LayerNorm epsilon of both the shared LayerNorm and BitLinear's (PyTorch's default). */
export const LAYER_NORM_EPS = 1e-5;
/** Lower bound of the activation absmax gamma (as @ihc/bitlinear). */
export const ACTIVATION_EPS = 1e-5;

/** Metadata keys written into `metadata_props`. */
export const METADATA_KEYS = {
  config: 'ihc.config',
  version: 'ihc.onnx.version',
  format: 'ihc.format',
  weights: 'ihc.weights',
} as const;
/** Value of the `ihc.format` metadata entry. */
export const FORMAT = 'ihc-attention-only-v1';

export interface ExportOptions {
  /** Store fp weights (embeddings, biases, LayerNorm, unembed, unpacked kernels) as fp16, cast to fp32 in the graph. Default false. */
  fp16?: boolean;
  /**
   * Store 1-bit / ternary Q/K/V/O kernels bit-packed (UINT8, unpacked by constant-folded
   * graph ops). Default true for '1bit', '1.58bit' and 'frozen-sign'; ignored for 'fp'.
   * false stores the de-quantised kernels (+-beta) as fp32.
   */
  packWeights?: boolean;
  /** Extra `metadata_props` entries (e.g. the tokenizer's vocabulary). */
  metadata?: Readonly<Record<string, string>>;
  /**
   * Also output, per layer, the values BitLinear rounds (`x * 127 / gamma`) as
   * `quant_input_<layer>_qkv` and `quant_input_<layer>_o`, to check how close they come
   * to a rounding boundary (parity tests). Default false.
   */
  exposeQuantizerInputs?: boolean;
  /** Graph name, default 'ihc_attention_only'. */
  graphName?: string;
}

/** How one Q/K/V/O kernel is stored. */
export interface KernelStorage {
  name: string;
  /** 'fp32' | 'fp16': full-precision (or de-quantised) kernel; 'sign-1bit' | 'ternary-2bit': packed. */
  format: 'fp32' | 'fp16' | 'sign-1bit' | 'ternary-2bit';
  /** Bytes of the stored kernel (packed bytes + the 4-byte scale when packed). */
  bytes: number;
  /** Bytes the same kernel takes as fp32. */
  fp32Bytes: number;
}

/** What `buildOnnxModel` produced, before encoding. */
export interface OnnxBuild {
  spec: ModelSpec;
  kernels: KernelStorage[];
}

const PROJ = ['q', 'k', 'v', 'o'] as const;
type Proj = (typeof PROJ)[number];

function isQuantised(config: ModelConfig): boolean {
  return config.precision !== 'fp';
}

function weightsDescription(config: ModelConfig, packed: boolean, fp16: boolean): string {
  const rest = fp16 ? 'fp16' : 'fp32';
  if (!isQuantised(config)) return `qkvo:${rest};rest:${rest}`;
  const q = config.precision === '1.58bit' ? 'ternary-2bit' : 'sign-1bit';
  return `qkvo:${packed ? q : `${rest}-dequantised`};rest:${rest}`;
}

/** Builds the ONNX ModelProto description of a model (see `exportOnnx`). */
export function buildOnnxModel(model: ExportableModel, options: ExportOptions = {}): OnnxBuild {
  if (model === null || typeof model !== 'object') {
    throw new OnnxError('INVALID_MODEL', `exportOnnx needs { config, weights }; got ${describeValue(model)}`);
  }
  const { config, weights } = model;
  validateConfig(config);
  validateWeights(config, weights);
  const fp16 = options.fp16 ?? false;
  if (typeof fp16 !== 'boolean') throw new OnnxError('INVALID_OPTION', `fp16 must be true or false; got ${describeValue(fp16)}`);
  const packOption = options.packWeights ?? true;
  if (typeof packOption !== 'boolean') {
    throw new OnnxError('INVALID_OPTION', `packWeights must be true or false; got ${describeValue(packOption)}`);
  }
  const pack = packOption && isQuantised(config);
  const debugQuant = options.exposeQuantizerInputs === true && isQuantised(config) && config.activationBits !== null;

  const g = createGraphBuilder();
  const d = config.embedSize;
  const heads = config.numHeads;
  const hd = d / heads;
  const maxT = config.maxSeqLength;
  const kernels: KernelStorage[] = [];
  const extraOutputs: ValueInfoSpec[] = [];

  /** A full-precision weight as an fp32 tensor name (fp16 storage + Cast when asked). */
  const weight = (name: string, data: Float32Array, dims: readonly number[]): string => {
    if (!fp16) return g.initializer(name, DataType.FLOAT, dims, rawBytes(data));
    g.initializer(`${name}.f16`, DataType.FLOAT16, dims, rawBytes(toFloat16Array(data)));
    return g.op('Cast', [`${name}.f16`], [{ name: 'to', type: 'int', value: DataType.FLOAT }], name);
  };
  const param = (name: string): string => {
    const w = weights[name];
    return weight(name, w.data, w.shape);
  };

  // --- embedding and positions -------------------------------------------------------
  const ids = 'input_ids';
  let x = g.op('Gather', [param('tok_embed'), ids], [{ name: 'axis', type: 'int', value: 0 }], 'embedded');
  const idsShape = g.op('Shape', [ids], undefined, 'input_shape');
  const seqLen = g.op('Slice', [idsShape, g.i64([1]), g.i64([2]), g.i64([0])], undefined, 'seq_len');
  const firstRows = (table: string, out: string): string =>
    g.op('Slice', [table, g.i64([0]), seqLen, g.i64([0])], undefined, out);
  if (config.posEmbed === 'learnable') {
    x = g.op('Add', [x, firstRows(param('pos_embed'), 'positions')], undefined, 'embedded_with_positions');
  } else if (config.posEmbed === 'trigonometric') {
    const table = g.initializer('sinusoid_table', DataType.FLOAT, [maxT, d], rawBytes(sinusoidalTable(maxT, d)));
    x = g.op('Add', [x, firstRows(table, 'positions')], undefined, 'embedded_with_positions');
  }

  // --- causal mask [T, T]: 0 on and below the diagonal, -Infinity above ---------------
  const maskData = new Float32Array(maxT * maxT);
  for (let i = 0; i < maxT; i++) for (let j = i + 1; j < maxT; j++) maskData[i * maxT + j] = -Infinity;
  const maskTable = g.initializer('causal_mask_table', DataType.FLOAT, [maxT, maxT], rawBytes(maskData));
  const maskEnds = g.op('Concat', [seqLen, seqLen], [{ name: 'axis', type: 'int', value: 0 }], 'mask_ends');
  const mask = g.op('Slice', [maskTable, g.i64([0, 0]), maskEnds, g.i64([0, 1])], undefined, 'causal_mask');

  // --- building blocks -----------------------------------------------------------------
  const lastAxis = [{ name: 'axes', type: 'ints' as const, value: [-1] }, { name: 'keepdims', type: 'int' as const, value: 1 }];
  /** mean-centred x and 1/sqrt(var + eps) pieces of a LayerNorm over the last axis. */
  const centre = (h: string): { centered: string; std: string } => {
    const mean = g.op('ReduceMean', [h], lastAxis);
    const centered = g.op('Sub', [h, mean]);
    const variance = g.op('ReduceMean', [g.op('Mul', [centered, centered])], lastAxis);
    const std = g.op('Sqrt', [g.op('Add', [variance, g.f32([LAYER_NORM_EPS])])]);
    return { centered, std };
  };
  /** The shared LayerNorm: (x - mean) / sqrt(var + eps) * gamma + beta. */
  let lnGamma = '';
  let lnBeta = '';
  if (config.norm !== 'none') {
    lnGamma = param('ln.gamma');
    lnBeta = param('ln.beta');
  }
  const sharedLayerNorm = (h: string): string => {
    const { centered, std } = centre(h);
    return g.op('Add', [g.op('Mul', [g.op('Div', [centered, std]), lnGamma]), lnBeta]);
  };
  /** BitLinear's input: LayerNorm without affine ((x - mean) * rsqrt(var + eps)), then 8-bit absmax. */
  const bitLinearInput = (h: string, debugName: string): string => {
    const { centered, std } = centre(h);
    const normed = g.op('Mul', [centered, g.op('Reciprocal', [std])]);
    if (config.activationBits === null) return normed;
    const absMax =
      config.activationScaling === 'per-token'
        ? g.op('ReduceMax', [g.op('Abs', [normed])], lastAxis)
        : g.op('ReduceMax', [g.op('Abs', [normed])], [{ name: 'keepdims', type: 'int', value: 1 }]);
    const gamma = g.op('Max', [absMax, g.f32([ACTIVATION_EPS])]);
    const scaled = g.op('Mul', [normed, g.op('Div', [g.f32([127]), gamma])], undefined, debugQuant ? debugName : undefined);
    if (debugQuant) extraOutputs.push({ name: debugName, elemType: DataType.FLOAT, shape: ['batch', 'seq', d] });
    const levels = g.op('Clip', [g.op('Round', [scaled]), g.f32([-128]), g.f32([127])]);
    return g.op('Mul', [levels, g.op('Div', [gamma, g.f32([127])])]);
  };
  /** A packed kernel unpacked to fp32 [in, out] by ops onnxruntime folds at load time. */
  const unpacked = (name: string, p: PackedKernel): string => {
    g.initializer(`${name}.packed`, DataType.UINT8, p.shape, p.packed);
    const scale = g.initializer(`${name}.scale`, DataType.FLOAT, [], rawBytes(Float32Array.of(p.scale)));
    const bytes = g.op('Unsqueeze', [`${name}.packed`, g.i64([2])]); // [out, nb, 1]
    const bit = (positions: number[]): string => {
      // (byte << (7 - k)) >> 7 keeps bit k of a uint8 (BitShift truncates to 8 bits).
      const left = g.op('BitShift', [bytes, g.u8(positions.map((k) => 7 - k))], [{ name: 'direction', type: 'string', value: 'LEFT' }]);
      const b = g.op('BitShift', [left, g.u8([7])], [{ name: 'direction', type: 'string', value: 'RIGHT' }]);
      return g.op('Cast', [b], [{ name: 'to', type: 'int', value: DataType.FLOAT }]);
    };
    let codes: string; // [out, nb, perByte] in {-1, 0, +1}
    let perByte: number;
    if (p.bits === 1) {
      perByte = 8;
      codes = g.op('Sub', [g.op('Mul', [bit([0, 1, 2, 3, 4, 5, 6, 7]), g.f32([2])]), g.f32([1])]);
    } else {
      perByte = 4;
      codes = g.op('Sub', [bit([0, 2, 4, 6]), bit([1, 3, 5, 7])]); // 01 -> +1, 10 -> -1, 00 -> 0
    }
    let rows = g.op('Reshape', [codes, g.i64([p.outFeatures, p.shape[1] * perByte])]);
    if (p.shape[1] * perByte !== p.inFeatures) {
      rows = g.op('Slice', [rows, g.i64([0]), g.i64([p.inFeatures]), g.i64([1])]);
    }
    const kernel = g.op('Transpose', [rows], [{ name: 'perm', type: 'ints', value: [1, 0] }]); // [in, out]
    return g.op('Mul', [kernel, scale], undefined, `${name}.dequantised`);
  };
  const kernelFor = (name: string): string => {
    const w = weights[name];
    const [inF, outF] = w.shape;
    const fp32Bytes = inF * outF * 4;
    if (!isQuantised(config)) {
      kernels.push({ name, format: fp16 ? 'fp16' : 'fp32', bytes: fp32Bytes / (fp16 ? 2 : 1), fp32Bytes });
      return param(name);
    }
    const p = config.precision === '1.58bit' ? packTernaryKernel(w.data, inF, outF) : packSignKernel(w.data, inF, outF);
    if (pack) {
      kernels.push({ name, format: p.bits === 1 ? 'sign-1bit' : 'ternary-2bit', bytes: p.packed.length + 4, fp32Bytes });
      return unpacked(name, p);
    }
    kernels.push({ name, format: fp16 ? 'fp16' : 'fp32', bytes: fp32Bytes / (fp16 ? 2 : 1), fp32Bytes });
    return weight(`${name}.dequantised`, unpackKernel(p), [inF, outF]);
  };
  const heads4 = g.i64([0, 0, heads, hd]);
  const merged3 = g.i64([0, 0, d]);
  const attention = (layer: number, h: string): string => {
    const prefix = `layers.${layer}.attn`;
    const lin = (input: string, proj: Proj): string =>
      g.op('Add', [g.op('MatMul', [input, kernelFor(`${prefix}.${proj}.kernel`)]), param(`${prefix}.${proj}.bias`)], undefined, `${prefix}.${proj}.out`);
    const hIn = isQuantised(config) ? bitLinearInput(h, `quant_input_${layer}_qkv`) : h;
    const split = (t: string, perm: number[]): string =>
      g.op('Transpose', [g.op('Reshape', [t, heads4])], [{ name: 'perm', type: 'ints', value: perm }]);
    const q = split(lin(hIn, 'q'), [0, 2, 1, 3]); // [B,H,T,hd]
    const kT = split(lin(hIn, 'k'), [0, 2, 3, 1]); // [B,H,hd,T]
    const v = split(lin(hIn, 'v'), [0, 2, 1, 3]);
    const raw = g.op('Div', [g.op('MatMul', [q, kT]), g.f32([Math.sqrt(hd)])]);
    const scores = g.op('Add', [raw, mask], undefined, `${prefix}.scores`);
    const probsName = `attention_${layer}`;
    let probs: string;
    if (config.softmax === 'vanilla') {
      probs = g.op('Softmax', [scores], [{ name: 'axis', type: 'int', value: -1 }], probsName);
    } else {
      // exp(s) / (1 + sum exp(s)), stably: m = max(max s, 0); exp(s - m) / (exp(-m) + sum exp(s - m))
      const m = g.op('Max', [g.op('ReduceMax', [scores], lastAxis), g.f32([0])]);
      const e = g.op('Exp', [g.op('Sub', [scores, m])]);
      const sum = g.op('ReduceSum', [e, g.i64([-1])], [{ name: 'keepdims', type: 'int', value: 1 }]);
      probs = g.op('Div', [e, g.op('Add', [g.op('Exp', [g.op('Neg', [m])]), sum])], undefined, probsName);
    }
    const ctx = g.op('Transpose', [g.op('MatMul', [probs, v])], [{ name: 'perm', type: 'ints', value: [0, 2, 1, 3] }]);
    const mergedHeads = g.op('Reshape', [ctx, merged3]);
    const oIn = isQuantised(config) ? bitLinearInput(mergedHeads, `quant_input_${layer}_o`) : mergedHeads;
    return lin(oIn, 'o');
  };

  // --- layers ----------------------------------------------------------------------------
  for (let i = 0; i < config.numLayers; i++) {
    const out = `layers.${i}.residual`;
    if (config.norm === 'pre') x = g.op('Add', [x, attention(i, sharedLayerNorm(x))], undefined, out);
    else if (config.norm === 'post') x = g.op('Add', [x, sharedLayerNorm(attention(i, x))], undefined, out);
    else x = g.op('Add', [x, attention(i, x)], undefined, out);
  }
  g.op('MatMul', [x, param('unembed.kernel')], undefined, 'logits');

  const outputs: ValueInfoSpec[] = [
    { name: 'logits', elemType: DataType.FLOAT, shape: ['batch', 'seq', config.vocabSize], docString: 'next-token scores [batch, seq, vocab]' },
  ];
  for (let i = 0; i < config.numLayers; i++) {
    outputs.push({
      name: `attention_${i}`,
      elemType: DataType.FLOAT,
      shape: ['batch', heads, 'seq', 'seq'],
      docString: `layer ${i} attention probabilities [batch, heads, query, key]`,
    });
  }
  outputs.push(...extraOutputs);

  const metadata: Record<string, string> = { ...(options.metadata ?? {}) };
  metadata[METADATA_KEYS.config] = JSON.stringify(config);
  metadata[METADATA_KEYS.version] = VERSION;
  metadata[METADATA_KEYS.format] = FORMAT;
  metadata[METADATA_KEYS.weights] = weightsDescription(config, pack, fp16);

  const spec: ModelSpec = {
    irVersion: IR_VERSION,
    opsetVersion: OPSET_VERSION,
    producerName: '@ihc/onnx',
    producerVersion: VERSION,
    domain: 'ihc',
    modelVersion: 1,
    docString:
      `Attention-only transformer (${config.numLayers} layers, d ${d}, ${heads} heads, ${config.precision}, ` +
      `pos ${config.posEmbed}, norm ${config.norm}, softmax ${config.softmax}). Input input_ids int64 [batch, seq], ` +
      `seq <= ${maxT}.`,
    graph: {
      name: options.graphName ?? 'ihc_attention_only',
      nodes: g.nodes,
      initializers: g.initializers,
      inputs: [{ name: ids, elemType: DataType.INT64, shape: ['batch', 'seq'], docString: `token ids in 0..${config.vocabSize - 1}` }],
      outputs,
    },
    metadata,
  };
  return { spec, kernels };
}

/**
 * Export a model to ONNX bytes (IR 8, opset 17): input `input_ids` int64 `[batch, seq]`
 * (seq <= maxSeqLength), outputs `logits [batch, seq, vocab]` and `attention_<i>
 * [batch, heads, seq, seq]` per layer. 1-bit / ternary Q/K/V/O kernels are stored
 * bit-packed (UINT8) unless `packWeights: false`; the graph reproduces @ihc/model's
 * forward (BitLinear LayerNorm, 8-bit absmax activations, off-by-one softmax, ...).
 */
export function exportOnnx(model: ExportableModel, options: ExportOptions = {}): Uint8Array {
  const { spec } = buildOnnxModel(model, options);
  checkProtoSize(spec);
  return encodeModel(spec);
}

/** Throws OnnxError INVALID_MODEL when the initializers exceed `limit` bytes (protobuf's 2 GiB). */
export function checkProtoSize(spec: ModelSpec, limit = MAX_PROTO_BYTES): void {
  const bytes = spec.graph.initializers.reduce((s, t) => s + t.raw.length, 0);
  if (bytes > limit) {
    throw new OnnxError(
      'INVALID_MODEL',
      `the weights take ${bytes} bytes, over the ${limit}-byte limit of one protobuf ONNX file; ` +
        'export with fp16: true, or with packWeights (1-bit / ternary models)',
    );
  }
}
