import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { sinusoidalTable as modelSinusoid, type ModelConfig as TfModelConfig } from '@ihc/model';
import { buildOnnxModel, checkProtoSize, exportOnnx, FORMAT, METADATA_KEYS } from './export';
import type { ModelConfig } from './config';
import { OnnxError } from './errors';
import { roundToFloat16 } from './float16';
import { readOnnxMetadata } from './metadata';
import { DataType, encodeModel } from './onnx-proto';
import { sinusoidalTable } from './sinusoid';
import { maxAbsDiff, ortRun, randomIds, tinyConfig, tinyModel, useCpu } from './test-helpers';
import { VERSION } from './version';

beforeAll(useCpu);

test('VERSION equals package.json', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  expect(VERSION).toBe(pkg.version);
});

test('ModelConfig is the same type as @ihc/model\'s', () => {
  const a: TfModelConfig = tinyConfig();
  const b: ModelConfig = a;
  const c: TfModelConfig = b;
  expect(c).toBe(a);
});

test('the sinusoid table equals @ihc/model\'s', () => {
  expect(maxAbsDiff(sinusoidalTable(29, 64), modelSinusoid(29, 64))).toBe(0);
});

test('header, opset, inputs, outputs and metadata', () => {
  const config = tinyConfig({ precision: '1bit' });
  const bytes = exportOnnx(tinyModel(config), { metadata: { 'ihc.vocabulary': 'abc' } });
  const meta = readOnnxMetadata(bytes);
  expect(meta.irVersion).toBe(8);
  expect(meta.opsetVersion).toBe(17);
  expect(meta.producerName).toBe('@ihc/onnx');
  expect(meta.version).toBe(VERSION);
  expect(meta.config).toEqual(config);
  expect(meta.props[METADATA_KEYS.format]).toBe(FORMAT);
  expect(meta.props[METADATA_KEYS.weights]).toBe('qkvo:sign-1bit;rest:fp32');
  expect(meta.props['ihc.vocabulary']).toBe('abc');

  const { spec } = buildOnnxModel(tinyModel(config));
  expect(spec.graph.inputs).toEqual([expect.objectContaining({ name: 'input_ids', elemType: DataType.INT64, shape: ['batch', 'seq'] })]);
  expect(spec.graph.outputs.map((o) => [o.name, o.shape])).toEqual([
    ['logits', ['batch', 'seq', 11]],
    ['attention_0', ['batch', 2, 'seq', 'seq']],
    ['attention_1', ['batch', 2, 'seq', 'seq']],
  ]);
  const packed = spec.graph.initializers.filter((t) => t.name.endsWith('.packed'));
  expect(packed).toHaveLength(8);
  for (const t of packed) {
    expect(t.dataType).toBe(DataType.UINT8);
    expect(t.dims).toEqual([16, 2]);
  }
  const scales = spec.graph.initializers.filter((t) => t.name.endsWith('.scale'));
  expect(scales.map((t) => [t.dataType, t.dims.length])).toEqual(Array(8).fill([DataType.FLOAT, 0]));
  // No fp32 copy of a quantised kernel is stored.
  expect(spec.graph.initializers.some((t) => /attn\.[qkvo]\.kernel$/.test(t.name))).toBe(false);
  // Opset-17-only ops (no BitwiseAnd, no LayerNormalization needed).
  const ops = new Set(spec.graph.nodes.map((n) => n.opType));
  expect(ops.has('BitwiseAnd')).toBe(false);
  expect(ops.has('BitShift')).toBe(true);
});

test('fp16 stores weights as float16 and equals the fp32 export of fp16-rounded weights', async () => {
  for (const precision of ['fp', '1bit'] as const) {
    const config = tinyConfig({ precision, activationBits: null });
    const model = tinyModel(config, 4);
    const { spec } = buildOnnxModel(model, { fp16: true });
    expect(spec.graph.initializers.find((t) => t.name === 'tok_embed.f16')?.dataType).toBe(DataType.FLOAT16);
    const rounded = {
      config,
      weights: Object.fromEntries(
        Object.entries(model.weights).map(([n, w]) => [n, { shape: w.shape, data: /attn\.[qkvo]\.kernel$/.test(n) && precision !== 'fp' ? w.data : roundToFloat16(w.data) }]),
      ),
    };
    const ids = randomIds(2, 7, config.vocabSize, 9);
    const a = await ortRun(encodeModel(spec), ids);
    const b = await ortRun(exportOnnx(rounded), ids);
    expect(maxAbsDiff(a.logits, b.logits)).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(a.attention_1, b.attention_1)).toBeLessThanOrEqual(1e-6);
  }
});

