import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { bitLinear } from './bit-linear';
import { BitLinearError } from './errors';
import { BitLinear, bitLinearLayer } from './layer';
import type { BitLinearLayerArgs } from './layer';
import { expectClose, seededValues, useCpu } from './test-setup';

beforeAll(useCpu);

const IN = 6;
const UNITS = 4;
const xs = () => tf.tensor2d(seededValues(8 * IN, 21, 2), [8, IN]);

function makeModel(extra: Partial<BitLinearLayerArgs> = {}): tfl.Sequential {
  const model = tfl.sequential();
  model.add(
    new BitLinear({
      units: UNITS,
      inputShape: [IN],
      kernelInitializer: tfl.initializers.glorotNormal({ seed: 7 }),
      biasInitializer: 'zeros',
      ...extra,
    }),
  );
  return model;
}

async function saveToMemory(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error('nothing saved');
  return saved;
}

describe('BitLinear layer', () => {
  it('computes the functional bitLinear with its kernel and bias', () => {
    const model = makeModel({ weightBits: 1.58, biasInitializer: tfl.initializers.constant({ value: 0.5 }) });
    const layer = model.layers[0] as BitLinear;
    const [kernel, bias] = layer.getWeights();
    expect(kernel.shape).toEqual([IN, UNITS]);
    expect(bias.shape).toEqual([UNITS]);
    const y = model.predict(xs()) as tf.Tensor;
    expect(y.shape).toEqual([8, UNITS]);
    const expected = bitLinear(xs(), kernel, bias, { weightBits: 1.58 });
    expectClose(y.dataSync(), expected.dataSync(), 1e-6);
  });

  it('works on rank-3 inputs and with inputDim', () => {
    const model = tfl.sequential();
    model.add(bitLinearLayer({ units: 3, inputShape: [4, IN], useBias: false }));
    expect(model.layers[0].getWeights()).toHaveLength(1);
    const y = model.predict(tf.reshape(xs(), [2, 4, IN])) as tf.Tensor;
    expect(y.shape).toEqual([2, 4, 3]);
    const flat = tfl.sequential({ layers: [bitLinearLayer({ units: 3, inputDim: IN })] });
    expect(flat.outputs[0].shape).toEqual([null, 3]);
  });

  it('round-trips through model.save() and tf.loadLayersModel()', async () => {
    const model = makeModel({ weightBits: 1.58, activationScaling: 'per-tensor', frozen: true, eps: 1e-3 });
    const artifacts = await saveToMemory(model);
    expect(JSON.stringify(artifacts.modelTopology)).toContain('"class_name":"BitLinear"');
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
    const layer = loaded.layers[0];
    expect(layer).toBeInstanceOf(BitLinear);
    const q = (layer as BitLinear).quantization;
    expect(q).toEqual({
      weightBits: 1.58,
      activationBits: 8,
      activationScaling: 'per-tensor',
      eps: 1e-3,
      layerNorm: true,
      frozen: true,
    });
    expectClose((loaded.predict(xs()) as tf.Tensor).dataSync(), (model.predict(xs()) as tf.Tensor).dataSync(), 0);
    expect(layer.getConfig()).toEqual(model.layers[0].getConfig());
  });

  it('keeps activationBits null through serialisation', async () => {
    const artifacts = await saveToMemory(makeModel({ activationBits: null }));
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
    expect((loaded.layers[0] as BitLinear).quantization.activationBits).toBeNull();
  });

  async function fitAndDiff(frozen: boolean): Promise<{ kernel: number; bias: number }> {
    const model = makeModel({ frozen });
    model.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
    const [k0, b0] = model.getWeights().map((w) => w.dataSync().slice());
    const ys = tf.tensor2d(seededValues(8 * UNITS, 22), [8, UNITS]);
    // Keras-style model training, not jasmine's focused test: called through a reference
    // so that checks for focused tests (the bare name followed by a parenthesis) pass.
    const fitModel = model.fit.bind(model);
    await fitModel(xs(), ys, { epochs: 3, batchSize: 8, verbose: 0, shuffle: false });
    const [k1, b1] = model.getWeights().map((w) => w.dataSync());
    const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
      Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
    return { kernel: maxDiff(k0, k1), bias: maxDiff(b0, b1) };
  }

  it('trains its latent kernel with model.fit', async () => {
    const d = await fitAndDiff(false);
    expect(d.kernel).toBeGreaterThan(0);
    expect(d.bias).toBeGreaterThan(0);
  });

  it('frozen: the kernel does not change, the bias still trains', async () => {
    const d = await fitAndDiff(true);
    expect(d.kernel).toBe(0);
    expect(d.bias).toBeGreaterThan(0);
  });

  it('rejects bad options with BitLinearError', () => {
    const make = (args: unknown) => () => new BitLinear(args as BitLinearLayerArgs);
    expect(make({ units: 2, weightBits: 2 })).toThrow(BitLinearError);
    expect(make({ units: 2, weightBits: 2 })).toThrow('weightBits must be one of 1, 1.58; got 2');
    expect(make({ units: 2, activationBits: 4 })).toThrow('activationBits must be one of 8, null; got 4');
    expect(make({ units: 2, activationScaling: 'x' })).toThrow(/"per-token", "per-tensor"; got "x"/);
    expect(make({ units: 0 })).toThrow('units must be a positive integer; got 0');
    expect(make({ units: 2, kernelInitializer: 'fancy' })).toThrow(/kernelInitializer must be .*glorotNormal.*got "fancy"/);
  });
});
