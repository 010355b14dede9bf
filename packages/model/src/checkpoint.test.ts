import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createAdamW } from './adamw';
import {
  CHECKPOINT_META_FILE,
  CHECKPOINT_WEIGHTS_FILE,
  CheckpointError,
  loadCheckpoint,
  saveCheckpoint,
  sha256Hex,
  type CheckpointMeta,
} from './checkpoint';
import { disposeParams, initParams, paramShapes, paramsToRecord } from './params';
import { readSafetensors } from './safetensors';
import { tinyConfig, useCpu } from './test-setup';
import { resolveTrainConfig } from './train-config';

beforeAll(useCpu);

const config = tinyConfig();
const train = resolveTrainConfig({ steps: 10, batchSize: 8, dataset: { count: 50, seqLength: 6, prefixLength: 2 } });

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    return (e as CheckpointError).code;
  }
  throw new Error('expected a CheckpointError');
}

describe('checkpoints', () => {
  let dir: string;
  let meta: CheckpointMeta;
  let record: ReturnType<typeof paramsToRecord>;
  let optState: ReturnType<ReturnType<typeof createAdamW>['getState']>;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ihc-ckpt-'));
    const params = initParams(config, 3);
    const opt = createAdamW(params);
    const grads = tf.tidy(() => Object.fromEntries(Object.entries(params).map(([n, p]) => [n, tf.onesLike(p)])));
    opt.step(grads, 0.01);
    tf.dispose(Object.values(grads));
    record = paramsToRecord(params);
    optState = opt.getState();
    meta = saveCheckpoint(path.join(dir, 'ck'), {
      config,
      train,
      step: 1,
      epoch: 0,
      params,
      optimizer: optState,
      prng: { kind: 'epoch-permutation', seed: 0, epoch: 0, batchInEpoch: 1 },
      extra: { seconds: 1.5 },
    });
    opt.dispose();
    disposeParams(params);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const ck = (): string => path.join(dir, 'ck');
  const weightsFile = (): string => path.join(ck(), CHECKPOINT_WEIGHTS_FILE);
  const metaFile = (): string => path.join(ck(), CHECKPOINT_META_FILE);

  it('round-trips parameters, optimizer state and metadata exactly', () => {
    expect(fs.readdirSync(ck()).sort()).toEqual([CHECKPOINT_META_FILE, CHECKPOINT_WEIGHTS_FILE]);
    const loaded = loadCheckpoint(ck(), { config });
    expect(loaded.config).toEqual(config);
    expect(loaded.train).toEqual(train);
    expect(loaded.step).toBe(1);
    expect(loaded.epoch).toBe(0);
    expect(loaded.prng).toEqual({ kind: 'epoch-permutation', seed: 0, epoch: 0, batchInEpoch: 1 });
    expect(loaded.extra).toEqual({ seconds: 1.5 });
    expect(loaded.weights).toEqual(record);
    expect(loaded.optimizer).toEqual(optState);
    expect(loaded.optimizer?.t).toBe(1);
    // the JSON lists every tensor with its shape, and the checksum of the safetensors bytes
    const json = JSON.parse(fs.readFileSync(metaFile(), 'utf8')) as CheckpointMeta;
    expect(json.sha256).toBe(sha256Hex(fs.readFileSync(weightsFile())));
    expect(json.tensors['layers.0.attn.q.kernel']).toEqual([8, 8]);
    expect(json.tensors['optim.m.tok_embed']).toEqual(paramShapes(config).tok_embed);
    expect(Object.keys(readSafetensors(weightsFile()).tensors)).toContain('optim.v.unembed.kernel');
    expect(meta.version).toBe(1);
  });

  it('saves plain records and weights without optimizer state', () => {
    saveCheckpoint(ck(), { config, train, step: 0, epoch: 0, params: record });
    const loaded = loadCheckpoint(ck());
    expect(loaded.optimizer).toBeNull();
    expect(loaded.weights).toEqual(record);
  });

  it('MISSING: no directory, no JSON, or no safetensors file', () => {
    expect(codeOf(() => loadCheckpoint(path.join(dir, 'nope')))).toBe('MISSING');
    fs.rmSync(weightsFile());
    expect(codeOf(() => loadCheckpoint(ck()))).toBe('MISSING');
  });

  it('CORRUPT: a truncated safetensors file', () => {
    const bytes = fs.readFileSync(weightsFile());
    fs.writeFileSync(weightsFile(), bytes.subarray(0, bytes.length - 100));
    expect(() => loadCheckpoint(ck())).toThrow(/SHA-256/);
    // even with a matching checksum, the structure is checked
    const json = JSON.parse(fs.readFileSync(metaFile(), 'utf8')) as CheckpointMeta;
    json.sha256 = sha256Hex(fs.readFileSync(weightsFile()));
    fs.writeFileSync(metaFile(), JSON.stringify(json));
    expect(codeOf(() => loadCheckpoint(ck()))).toBe('CORRUPT');
    expect(() => loadCheckpoint(ck())).toThrow(/truncated/);
  });

  it('CORRUPT: one flipped byte in the data', () => {
    const bytes = fs.readFileSync(weightsFile());
    bytes[bytes.length - 3] ^= 0x10;
    fs.writeFileSync(weightsFile(), bytes);
    expect(codeOf(() => loadCheckpoint(ck()))).toBe('CORRUPT');
  });

  it('CORRUPT: invalid JSON or a tensor table that disagrees with the file', () => {
    const text = fs.readFileSync(metaFile(), 'utf8');
    fs.writeFileSync(metaFile(), text.slice(0, text.length / 2));
    expect(codeOf(() => loadCheckpoint(ck()))).toBe('CORRUPT');
    const json = JSON.parse(text) as CheckpointMeta;
    json.tensors['ln.gamma'] = [9];
    fs.writeFileSync(metaFile(), JSON.stringify(json));
    expect(() => loadCheckpoint(ck())).toThrow(/ln.gamma/);
  });

  it('MISMATCH: a different expected config, or a config that does not fit the tensors', () => {
    let error: CheckpointError | undefined;
    try {
      loadCheckpoint(ck(), { config: tinyConfig({ embedSize: 16 }) });
    } catch (e) {
      error = e as CheckpointError;
    }
    expect(error?.code).toBe('MISMATCH');
    expect(error?.message).toMatch(/embedSize \(checkpoint 8, expected 16\)/);
    const json = JSON.parse(fs.readFileSync(metaFile(), 'utf8')) as CheckpointMeta;
    json.config = tinyConfig({ embedSize: 4 });
    fs.writeFileSync(metaFile(), JSON.stringify(json));
    expect(codeOf(() => loadCheckpoint(ck()))).toBe('MISMATCH');
    expect(() => loadCheckpoint(ck())).toThrow(/has shape \[8\]; the model config needs \[4\]/);
    json.config = tinyConfig({ norm: 'none' });
    fs.writeFileSync(metaFile(), JSON.stringify(json));
    expect(() => loadCheckpoint(ck())).toThrow(/unexpected parameter\(s\) ln.beta, ln.gamma/);
  });

  it('overwrites an older checkpoint atomically, leaving no temporary files', () => {
    saveCheckpoint(ck(), { config, train, step: 5, epoch: 0, params: record });
    expect(loadCheckpoint(ck()).step).toBe(5);
    expect(fs.readdirSync(ck()).sort()).toEqual([CHECKPOINT_META_FILE, CHECKPOINT_WEIGHTS_FILE]);
  });
});