test('onnxruntime Round is half-to-even, as tf.round (the activation quantiser relies on it)', async () => {
  const values = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 126.5, -127.5, 3.4999998];
  const spec = {
    irVersion: 8,
    opsetVersion: 17,
    producerName: 'test',
    producerVersion: '0',
    metadata: {},
    graph: {
      name: 'round',
      nodes: [{ opType: 'Round', inputs: ['x'], outputs: ['y'] }],
      initializers: [],
      inputs: [{ name: 'x', elemType: DataType.FLOAT, shape: [values.length] }],
      outputs: [{ name: 'y', elemType: DataType.FLOAT, shape: [values.length] }],
    },
  } as const;
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(encodeModel(spec));
  const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from(values), [values.length]) });
  const expected = tf.round(tf.tensor1d(values)).dataSync();
  const plus0 = (a: ArrayLike<number>): number[] => Array.from(a, (v) => v + 0); // -0 and 0 are the same level
  expect(plus0(out.y.data as Float32Array)).toEqual(plus0(expected));
  expect(plus0(expected)).toEqual([0, 2, 2, 0, -2, -2, 126, -128, 3]);
  await session.release();
});

describe('bad input throws OnnxError naming the problem', () => {
  const config = tinyConfig();
  test.each<[string, () => unknown, RegExp]>([
    ['missing weight', () => exportOnnx({ config, weights: { ...tinyModel(config).weights, 'unembed.kernel': undefined as never } }), /missing weight unembed\.kernel/],
    ['wrong shape', () => {
      const w = tinyModel(config).weights;
      return exportOnnx({ config, weights: { ...w, tok_embed: { shape: [3, 16], data: new Float32Array(48) } } });
    }, /tok_embed has shape \[3,16\]; expected \[11, 16\]/],
    ['unknown weight', () => exportOnnx({ config, weights: { ...tinyModel(config).weights, extra: { shape: [1], data: new Float32Array(1) } } }), /unexpected weight\(s\) extra/],
    ['bad precision', () => exportOnnx({ config: { ...config, precision: '2bit' as never }, weights: tinyModel(config).weights }), /config\.precision is "2bit"; valid values: "fp", "1bit", "1\.58bit", "frozen-sign"/],
    ['bad fp16 option', () => exportOnnx(tinyModel(config), { fp16: 'yes' as never }), /fp16 must be true or false/],
    ['heads do not divide d', () => exportOnnx({ config: { ...config, numHeads: 3 }, weights: tinyModel(config).weights }), /numHeads 3 does not divide/],
    ['not ONNX bytes', () => readOnnxMetadata(new Uint8Array([1, 2, 3])), /not an ONNX model/],
  ])('%s', (_name, fn, message) => {
    expect(fn).toThrow(OnnxError);
    expect(fn).toThrow(message);
  });

  test('a model over protobuf\'s 2 GiB limit is refused with advice', () => {
    const { spec } = buildOnnxModel(tinyModel(config));
    expect(() => checkProtoSize(spec)).not.toThrow();
    expect(() => checkProtoSize(spec, 1000)).toThrow(/over the 1000-byte limit of one protobuf ONNX file; export with fp16: true/);
  });

  test('Float32Arrays from another realm are accepted', () => {
    const { runInNewContext } = require('node:vm') as typeof import('node:vm');
    const w = tinyModel(config).weights;
    const foreign = runInNewContext('new Float32Array(176)') as Float32Array;
    foreign.set(w.tok_embed.data);
    expect(foreign instanceof Float32Array).toBe(false);
    expect(() => exportOnnx({ config, weights: { ...w, tok_embed: { shape: [11, 16], data: foreign } } })).not.toThrow();
  });

  test('optimizer state in the weights record is ignored', () => {
    const w = tinyModel(config).weights;
    expect(() => exportOnnx({ config, weights: { ...w, 'optim.m.tok_embed': w.tok_embed } })).not.toThrow();
  });
});
