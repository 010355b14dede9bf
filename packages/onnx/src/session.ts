// Runtime-independent part of an inference session: input checks, feeds, outputs.
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import type { ModelConfig } from './config';
import { OnnxError, describeValue } from './errors';
import { readOnnxMetadata, type OnnxMetadata } from './metadata';

/** Token ids `[batch, seq]`: nested arrays, or a flat Int32Array / number[] with `shape`. */
export type TokenIds = Int32Array | readonly (readonly number[])[] | readonly number[];

/** What `run` returns. Attention rows are [query, key] probabilities. */
export interface RunResult {
  /** `[batch, seq, vocab]`, row-major. */
  logits: Float32Array;
  /** One `[batch, heads, seq, seq]` array per layer. */
  attention: Float32Array[];
  shapes: { logits: number[]; attention: number[] };
}

/** An inference session on onnxruntime (node or web). */
export interface OnnxSession {
  /** The execution provider the session was created with (after any fallback). */
  readonly provider: string;
  /** The provider that was asked for. */
  readonly requestedProvider: string;
  /** Why the requested provider was not used, when it fell back. */
  readonly fallbackReason: string | undefined;
  /** Model header and metadata (config and @ihc/onnx version when written by exportOnnx). */
  readonly metadata: OnnxMetadata;
  /** Shorthand for `metadata.config`. */
  readonly config: ModelConfig | undefined;
  /** Runs the model; ids are checked against vocabSize and maxSeqLength when the config is known. */
  run(ids: TokenIds, shape?: readonly number[]): Promise<RunResult>;
  /** Frees the native session. */
  release(): Promise<void>;
}

/** The part of an onnxruntime module a session needs (node and web share it). */
export interface OrtModule {
  Tensor: typeof Tensor;
  InferenceSession: typeof InferenceSession;
}

/** Graph optimisation levels allowed: folding the packed weights needs at least 'basic'. */
export type OptimizationLevel = 'basic' | 'extended' | 'all';
const LEVELS: readonly string[] = ['basic', 'extended', 'all'];

export function checkOptimizationLevel(level: unknown): OptimizationLevel {
  const l = level ?? 'all';
  if (!LEVELS.includes(l as string)) {
    throw new OnnxError(
      'INVALID_OPTION',
      `graphOptimizationLevel ${describeValue(level)} is not allowed; valid: ${LEVELS.join(', ')}. ` +
        "'disabled' is refused: packed weights are unpacked by constant folding, and onnxruntime-web's JSEP build " +
        'gives wrong results for packed models without it.',
    );
  }
  return l as OptimizationLevel;
}

/** Flattens and validates token ids; returns int64 data and [batch, seq]. */
export function prepareIds(
  ids: TokenIds,
  shape: readonly number[] | undefined,
  config: ModelConfig | undefined,
): { data: BigInt64Array; dims: [number, number] } {
  let flat: ArrayLike<number>;
  let dims: [number, number];
  if (ids instanceof Int32Array || (Array.isArray(ids) && (ids.length === 0 || typeof ids[0] === 'number'))) {
    const arr = ids as ArrayLike<number>;
    if (!shape || shape.length !== 2 || shape[0] * shape[1] !== arr.length) {
      throw new OnnxError(
        'INVALID_INPUT',
        `flat token ids need shape [batch, seq] with batch*seq = ${arr.length}; got ${describeValue(shape)}`,
      );
    }
    flat = arr;
    dims = [shape[0], shape[1]];
  } else if (Array.isArray(ids)) {
    const rows = ids as readonly (readonly number[])[];
    const t = rows[0].length;
    if (rows.some((r) => !Array.isArray(r) || r.length !== t)) {
      throw new OnnxError('INVALID_INPUT', 'nested token ids must be rectangular [batch][seq]');
    }
    if (shape && (shape.length !== 2 || shape[0] !== rows.length || shape[1] !== t)) {
      throw new OnnxError('INVALID_INPUT', `shape ${describeValue(shape)} does not match ids [${rows.length}, ${t}]`);
    }
    flat = rows.flat();
    dims = [rows.length, t];
  } else {
    throw new OnnxError('INVALID_INPUT', 'token ids must be an Int32Array or number[] with a shape, or nested number arrays');
  }
  if (dims[0] < 1 || dims[1] < 1) {
    throw new OnnxError('INVALID_INPUT', `token ids need batch >= 1 and seq >= 1; got [${dims.join(', ')}]`);
  }
  if (config && dims[1] > config.maxSeqLength) {
    throw new OnnxError(
      'INVALID_INPUT',
      `sequence length ${dims[1]} exceeds the model's maxSeqLength ${config.maxSeqLength}`,
    );
  }
  const data = new BigInt64Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (!Number.isInteger(v) || v < 0 || (config !== undefined && v >= config.vocabSize)) {
      throw new OnnxError(
        'INVALID_INPUT',
        `token id ${describeValue(v)} at index ${i} is not in 0..${config ? config.vocabSize - 1 : 'vocabSize-1'}`,
      );
    }
    data[i] = BigInt(v);
  }
  return { data, dims };
}

function asFloat32(t: Tensor, name: string): Float32Array {
  if (t.type !== 'float32' || !(t.data instanceof Float32Array)) {
    throw new OnnxError('INVALID_FILE', `output ${name} is ${t.type}; expected float32`);
  }
  return t.data;
}

/** Wraps a created onnxruntime session into an OnnxSession. */
export function wrapSession(
  ort: OrtModule,
  session: InferenceSession,
  bytes: Uint8Array,
  info: { provider: string; requestedProvider: string; fallbackReason?: string },
): OnnxSession {
  const metadata = readOnnxMetadata(bytes);
  const config = metadata.config;
  const attentionNames = session.outputNames
    .filter((n) => /^attention_\d+$/.test(n))
    .sort((a, b) => Number(a.slice(10)) - Number(b.slice(10)));
  if (!session.outputNames.includes('logits') || !session.inputNames.includes('input_ids')) {
    throw new OnnxError(
      'INVALID_FILE',
      `model needs input input_ids and output logits; has inputs ${session.inputNames.join(', ')} and outputs ${session.outputNames.join(', ')}`,
    );
  }
  return {
    provider: info.provider,
    requestedProvider: info.requestedProvider,
    fallbackReason: info.fallbackReason,
    metadata,
    config,
    async run(ids, shape) {
      const { data, dims } = prepareIds(ids, shape, config);
      const input = new ort.Tensor('int64', data, dims);
      try {
        const out = await session.run({ input_ids: input }, ['logits', ...attentionNames]);
        const logits = asFloat32(out.logits, 'logits');
        const attention = attentionNames.map((n) => asFloat32(out[n], n));
        return {
          logits,
          attention,
          shapes: {
            logits: [...out.logits.dims],
            attention: attentionNames.length > 0 ? [...out[attentionNames[0]].dims] : [],
          },
        };
      } finally {
        input.dispose();
      }
    },
    release: () => session.release(),
  };
}
