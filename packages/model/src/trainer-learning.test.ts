// The trainer actually learns the copy task (an induction-style lookup): a tiny model on
// short sentences reaches near-perfect copy accuracy in 150 steps. Runs on the wasm
// backend, ~20x faster than the cpu backend under jest.
import { selectBackend } from './backend';
import { disposeParams } from './params';
import { train, type StepMetrics } from './trainer';

beforeAll(async () => {
  await selectBackend({ backend: 'wasm' });
});

it('learns to copy: eval copy accuracy >= 0.9 after 150 steps (target loss, lr 1e-2)', async () => {
  const steps: StepMetrics[] = [];
  const result = await train({
    modelConfig: { embedSize: 16, numHeads: 2, maxSeqLength: 9 },
    trainConfig: {
      seed: 0,
      steps: 150,
      batchSize: 32,
      lr: 1e-2,
      loss: 'target',
      evalEvery: 0,
      // sentences pre + [&, m] + noise + [&, m] of 10 tokens, len(pre) in 0..1
      dataset: { count: 1000, trainSize: 900, seqLength: 10, prefixLength: 2 },
    },
    callbacks: { onStep: (m) => void steps.push(m) },
  });
  const evaluation = result.lastEval.eval;
  expect(evaluation?.sampleCount).toBe(100);
  expect(steps[0].loss).toBeGreaterThan(3.2); // ~ log 27 at initialisation
  expect(evaluation?.lossTarget).toBeLessThan(0.5);
  expect(evaluation?.copyAccuracy).toBeGreaterThanOrEqual(0.9);
  disposeParams(result.params);
});
