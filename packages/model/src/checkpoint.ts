/**
 * Training checkpoints: a directory with
 * - `checkpoint.safetensors`: every parameter (F32, SPEC names) and the AdamW moments as
 *   `optim.m.<name>` / `optim.v.<name>`;
 * - `checkpoint.json`: `{ version: 1, config, train, step, epoch, prng, optimizer: { t } | null,
 *   sha256, tensors: { name: shape }, extra }` where sha256 is the hex SHA-256 of the
 *   safetensors file's bytes.
 *
 * `saveCheckpoint` writes the safetensors file, then the JSON, each atomically (temp file
 * in the same directory + fsync + rename), so a reader sees complete files; a crash
 * between the two renames leaves a JSON whose checksum does not match, which
 * `loadCheckpoint` reports as CORRUPT rather than loading mixed state.
 * `loadCheckpoint` verifies existence (MISSING), the checksum, the JSON and the
 * safetensors structure (CORRUPT), and tensor names, shapes and dtypes against the model
 * config (MISMATCH), and, when given, that the stored model config equals the expected one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import type { AdamWState } from './adamw';
import { resolveModelConfig, type ModelConfig } from './config';
import { ModelError, describeValue } from './errors';
import { paramShapes, paramsToRecord, type ParamRecord, type Params } from './params';
import { decodeSafetensors, encodeSafetensors, type SafetensorsInput } from './safetensors';
import { resolveTrainConfig, type TrainConfig } from './train-config';
import { writeFileAtomicSync } from './atomic-write';

export type CheckpointErrorCode = 'MISSING' | 'CORRUPT' | 'MISMATCH';

/** A checkpoint is absent, damaged, or does not fit the model. */
export class CheckpointError extends ModelError {
  override readonly code: CheckpointErrorCode;
  /** The file concerned. */
  readonly file: string;
  constructor(code: CheckpointErrorCode, file: string, message: string) {
    super(code, message);
    this.name = 'CheckpointError';
    this.code = code;
    this.file = file;
  }
}

export const CHECKPOINT_WEIGHTS_FILE = 'checkpoint.safetensors';
export const CHECKPOINT_META_FILE = 'checkpoint.json';
export const CHECKPOINT_VERSION = 1;
const M_PREFIX = 'optim.m.';
const V_PREFIX = 'optim.v.';

/** JSON-serialisable value (for `prng` and `extra`). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What `saveCheckpoint` stores. */
export interface CheckpointInput {
  config: ModelConfig;
  train: TrainConfig;
  /** Optimizer steps completed. */
  step: number;
  /** Epoch in progress (the epoch of the next step). */
  epoch: number;
  /** Parameters as TF.js variables or plain data. */
  params: Params | ParamRecord;
  /** AdamW state (`AdamW.getState()`), or null/absent for weights only. */
  optimizer?: AdamWState | null;
  /** Random-stream state needed to resume (JSON). */
  prng?: JsonValue;
  /** Anything else to keep (JSON), e.g. elapsed seconds. */
  extra?: { [key: string]: JsonValue };
}

/** Contents of `checkpoint.json`. */
export interface CheckpointMeta {
  version: 1;
  config: ModelConfig;
  train: TrainConfig;
  step: number;
  epoch: number;
  prng: JsonValue;
  optimizer: { t: number } | null;
  sha256: string;
  tensors: Record<string, number[]>;
  extra: { [key: string]: JsonValue };
}

/** What `loadCheckpoint` returns (plain data; nothing on a TF.js backend). */
export interface LoadedCheckpoint {
  config: ModelConfig;
  train: TrainConfig;
  step: number;
  epoch: number;
  prng: JsonValue;
  extra: { [key: string]: JsonValue };
  weights: ParamRecord;
  optimizer: AdamWState | null;
  sha256: string;
  dir: string;
}

function toRecord(params: Params | ParamRecord): ParamRecord {
  const values = Object.values(params);
  if (values.length > 0 && values[0] instanceof tf.Tensor) return paramsToRecord(params as Params);
  return params as ParamRecord;
}

/** hex SHA-256 of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Whether `dir` holds a checkpoint's JSON file (it may still be invalid). */
export function checkpointExists(dir: string): boolean {
  return fs.existsSync(path.join(dir, CHECKPOINT_META_FILE));
}

/**
 * Write a checkpoint to `dir` (created if needed): the safetensors file, then the JSON,
 * each atomically. Returns the JSON written.
 */
