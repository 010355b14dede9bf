import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { exportOnnx } from './export';
import { OnnxError } from './errors';
import { createNodeSession, listNodeProviders, writeFileAtomic } from './node';
import { maxAbsDiff, ortRun, randomIds, tinyConfig, tinyModel } from './test-helpers';

const config = tinyConfig({ precision: '1bit', posEmbed: 'trigonometric' });
const model = tinyModel(config, 11);
const bytes = exportOnnx(model);
const ids = randomIds(3, 6, config.vocabSize, 5);

/** Directory of onnxruntime-node's native libraries for this platform. */
const ortBinDir = join(dirname(require.resolve('onnxruntime-node/package.json')), 'bin', 'napi-v6', process.platform, process.arch);
const cudaInstalled = existsSync(join(ortBinDir, 'libonnxruntime_providers_cuda.so'));

test('cpu session: outputs, shapes and metadata; equal to a raw onnxruntime run', async () => {
  const session = await createNodeSession(bytes);
  expect(session.provider).toBe('cpu');
  expect(session.fallbackReason).toBeUndefined();
  expect(session.config).toEqual(config);
  const r = await session.run(ids);
  expect(r.shapes).toEqual({ logits: [3, 6, 11], attention: [3, 2, 6, 6] });
  expect(r.attention).toHaveLength(2);
  const raw = await ortRun(bytes, ids);
  expect(maxAbsDiff(r.logits, raw.logits)).toBe(0);
  expect(maxAbsDiff(r.attention[1], raw.attention_1)).toBe(0);
  // Flat Int32Array + shape gives the same.
  const flat = await session.run(Int32Array.from(ids.flat()), [3, 6]);
  expect(maxAbsDiff(flat.logits, r.logits)).toBe(0);
  // Batch 1 of the same rows equals the batched run (per-token quantisation, no batch coupling).
  const one = await session.run([ids[2]]);
  expect(maxAbsDiff(one.logits, r.logits.subarray(2 * 6 * 11))).toBeLessThanOrEqual(1e-6);
  await session.release();
});

test('a file path works too, and files are written atomically', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ihc-onnx-node-'));
  try {
    const path = join(dir, 'model.onnx');
    await writeFileAtomic(path, bytes);
    expect(readdirSync(dir)).toEqual(['model.onnx']);
    const session = await createNodeSession(path);
    expect((await session.run([[1, 2, 3]])).shapes.logits).toEqual([1, 3, 11]);
    await session.release();
    await expect(createNodeSession(join(dir, 'missing.onnx'))).rejects.toThrow(/cannot read ONNX model/);
    writeFileSync(join(dir, 'bad.onnx'), 'not a model');
    await expect(createNodeSession(join(dir, 'bad.onnx'))).rejects.toThrow(OnnxError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad token ids throw INVALID_INPUT naming the problem', async () => {
  const session = await createNodeSession(bytes);
  await expect(session.run([[1, 11]])).rejects.toThrow(/token id 11 at index 1 is not in 0\.\.10/);
  await expect(session.run([[1, 2], [3]])).rejects.toThrow(/rectangular/);
  await expect(session.run([Array(9).fill(0)])).rejects.toThrow(/sequence length 9 exceeds the model's maxSeqLength 8/);
  await expect(session.run(Int32Array.of(1, 2, 3), [2, 2])).rejects.toThrow(/batch\*seq = 3/);
  await expect(session.run([[1.5]])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  await session.release();
});

test('bad options throw INVALID_OPTION', async () => {
  await expect(createNodeSession(bytes, { provider: 'tpu' as never })).rejects.toThrow(/provider "tpu" is not one of cpu, webgpu, cuda/);
  await expect(createNodeSession(bytes, { graphOptimizationLevel: 'disabled' as never })).rejects.toMatchObject({
    code: 'INVALID_OPTION',
  });
});

test('listNodeProviders reports cpu and the providers of this onnxruntime-node build', async () => {
  const providers = await listNodeProviders();
  expect(providers.find((p) => p.name === 'cpu')?.installed).toBe(true);
  expect(providers.map((p) => p.name)).toEqual(expect.arrayContaining(['cpu', 'webgpu', 'cuda']));
});

(cudaInstalled ? test.skip : test)('cuda without its provider library: PROVIDER_UNAVAILABLE naming it and the alternatives; fallback runs on cpu', async () => {
  const err = await createNodeSession(bytes, { provider: 'cuda' }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OnnxError);
  const e = err as OnnxError;
  expect(e.code).toBe('PROVIDER_UNAVAILABLE');
  expect(e.provider).toBe('cuda');
  expect(e.available).toContain('cpu');
  expect(e.message).toMatch(/execution provider 'cuda' is unavailable/);
  expect(e.message).toMatch(/--onnxruntime-node-install=cuda12/);
  expect(e.message).toMatch(/cpu \(always available\)/);

  const session = await createNodeSession(bytes, { provider: 'cuda', fallback: true });
  expect(session.provider).toBe('cpu');
  expect(session.requestedProvider).toBe('cuda');
  expect(session.fallbackReason).toMatch(/'cuda' unavailable/);
  const r = await session.run(ids);
  expect(maxAbsDiff(r.logits, (await ortRun(bytes, ids)).logits)).toBe(0);
  await session.release();
});

// WebGPU in Node runs on Vulkan; without a GPU, Chromium's SwiftShader ICD provides a
// software Vulkan device.
const SWIFTSHADER_ICDS = ['/usr/lib/chromium/vk_swiftshader_icd.json', '/usr/lib/chromium-browser/vk_swiftshader_icd.json'];
const icd = process.env.VK_ICD_FILENAMES ?? SWIFTSHADER_ICDS.find((p) => existsSync(p));
if (!icd) {
  // eslint-disable-next-line no-console
  console.warn('SKIPPED node WebGPU test: no Vulkan ICD (VK_ICD_FILENAMES unset and no SwiftShader ICD from Debian chromium)');
}
(icd ? test : test.skip)(`webgpu provider (Vulkan ICD ${icd ?? 'none'}) equals cpu within 1e-4`, async () => {
  // jest's sandboxed process.env does not reach getenv(); jest.environment.cjs sets the real one.
  const setNativeEnv = (globalThis as { __setNativeEnv?: (k: string, v: string) => void }).__setNativeEnv;
  (setNativeEnv ?? ((k: string, v: string) => (process.env[k] = v)))('VK_ICD_FILENAMES', icd!);
  // The packed 1-bit model exercises every op (unpacking, quantiser, off-by-one softmax).
  const m = exportOnnx(tinyModel(tinyConfig({ precision: '1bit', softmax: 'off-by-one' }), 12));
  const gpu = await createNodeSession(m, { provider: 'webgpu' });
  expect(gpu.provider).toBe('webgpu');
  const cpu = await createNodeSession(m);
  const [a, b] = [await gpu.run(ids), await cpu.run(ids)];
  expect(maxAbsDiff(a.logits, b.logits)).toBeLessThanOrEqual(1e-4);
  for (let i = 0; i < 2; i++) expect(maxAbsDiff(a.attention[i], b.attention[i])).toBeLessThanOrEqual(1e-4);
  // eslint-disable-next-line no-console
  console.log(`node webgpu vs cpu: max |logits diff| ${maxAbsDiff(a.logits, b.logits).toExponential(1)}`);
  await gpu.release();
  await cpu.release();
});
