import * as tf from '@tensorflow/tfjs-core';
import { BitLinearError, describeValue } from './errors';

/** Throws BAD_VALUE unless `value` is a tf.Tensor. */
export function checkTensor(name: string, value: unknown): asserts value is tf.Tensor {
  if (!(value instanceof tf.Tensor)) {
    throw new BitLinearError('BAD_VALUE', `${name} must be a tf.Tensor; got ${describeValue(value)}`);
  }
}

/**
 * Checks `x [..., in]` against `kernel [in, out]` (TF.js kernel layout) and returns
 * `[in, out]`; throws BAD_SHAPE naming both shapes.
 */
export function checkInputAndKernel(x: unknown, kernel: unknown): [number, number] {
  checkTensor('input', x);
  checkTensor('kernel', kernel);
  if (kernel.rank !== 2) {
    throw new BitLinearError(
      'BAD_SHAPE',
      `kernel must have rank 2 [in, out]; got shape ${JSON.stringify(kernel.shape)}`,
    );
  }
  const [inF, outF] = kernel.shape as [number, number];
  if (x.rank < 1 || x.shape[x.rank - 1] !== inF) {
    throw new BitLinearError(
      'BAD_SHAPE',
      `input last axis must equal kernel in-features ${inF} (kernel shape ${JSON.stringify(kernel.shape)}); got input shape ${JSON.stringify(x.shape)}`,
    );
  }
  return [inF, outF];
}
