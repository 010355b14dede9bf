import * as tf from '@tensorflow/tfjs-core';
import { generateCopyTask } from '@ihc/copy-task';
import { resolveModelConfig } from './config';
import { forward } from './forward';
import { crossEntropyLoss } from './loss';
import { copyAccuracy, evaluate, predictionsAt, type EvalBatchInfo } from './metrics';
import { disposeParams, initParams } from './params';
import { useCpu } from './test-setup';

beforeAll(useCpu);

describe('copy accuracy', () => {
  it('compares the argmax at each query position with the label there', () => {
    // B=2, T=2, V=3
    const logits = tf.tensor3d([
      [[0, 5, 0], [9, 0, 1]],
      [[0, 0, 7], [1, 2, 0]],
    ]);
    expect(Array.from(predictionsAt(logits, Int32Array.from([1, 0])))).toEqual([0, 2]);
    expect(copyAccuracy(logits, Int32Array.from([2, 0, 2, 2]), Int32Array.from([1, 0]))).toBe(1);
    expect(copyAccuracy(logits, Int32Array.from([2, 0, 2, 2]), Int32Array.from([0, 1]))).toBe(0);
    expect(copyAccuracy(logits, Int32Array.from([1, 1, 1, 1]), Int32Array.from([0, 1]))).toBe(1);
    logits.dispose();
  });
});

describe('evaluate', () => {
  const config = resolveModelConfig({ maxSeqLength: 7, embedSize: 8, numHeads: 2 });
  const task = generateCopyTask({ count: 20, trainSize: 10, seqLength: 8, prefixLength: 2, seed: 1 });
  const split = task.eval; // 10 samples, T = 7

  it('covers every sample in order (short last batch) and matches a single full-batch pass', async () => {
    const params = initParams(config, 2);
    const before = tf.memory().numTensors;
    const seen: Array<Pick<EvalBatchInfo, 'index' | 'offset'> & { size: number; shape: number[] }> = [];
    const result = await evaluate(params, config, split, {
      batchSize: 4,
      loss: 'target',
      collectAttention: true,
      onBatch: (info) => void seen.push({ index: info.index, offset: info.offset, size: info.batch.size, shape: info.attention[1].shape }),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toEqual([
      { index: 0, offset: 0, size: 4, shape: [4, 2, 7, 7] },
      { index: 1, offset: 4, size: 4, shape: [4, 2, 7, 7] },
      { index: 2, offset: 8, size: 2, shape: [2, 2, 7, 7] },
    ]);
    const full = forward(params, config, split.inputs, [10, 7]);
    const labels = tf.tensor2d(split.labels, [10, 7], 'int32');
    const lossAll = crossEntropyLoss(full.logits, labels, { mode: 'all' }).dataSync()[0];
    const lossTarget = crossEntropyLoss(full.logits, labels, { mode: 'target', queryPos: split.queryPos }).dataSync()[0];
    expect(result.sampleCount).toBe(10);
    expect(result.lossAll).toBeCloseTo(lossAll, 5);
    expect(result.lossTarget).toBeCloseTo(lossTarget, 5);
    expect(result.loss).toBe(result.lossTarget);
    expect(result.copyAccuracy).toBe(copyAccuracy(full.logits, split.labels, split.queryPos));
    // attention: [layers, samples, heads, T, T] in split order
    expect(result.attention?.shape).toEqual([2, 10, 2, 7, 7]);
    const layer1 = full.attention[1].dataSync();
    const block = 2 * 7 * 7;
    const got = result.attention?.data.subarray((1 * 10 + 9) * block, (1 * 10 + 10) * block) as Float32Array;
    Array.from(got).forEach((x, i) => expect(x).toBeCloseTo(layer1[9 * block + i], 6));
    tf.dispose([full.logits, ...full.attention, labels]);
    disposeParams(params);
  });
});
