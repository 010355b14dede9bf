import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  SWIFTSHADER_ICD_PATHS,
  describeAdapter,
  installNavigatorGpu,
  isSoftwareAdapter,
  loadNodeWebgpu,
  noAdapterMessage,
  type WebgpuPackage,
} from './webgpu-node';

const fake: WebgpuPackage = { create: () => ({ requestAdapter: async () => null }), globals: { FAKE_GPU_GLOBAL: 7 } };

describe('loadNodeWebgpu', () => {
  it('returns the package from the importer, or its default export', async () => {
    expect(await loadNodeWebgpu(async () => fake)).toBe(fake);
    expect(await loadNodeWebgpu(async () => ({ default: fake }))).toBe(fake);
  });

  it('loads the Dawn addon directly when the ESM wrapper cannot load (as under jest)', async () => {
    const pkg = await loadNodeWebgpu(() => import('webgpu'));
    expect(typeof pkg.create).toBe('function');
    expect(pkg.globals).toHaveProperty('GPUBufferUsage');
  });

  it('says to install webgpu when it is not installed', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ihc-no-webgpu-'));
    try {
      await expect(
        loadNodeWebgpu(async () => Promise.reject(new Error("Cannot find module 'webgpu'")), { resolveFrom: empty }),
      ).rejects.toThrow('package webgpu is not installed (npm install webgpu)');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('installNavigatorGpu', () => {
  afterEach(() => {
    delete (globalThis as { navigator?: unknown }).navigator;
    delete (globalThis as { FAKE_GPU_GLOBAL?: unknown }).FAKE_GPU_GLOBAL;
  });

  it('creates navigator.gpu and the WebGPU globals', () => {
    const gpu = installNavigatorGpu(fake);
    expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBe(gpu);
    expect((globalThis as { FAKE_GPU_GLOBAL?: number }).FAKE_GPU_GLOBAL).toBe(7);
  });

  it('keeps an existing navigator object', () => {
    const nav = { userAgent: 'x' };
    Object.defineProperty(globalThis, 'navigator', { value: nav, configurable: true, writable: true });
    const gpu = installNavigatorGpu(fake);
    expect((globalThis as { navigator?: unknown }).navigator).toBe(nav);
    expect((nav as { gpu?: unknown }).gpu).toBe(gpu);
  });
});

describe('adapters', () => {
  it('describes an adapter and flags software ones', () => {
    const swift = {
      info: { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' },
      limits: { maxStorageBufferBindingSize: 2 ** 30 },
    };
    expect(isSoftwareAdapter(swift)).toBe(true);
    expect(describeAdapter(swift)).toBe(
      'google swiftshader SwiftShader driver 5.0.0, max binding 1024 MiB, software adapter: CPU emulation, correct but slow',
    );
    const nvidia = { info: { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' } };
    expect(isSoftwareAdapter(nvidia)).toBe(false);
    expect(describeAdapter(nvidia)).toBe('nvidia hopper NVIDIA H200');
    expect(isSoftwareAdapter({ isFallbackAdapter: true })).toBe(true);
    expect(describeAdapter({})).toBe('unnamed adapter');
  });

  it('says how to get an adapter when there is none', () => {
    const icd = SWIFTSHADER_ICD_PATHS[0];
    expect(noAdapterMessage({ node: true, exists: (p) => p === icd })).toBe(
      `no WebGPU adapter found: Dawn found no usable Vulkan, Metal or D3D12 GPU; for a software adapter run with VK_ICD_FILENAMES=${icd} (SwiftShader)`,
    );
    expect(noAdapterMessage({ node: true, icd: '/x.json', exists: () => false })).toMatch(
      /with VK_ICD_FILENAMES=\/x\.json; for a software adapter point VK_ICD_FILENAMES at a SwiftShader Vulkan ICD .*chromium/,
    );
    expect(noAdapterMessage({ node: false })).toMatch(/requestAdapter\(\) returned null.*--enable-unsafe-webgpu/);
  });
});
