/**
 * WebGPU plumbing for `selectBackend('webgpu')`: loading Dawn in Node (the `webgpu`
 * package), installing `navigator.gpu` before `@tensorflow/tfjs-backend-webgpu` is
 * imported (it registers itself only when `navigator.gpu` exists), describing the
 * adapter, and the message given when there is none.
 *
 * Nothing here imports a Node module statically, so the browser bundle can include it.
 */

/** Known locations of SwiftShader's Vulkan ICD (a software WebGPU adapter for Dawn). */
export const SWIFTSHADER_ICD_PATHS: readonly string[] = [
  '/usr/lib/chromium/vk_swiftshader_icd.json',
  '/usr/lib/chromium-browser/vk_swiftshader_icd.json',
  '/opt/google/chrome/vk_swiftshader_icd.json',
];

/** The parts of a `GPUAdapterInfo` we report. */
export interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

/** The parts of a `GPUAdapter` we use. */
export interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  limits?: { maxBufferSize?: number; maxStorageBufferBindingSize?: number };
  isFallbackAdapter?: boolean;
}

/** The parts of `navigator.gpu` we use. */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}

/** What the `webgpu` npm package (and its native addon) exports. */
export interface WebgpuPackage {
  create(flags: string[]): GpuLike;
  globals: object;
}

function isWebgpuPackage(x: unknown): x is WebgpuPackage {
  return typeof x === 'object' && x !== null && typeof (x as WebgpuPackage).create === 'function';
}

/** `navigator.gpu`, or undefined. */
export function navigatorGpu(): GpuLike | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  return nav?.gpu ?? undefined;
}

/**
 * Load Dawn for Node. `importer` imports the `webgpu` package (its ESM wrapper); when
 * that wrapper cannot load although the package is installed (code compiled to
 * CommonJS, as under jest, cannot run its `import.meta`), the native addon it wraps
 * (`dist/<platform>-<arch>/dawn.node`) is loaded directly, resolving the package from
 * `resolveFrom` (default: the working directory). Throws an Error whose message says
 * what is missing.
 */
export async function loadNodeWebgpu(
  importer: () => Promise<unknown>,
  options: { resolveFrom?: string } = {},
): Promise<WebgpuPackage> {
  let firstError: unknown;
  try {
    const mod = (await importer()) as { default?: unknown } | null;
    if (isWebgpuPackage(mod)) return mod;
    if (isWebgpuPackage(mod?.default)) return mod.default;
    throw new Error('package webgpu has no create() export');
  } catch (e) {
    firstError = e;
  }
  const { createRequire } = await import('node:module');
  const path = await import('node:path');
  const fs = await import('node:fs');
  const req = createRequire(path.join(options.resolveFrom ?? process.cwd(), 'noop.js'));
  let dir: string;
  try {
    dir = path.dirname(req.resolve('webgpu/package.json'));
  } catch {
    throw new Error('package webgpu is not installed (npm install webgpu)');
  }
  const arch = process.platform === 'darwin' ? 'universal' : process.arch;
  const addon = path.join(dir, 'dist', `${process.platform}-${arch}`, 'dawn.node');
  if (!fs.existsSync(addon)) {
    const why = firstError instanceof Error ? firstError.message.split('\n')[0] : String(firstError);
    throw new Error(`package webgpu failed to load (${why}) and has no Dawn binary for ${process.platform}-${arch}`);
  }
  const mod = req(addon) as unknown;
  if (!isWebgpuPackage(mod)) throw new Error(`${addon} does not export create()`);
  return mod;
}

/**
 * Install `navigator.gpu` (and the WebGPU globals such as `GPUBufferUsage`) from Dawn,
 * keeping an existing `navigator` object. Returns the `GPU` object.
 */
export function installNavigatorGpu(pkg: WebgpuPackage, flags: string[] = []): GpuLike {
  const gpu = pkg.create(flags);
  Object.assign(globalThis, pkg.globals);
  const g = globalThis as { navigator?: object };
  if (g.navigator !== undefined && g.navigator !== null) {
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  }
  return gpu;
}

/** True for a software (CPU-emulated) adapter: SwiftShader, or one the browser calls a fallback. */
export function isSoftwareAdapter(adapter: GpuAdapterLike): boolean {
  if (adapter.isFallbackAdapter === true) return true;
  const info = adapter.info ?? {};
  return /swiftshader|llvmpipe|lavapipe|warp|software/i.test(
    [info.vendor, info.architecture, info.device, info.description].filter((s) => s).join(' '),
  );
}

/** One line naming the adapter, e.g. "google swiftshader SwiftShader driver 5.0.0 (software adapter: ...)". */
export function describeAdapter(adapter: GpuAdapterLike): string {
  const info = adapter.info ?? {};
  const desc = [info.vendor, info.architecture, info.description].filter((s) => s).join(' ') || 'unnamed adapter';
  const limit = adapter.limits?.maxStorageBufferBindingSize;
  const parts = [desc];
  if (typeof limit === 'number') parts.push(`max binding ${Math.round(limit / 2 ** 20)} MiB`);
  if (isSoftwareAdapter(adapter)) parts.push('software adapter: CPU emulation, correct but slow');
  return parts.join(', ');
}

/**
 * Why there is no adapter, and how to get one. In Node: Dawn needs a Vulkan (Linux),
 * Metal (macOS) or D3D12 (Windows) driver; SwiftShader's Vulkan ICD gives a software one.
 */
export function noAdapterMessage(options: {
  node: boolean;
  icd?: string;
  exists?: (path: string) => boolean;
}): string {
  if (!options.node) {
    return 'no WebGPU adapter: navigator.gpu.requestAdapter() returned null (WebGPU disabled or no supported GPU; in Chromium try --enable-unsafe-webgpu)';
  }
  const found = SWIFTSHADER_ICD_PATHS.find((p) => options.exists?.(p) ?? false);
  const hint = found
    ? `for a software adapter run with VK_ICD_FILENAMES=${found} (SwiftShader)`
    : 'for a software adapter point VK_ICD_FILENAMES at a SwiftShader Vulkan ICD (vk_swiftshader_icd.json, shipped with Chromium: apt-get install chromium)';
  return (
    `no WebGPU adapter found: Dawn found no usable Vulkan, Metal or D3D12 GPU` +
    `${options.icd ? ` with VK_ICD_FILENAMES=${options.icd}` : ''}; ${hint}`
  );
}
