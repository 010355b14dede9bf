import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_CHOICES, autoBackendOrder, selectBackend, wasmBinaryDir } from './backend';
import { BackendError } from './errors';
import { createModel } from './forward';
import { expectClose, tinyConfig } from './test-setup';
import { reportSkip, startWebgpuForTest } from './webgpu-test-setup';

const noEnv = {};

/** Run `fn` with no `navigator` (so selectBackend loads the given fake `webgpu` package), then restore it. */
async function withoutNavigator(fn: () => Promise<void>): Promise<void> {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  delete (globalThis as { navigator?: unknown }).navigator;
  try {
    await fn();
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator; // the fake navigator.gpu
    if (saved) Object.defineProperty(globalThis, 'navigator', saved);
  }
}

async function catchBackendError(p: Promise<unknown>): Promise<BackendError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BackendError);
    return e as BackendError;
  }
  throw new Error('expected a BackendError');
}

describe('selectBackend', () => {
  it('auto tries tfjs-node-gpu, tfjs-node (not installed here) and falls through to wasm', async () => {
    expect(autoBackendOrder()).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
    const lines: string[] = [];
    const chosen = await selectBackend({ env: noEnv, log: (m) => lines.push(m) });
    expect(chosen.name).toBe('wasm');
    expect(chosen.tfBackend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(chosen.detail).toMatch(/tfjs-node-gpu: package @tensorflow\/tfjs-node-gpu is not installed/);
    expect(chosen.detail).toMatch(/tfjs-backend-wasm[\\/]dist[\\/]/);
    expect(lines).toEqual([`backend: wasm - ${chosen.detail}`]);
    // the model runs (forward and gradients) on it
    const model = createModel(tinyConfig(), 0);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(model.forward([[1, 2, 3]]).logits)) as tf.Scalar);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('forward and gradients on wasm equal those on cpu', async () => {
    const config = tinyConfig({ norm: 'post', posEmbed: 'trigonometric', softmax: 'off-by-one' });
    const ids = [
      [1, 2, 3, 4, 5],
      [6, 0, 0, 2, 1],
    ];
    const run = async (backend: 'cpu' | 'wasm') => {
      await selectBackend({ backend, env: noEnv });
      const model = createModel(config, 5);
      const { value, grads } = tf.variableGrads(() => {
        const { logits, attention } = model.forward(ids);
        tf.dispose(attention);
        return tf.sum(tf.mul(logits, tf.reshape(tf.range(0, 70), [2, 5, 7]))) as tf.Scalar;
      });
      const out = { loss: value.dataSync()[0], grads: Object.values(grads).map((g) => Array.from(g.dataSync())) };
      tf.dispose([value, ...Object.values(grads)]);
      model.dispose();
      return out;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(wasm.loss).toBeCloseTo(cpu.loss, 3);
    wasm.grads.forEach((g, i) => expectClose(g, cpu.grads[i], 1e-4));
  });

  it('wasmBinaryDir finds the installed .wasm binaries', async () => {
    expect(await wasmBinaryDir()).toMatch(/@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]$/);
  });

  it('explicit cpu', async () => {
    const chosen = await selectBackend({ backend: 'cpu', env: noEnv });
    expect(chosen).toMatchObject({ name: 'cpu', tfBackend: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('IHC_BACKEND replaces auto but not an explicit choice', async () => {
    expect((await selectBackend({ env: { IHC_BACKEND: 'cpu' } })).name).toBe('cpu');
    expect((await selectBackend({ backend: 'wasm', env: { IHC_BACKEND: 'cpu' } })).name).toBe('wasm');
    const e = await catchBackendError(selectBackend({ env: { IHC_BACKEND: 'cuda' } }));
    expect(e.code).toBe('UNKNOWN_BACKEND');
    expect(e.message).toContain('IHC_BACKEND');
    expect(e.message).toContain('"cuda"');
  });

  it('an unknown name throws UNKNOWN_BACKEND listing the valid ones', async () => {
    const e = await catchBackendError(selectBackend({ backend: 'gpu' as never, env: noEnv }));
    expect(e.code).toBe('UNKNOWN_BACKEND');
    expect(e.backend).toBe('gpu');
    for (const name of BACKEND_CHOICES) expect(e.message).toContain(name);
  });

  it('an unavailable explicit backend throws BACKEND_UNAVAILABLE naming what is missing and what is available', async () => {
    const e = await catchBackendError(selectBackend({ backend: 'tfjs-node', env: noEnv }));
    expect(e.code).toBe('BACKEND_UNAVAILABLE');
    expect(e.backend).toBe('tfjs-node');
    expect(e.message).toContain('@tensorflow/tfjs-node is not installed');
    expect(e.available).toEqual(expect.arrayContaining(['wasm', 'cpu']));
    expect(e.available).not.toContain('tfjs-node');
    expect(e.message).toMatch(/Available here: .*wasm, cpu/);
  });

  it('webgl in Node: BACKEND_UNAVAILABLE explaining that WebGL needs a browser', async () => {
    const e = await catchBackendError(selectBackend({ backend: 'webgl', env: noEnv }));
    expect(e.code).toBe('BACKEND_UNAVAILABLE');
    expect(e.message).toContain('WebGL exists only in browsers');
    expect(e.available).not.toContain('webgl');
  });

  it('rejects a bad thread count', async () => {
    const e = await catchBackendError(selectBackend({ backend: 'wasm', threads: 0, env: noEnv }));
    expect(e.code).toBe('INVALID_OPTION');
  });

  it('webgpu without an adapter: BACKEND_UNAVAILABLE saying what is missing (chosen through IHC_BACKEND too)', async () => {
    const noAdapter = async () => ({ create: () => ({ requestAdapter: async () => null }), globals: {} });
    await withoutNavigator(async () => {
      const e = await catchBackendError(selectBackend({ env: { IHC_BACKEND: 'webgpu' }, modules: { webgpu: noAdapter } }));
      expect(e.code).toBe('BACKEND_UNAVAILABLE');
      expect(e.backend).toBe('webgpu');
      expect(e.message).toMatch(/^Backend webgpu is not available: no WebGPU adapter found: Dawn found no usable Vulkan, Metal or D3D12 GPU/);
      expect(e.message).toMatch(/VK_ICD_FILENAMES/);
      expect(e.available).toEqual(expect.arrayContaining(['wasm', 'cpu']));
      expect(e.available).not.toContain('webgpu');
    });
  });

  it('webgpu without its TF.js package names the package', async () => {
    const missing = async () => Promise.reject(new Error("Cannot find module '@tensorflow/tfjs-backend-webgpu'"));
    const adapter = async () => ({ create: () => ({ requestAdapter: async () => ({}) }), globals: {} });
    await withoutNavigator(async () => {
      const e = await catchBackendError(
        selectBackend({ backend: 'webgpu', env: noEnv, modules: { webgpu: adapter, '@tensorflow/tfjs-backend-webgpu': missing } }),
      );
      expect(e.message).toContain(
        'package @tensorflow/tfjs-backend-webgpu is not installed (npm install @tensorflow/tfjs-backend-webgpu)',
      );
    });
  });

  it('webgpu through Dawn (SwiftShader when its ICD is installed): forward and gradients equal wasm', async () => {
    const config = tinyConfig({ precision: '1bit', softmax: 'off-by-one' });
    const ids = [
      [1, 2, 3, 4, 5],
      [6, 0, 0, 2, 1],
    ];
    const run = async () => {
      const model = createModel(config, 9);
      const { value, grads } = tf.variableGrads(() => {
        const { logits, attention } = model.forward(ids);
        tf.dispose(attention);
        return tf.sum(tf.mul(logits, tf.reshape(tf.range(0, 70), [2, 5, 7]))) as tf.Scalar;
      });
      const out = { loss: (await value.data())[0], grads: await Promise.all(Object.values(grads).map(async (g) => Array.from(await g.data()))) };
      tf.dispose([value, ...Object.values(grads)]);
      model.dispose();
      return out;
    };
    await selectBackend({ backend: 'wasm', env: noEnv });
    const wasm = await run();
    const gpu = await startWebgpuForTest();
    if (!gpu.ok) {
      reportSkip('webgpu forward/gradients', gpu.reason);
      return;
    }
    expect(gpu.detail).toMatch(/^webgpu \(.+\)$/);
    const chosen = await selectBackend({ backend: 'webgpu', env: noEnv });
    expect(chosen).toMatchObject({ name: 'webgpu', tfBackend: 'webgpu' });
    expect(tf.getBackend()).toBe('webgpu');
    const webgpu = await run();
    expect(webgpu.loss).toBeCloseTo(wasm.loss, 3);
    webgpu.grads.forEach((g, i) => expectClose(g, wasm.grads[i], 1e-3));
  });
});