export function saveCheckpoint(dir: string, input: CheckpointInput): CheckpointMeta {
  const weights = toRecord(input.params);
  const tensors: Record<string, SafetensorsInput> = {};
  for (const [name, w] of Object.entries(weights)) tensors[name] = { dtype: 'F32', shape: w.shape, data: w.data };
  const opt = input.optimizer ?? null;
  if (opt) {
    for (const [name, w] of Object.entries(opt.m)) tensors[M_PREFIX + name] = { dtype: 'F32', shape: w.shape, data: w.data };
    for (const [name, w] of Object.entries(opt.v)) tensors[V_PREFIX + name] = { dtype: 'F32', shape: w.shape, data: w.data };
  }
  const bytes = encodeSafetensors(tensors, { format: 'ihc-checkpoint', version: String(CHECKPOINT_VERSION) });
  const meta: CheckpointMeta = {
    version: CHECKPOINT_VERSION,
    config: input.config,
    train: input.train,
    step: input.step,
    epoch: input.epoch,
    prng: input.prng ?? null,
    optimizer: opt ? { t: opt.t } : null,
    sha256: sha256Hex(bytes),
    tensors: Object.fromEntries(
      Object.keys(tensors)
        .sort()
        .map((n) => [n, [...tensors[n].shape]]),
    ),
    extra: input.extra ?? {},
  };
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomicSync(path.join(dir, CHECKPOINT_WEIGHTS_FILE), bytes);
  writeFileAtomicSync(path.join(dir, CHECKPOINT_META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function configDiff(a: ModelConfig, b: ModelConfig): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter(
    (k) => describeValue((a as unknown as Record<string, unknown>)[k]) !== describeValue((b as unknown as Record<string, unknown>)[k]),
  );
}

/** Options of {@link loadCheckpoint}. */
export interface LoadCheckpointOptions {
  /** The model config the caller expects; any difference is a MISMATCH. */
  config?: ModelConfig;
}

/** Read and verify a checkpoint directory (see the file comment for the checks). */
export function loadCheckpoint(dir: string, options: LoadCheckpointOptions = {}): LoadedCheckpoint {
  const metaFile = path.join(dir, CHECKPOINT_META_FILE);
  const weightsFile = path.join(dir, CHECKPOINT_WEIGHTS_FILE);
  for (const file of [metaFile, weightsFile]) {
    if (!fs.existsSync(file)) {
      throw new CheckpointError('MISSING', file, `Checkpoint file ${file} does not exist.`);
    }
  }
  const corrupt = (file: string, why: string): never => {
    throw new CheckpointError('CORRUPT', file, `Checkpoint ${file} is corrupt: ${why}`);
  };
  const mismatch = (file: string, why: string): never => {
    throw new CheckpointError('MISMATCH', file, `Checkpoint ${file} does not match: ${why}`);
  };

  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as CheckpointMeta;
  } catch (error) {
    return corrupt(metaFile, `not valid JSON (${(error as Error).message}).`);
  }
  if (meta === null || typeof meta !== 'object') corrupt(metaFile, 'not a JSON object.');
  if (meta.version !== CHECKPOINT_VERSION) {
    corrupt(metaFile, `version ${describeValue(meta.version)}; this reader supports version ${CHECKPOINT_VERSION}.`);
  }
  if (!Number.isInteger(meta.step) || meta.step < 0 || !Number.isInteger(meta.epoch) || meta.epoch < 0) {
    corrupt(metaFile, `step ${describeValue(meta.step)} and epoch ${describeValue(meta.epoch)} must be integers >= 0.`);
  }
  if (typeof meta.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(meta.sha256)) {
    corrupt(metaFile, `sha256 ${describeValue(meta.sha256)} is not 64 hex digits.`);
  }
  if (meta.tensors === null || typeof meta.tensors !== 'object') corrupt(metaFile, 'no tensors table.');
  let config: ModelConfig;
  let train: TrainConfig;
  try {
    config = resolveModelConfig(meta.config);
  } catch (error) {
    return corrupt(metaFile, `invalid model config (${(error as Error).message})`);
  }
  try {
    train = resolveTrainConfig(meta.train);
  } catch (error) {
    return corrupt(metaFile, `invalid train config (${(error as Error).message})`);
  }
  if (options.config) {
    const diff = configDiff(config, resolveModelConfig(options.config));
    if (diff.length > 0) {
      mismatch(
        metaFile,
        `model config differs in ${diff
          .map(
            (k) =>
              `${k} (checkpoint ${describeValue((config as unknown as Record<string, unknown>)[k])}, expected ${describeValue(
                (options.config as unknown as Record<string, unknown>)[k],
              )})`,
          )
          .join(', ')}.`,
      );
    }
  }

  const buf = fs.readFileSync(weightsFile);
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  const digest = sha256Hex(bytes);
  if (digest !== meta.sha256) {
    corrupt(weightsFile, `its SHA-256 is ${digest} but ${CHECKPOINT_META_FILE} records ${meta.sha256} (damaged or partially written).`);
  }
  let contents: ReturnType<typeof decodeSafetensors>;
  try {
    contents = decodeSafetensors(bytes);
  } catch (error) {
    return corrupt(weightsFile, (error as Error).message);
  }
  const stored = Object.keys(contents.tensors).sort();
  const listed = Object.keys(meta.tensors).sort();
  if (stored.length !== listed.length || stored.some((n, i) => n !== listed[i])) {
    corrupt(weightsFile, `it holds tensors [${stored.join(', ')}] but ${CHECKPOINT_META_FILE} lists [${listed.join(', ')}].`);
  }
  for (const name of stored) {
    if (!Array.isArray(meta.tensors[name]) || !sameShape(meta.tensors[name], contents.tensors[name].shape)) {
      corrupt(weightsFile, `tensor ${name} has shape [${contents.tensors[name].shape.join(', ')}] but ${CHECKPOINT_META_FILE} lists ${describeValue(meta.tensors[name])}.`);
    }
  }

  const shapes = paramShapes(config);
  const names = Object.keys(shapes).sort();
  const paramNamesStored = stored.filter((n) => !n.startsWith(M_PREFIX) && !n.startsWith(V_PREFIX));
  const missing = names.filter((n) => !(n in contents.tensors));
  const extra = paramNamesStored.filter((n) => !(n in shapes));
  if (missing.length > 0 || extra.length > 0) {
    mismatch(
      weightsFile,
      `${missing.length ? `missing parameter(s) ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${
        extra.length ? `unexpected parameter(s) ${extra.join(', ')}` : ''
      }; the model config needs ${names.join(', ')}.`,
    );
  }
  const weights: ParamRecord = {};
  for (const name of names) {
    const t = contents.tensors[name];
    if (t.dtype !== 'F32') mismatch(weightsFile, `parameter ${name} has dtype ${t.dtype}; expected F32.`);
    if (!sameShape(t.shape, shapes[name])) {
      mismatch(weightsFile, `parameter ${name} has shape [${t.shape.join(', ')}]; the model config needs [${shapes[name].join(', ')}].`);
    }
    weights[name] = { shape: t.shape, data: t.data as Float32Array };
  }

  let optimizer: AdamWState | null = null;
  const mNames = stored.filter((n) => n.startsWith(M_PREFIX)).map((n) => n.slice(M_PREFIX.length));
  const vNames = stored.filter((n) => n.startsWith(V_PREFIX)).map((n) => n.slice(V_PREFIX.length));
  if (meta.optimizer !== null && meta.optimizer !== undefined) {
    if (!Number.isInteger(meta.optimizer.t) || meta.optimizer.t < 0) {
      corrupt(metaFile, `optimizer step t ${describeValue(meta.optimizer.t)} is not an integer >= 0.`);
    }
    if (mNames.length !== vNames.length || mNames.some((n, i) => n !== vNames[i])) {
      corrupt(weightsFile, `optimizer moments m [${mNames.join(', ')}] and v [${vNames.join(', ')}] differ.`);
    }
    optimizer = { t: meta.optimizer.t, m: {}, v: {} };
    for (const name of mNames) {
      if (!(name in shapes)) mismatch(weightsFile, `optimizer state for unknown parameter ${name}.`);
      for (const [prefix, target] of [
        [M_PREFIX, optimizer.m],
        [V_PREFIX, optimizer.v],
      ] as const) {
        const t = contents.tensors[prefix + name];
        if (t.dtype !== 'F32') mismatch(weightsFile, `${prefix}${name} has dtype ${t.dtype}; expected F32.`);
        if (!sameShape(t.shape, shapes[name])) {
          mismatch(weightsFile, `${prefix}${name} has shape [${t.shape.join(', ')}]; expected [${shapes[name].join(', ')}].`);
        }
        target[name] = { shape: t.shape, data: t.data as Float32Array };
      }
    }
  } else if (mNames.length > 0 || vNames.length > 0) {
    corrupt(metaFile, 'optimizer state is stored but the JSON says there is none.');
  }
  return {
    config,
    train,
    step: meta.step,
    epoch: meta.epoch,
    prng: meta.prng ?? null,
    extra: meta.extra ?? {},
    weights,
    optimizer,
    sha256: meta.sha256,
    dir,
  };
}
