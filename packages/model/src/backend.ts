import * as tf from '@tensorflow/tfjs-core';
import './gradients';
import { BackendError, describeValue } from './errors';
import {
  SWIFTSHADER_ICD_PATHS,
  describeAdapter,
  installNavigatorGpu,
  loadNodeWebgpu,
  navigatorGpu,
  noAdapterMessage,
} from './webgpu-node';

export { SWIFTSHADER_ICD_PATHS };

/** TF.js backends `selectBackend` knows, best first in Node. */
export type BackendName = 'tfjs-node-gpu' | 'tfjs-node' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';
/** A backend, or 'auto' (the first that works, in `autoBackendOrder()`). */
export type BackendChoice = 'auto' | BackendName;

export const BACKEND_NAMES: readonly BackendName[] = ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'webgl', 'wasm', 'cpu'];
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', ...BACKEND_NAMES];
/** Environment variable that replaces `backend: 'auto'` (not an explicit choice). */
export const BACKEND_ENV_VAR = 'IHC_BACKEND';

/** Optional packages `selectBackend` imports (by this name) to start a backend. */
export type BackendPackage =
  | '@tensorflow/tfjs-node'
  | '@tensorflow/tfjs-node-gpu'
  | '@tensorflow/tfjs-backend-webgpu'
  | '@tensorflow/tfjs-backend-webgl'
  | '@tensorflow/tfjs-backend-wasm'
  | '@tensorflow/tfjs-backend-cpu'
  | 'webgpu';

/**
 * Loaders used instead of `import(name)` for these packages: a browser bundle, which
 * cannot import bare package names at run time, passes its bundled backends here
 * (`@ihc/model/browser` does).
 */
export type BackendModules = Partial<Record<BackendPackage, () => Promise<unknown>>>;

export interface SelectBackendOptions {
  /** Default 'auto'; 'auto' is replaced by `$IHC_BACKEND` when that is set. */
  backend?: BackendChoice;
  /** wasm only: XNNPACK thread count (set before the backend starts; default TF.js's). */
  threads?: number;
  /** Environment to read `IHC_BACKEND` from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Called with one line naming the chosen backend, and with each skipped one under 'auto'. */
  log?: (message: string) => void;
  /**
   * wasm only: where its `.wasm` binaries are (a URL prefix ending in '/', or a directory).
   * Default in Node: the installed package's `dist/`; in browsers TF.js's default (next
   * to the script), so a page serving a bundle should pass its own URL.
   */
  wasmPaths?: string;
  /** Loaders replacing `import(name)` of optional packages (see `BackendModules`). */
  modules?: BackendModules;
}

export interface SelectedBackend {
  /** The backend chosen. */
  name: BackendName;
  /** TF.js's own name for it (`tf.getBackend()`): 'tensorflow', 'webgpu', 'webgl', 'wasm' or 'cpu'. */
  tfBackend: string;
  /** Human-readable details (adapter, threads, SIMD, why others were skipped). */
  detail: string;
}

/** Why a backend could not start here (internal; turned into a BackendError). */
class Unavailable extends Error {}

const TF_NAMES: Record<BackendName, string> = {
  'tfjs-node-gpu': 'tensorflow',
  'tfjs-node': 'tensorflow',
  webgpu: 'webgpu',
  webgl: 'webgl',
  wasm: 'wasm',
  cpu: 'cpu',
};

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** The order 'auto' tries: Node: tfjs-node-gpu, tfjs-node, wasm, cpu; browsers: webgpu, webgl, wasm, cpu. */
export function autoBackendOrder(): BackendName[] {
  return isNode() ? ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] : ['webgpu', 'webgl', 'wasm', 'cpu'];
}

function checkChoice(value: unknown, source: string): BackendChoice {
  if (!(BACKEND_CHOICES as readonly unknown[]).includes(value)) {
    throw new BackendError(
      'UNKNOWN_BACKEND',
      String(value),
      `Unknown backend ${describeValue(value)} (from ${source}); valid backends: ${BACKEND_CHOICES.join(', ')}.`,
    );
  }
  return value as BackendChoice;
}

/** What starting a backend needs besides its name. */
interface StartContext {
  threads?: number;
  wasmPaths?: string;
  modules: BackendModules;
}

/** The import of an optional package: `modules[name]`, else `import(name)` by a computed name (bundlers and tsc leave it alone). */
function importerOf(specifier: BackendPackage, modules: BackendModules): () => Promise<unknown> {
  return modules[specifier] ?? (() => import(specifier));
}

/** Import an optional package (see `importerOf`); a failure becomes `Unavailable` naming the package. */
async function importOptional<T>(specifier: BackendPackage, hint: string, modules: BackendModules): Promise<T> {
  try {
    return (await importerOf(specifier, modules)()) as T;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Unavailable(
      /Cannot find (module|package)|MODULE_NOT_FOUND|ERR_MODULE_NOT_FOUND/.test(message)
        ? `package ${specifier} is not installed (${hint})`
        : `package ${specifier} failed to load: ${message.split('\n')[0]}`,
    );
  }
}

async function useTfBackend(tfName: string, what: string): Promise<void> {
  let ok = false;
  try {
    ok = await tf.setBackend(tfName);
    await tf.ready();
  } catch (e) {
    throw new Unavailable(`${what} did not start: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  if (!ok || tf.getBackend() !== tfName) throw new Unavailable(`${what} did not start (tf.setBackend('${tfName}') failed)`);
}

async function startTfjsNode(name: 'tfjs-node' | 'tfjs-node-gpu', ctx: StartContext): Promise<string> {
  const spec = `@tensorflow/${name}` as const;
  await importOptional<unknown>(spec, `npm install ${spec}`, ctx.modules);
  await useTfBackend('tensorflow', spec);
  return `${spec} (TensorFlow C library)`;
}

type WasmModule = {
  setWasmPaths: (prefix: string) => void;
  setThreadsCount: (n: number) => void;
  getThreadsCount: () => number;
};

/**
 * Directory (with trailing separator) of the installed `@tensorflow/tfjs-backend-wasm`
 * `dist/`, where its `.wasm` binaries are; resolved from this module's own file
 * (`__filename`, or in the ESM build its `file://` URL from a stack trace), the running
 * script, or the working directory. Undefined outside Node or when not found.
 */
export async function wasmBinaryDir(): Promise<string | undefined> {
  if (!isNode()) return undefined;
  const { createRequire } = await import('node:module');
  const path = await import('node:path');
  const fs = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const bases: string[] = [];
  if (typeof __filename === 'string') bases.push(__filename);
  else {
    // ESM build: this module's own file:// URL, read from a stack trace (no import.meta in src).
    const frame = /(file:\/\/[^\s)]+?):\d+:\d+/.exec(new Error().stack ?? '');
    if (frame) bases.push(fileURLToPath(frame[1]));
  }
  if (process.argv[1]) bases.push(path.resolve(process.argv[1]));
  bases.push(path.join(process.cwd(), 'noop.js'));
  for (const base of bases) {
    try {
      const main = createRequire(base).resolve('@tensorflow/tfjs-backend-wasm');
      const dir = path.dirname(main);
      if (fs.existsSync(path.join(dir, 'tfjs-backend-wasm.wasm'))) return dir + path.sep;
    } catch {
      // try the next base
    }
  }
  return undefined;
}

async function startWasm(ctx: StartContext): Promise<string> {
  const threads = ctx.threads;
  const raw = await importOptional<WasmModule & { default?: WasmModule }>(
    '@tensorflow/tfjs-backend-wasm',
    'npm install @tensorflow/tfjs-backend-wasm',
    ctx.modules,
  );
  const wasm: WasmModule = typeof raw.setWasmPaths === 'function' ? raw : (raw.default as WasmModule);
  const alreadyUp = tf.engine().registry.wasm !== undefined;
  const dir = alreadyUp ? undefined : (ctx.wasmPaths ?? (await wasmBinaryDir()));
  if (!alreadyUp) {
    if (dir !== undefined) wasm.setWasmPaths(dir);
    if (threads !== undefined) wasm.setThreadsCount(threads);
  }
  await useTfBackend('wasm', '@tensorflow/tfjs-backend-wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  let threadCount = '?';
  try {
    threadCount = String(wasm.getThreadsCount());
  } catch {
    // not reported by this version
  }
  return `wasm (SIMD ${simd ? 'on' : 'off'}, ${threadCount} thread(s)${dir ? `, binaries from ${dir}` : ''})`;
}

async function startWebgpu(ctx: StartContext): Promise<string> {
  const node = isNode();
  let exists: (p: string) => boolean = () => false;
  if (node) {
    const fs = await import('node:fs');
    exists = (p) => fs.existsSync(p);
  }
  let gpu = navigatorGpu();
  if (gpu === undefined) {
    if (!node) throw new Unavailable('this browser has no navigator.gpu (WebGPU is off or unsupported)');
    let pkg;
    try {
      pkg = await loadNodeWebgpu(importerOf('webgpu', ctx.modules));
    } catch (e) {
      throw new Unavailable(e instanceof Error ? e.message : String(e));
    }
    // tfjs-backend-webgpu registers itself at import time only if navigator.gpu exists.
    gpu = installNavigatorGpu(pkg);
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new Unavailable(noAdapterMessage({ node, icd: node ? process.env.VK_ICD_FILENAMES : undefined, exists }));
  }
  await importOptional<unknown>('@tensorflow/tfjs-backend-webgpu', 'npm install @tensorflow/tfjs-backend-webgpu', ctx.modules);
  if (tf.engine().registryFactory.webgpu === undefined) {
    throw new Unavailable('@tensorflow/tfjs-backend-webgpu was imported before navigator.gpu existed and did not register');
  }
  await useTfBackend('webgpu', '@tensorflow/tfjs-backend-webgpu');
  return `webgpu (${describeAdapter(adapter)})`;
}

async function startWebgl(ctx: StartContext): Promise<string> {
  if (isNode()) throw new Unavailable('WebGL exists only in browsers (Node has no WebGL context); use webgpu, wasm or cpu');
  await importOptional<unknown>('@tensorflow/tfjs-backend-webgl', 'npm install @tensorflow/tfjs-backend-webgl', ctx.modules);
  await useTfBackend('webgl', '@tensorflow/tfjs-backend-webgl');
  return `webgl (WebGL ${tf.env().getNumber('WEBGL_VERSION')})`;
}

async function startCpu(ctx: StartContext): Promise<string> {
  await importOptional<unknown>('@tensorflow/tfjs-backend-cpu', 'npm install @tensorflow/tfjs-backend-cpu', ctx.modules);
  await useTfBackend('cpu', '@tensorflow/tfjs-backend-cpu');
  return 'cpu (plain JavaScript)';
}

function start(name: BackendName, ctx: StartContext): Promise<string> {
  switch (name) {
    case 'tfjs-node-gpu':
    case 'tfjs-node':
      return startTfjsNode(name, ctx);
    case 'webgpu':
      return startWebgpu(ctx);
    case 'webgl':
      return startWebgl(ctx);
    case 'wasm':
      return startWasm(ctx);
    case 'cpu':
      return startCpu(ctx);
  }
}

/**
 * Which backends can start here (best first). Starting one to check it makes it the
 * current backend for a moment; the current backend is restored afterwards.
 */
export async function availableBackends(
  options: Pick<SelectBackendOptions, 'threads' | 'wasmPaths' | 'modules'> = {},
): Promise<BackendName[]> {
  const ctx: StartContext = { threads: options.threads, wasmPaths: options.wasmPaths, modules: options.modules ?? {} };
  const previous = tfCurrentBackend();
  const order: BackendName[] = isNode() ? ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu'] : ['webgpu', 'webgl', 'wasm', 'cpu'];
  const out: BackendName[] = [];
  for (const name of order) {
    try {
      await start(name, ctx);
      out.push(name);
    } catch {
      // not available
    }
  }
  if (previous !== undefined && tf.getBackend() !== previous) await tf.setBackend(previous);
  return out;
}

function tfCurrentBackend(): string | undefined {
  // tf.getBackend() would initialise the best registered backend as a side effect.
  const engine = tf.engine() as unknown as { backendName?: string | null };
  return engine.backendName ?? undefined;
}

/**
 * Pick, start and activate a TF.js backend (`tf.setBackend`), and say which.
 *
 * - `backend` 'auto' (default): `$IHC_BACKEND` when set, else the first that starts of
 *   `autoBackendOrder()`: in Node `@tensorflow/tfjs-node-gpu`, `@tensorflow/tfjs-node`
 *   (optional peers, loaded with a dynamic import), wasm, cpu.
 * - An explicit backend that cannot start throws `BackendError` (`BACKEND_UNAVAILABLE`)
 *   with the reason and the backends that can; an unknown name throws `UNKNOWN_BACKEND`.
 * - wasm in Node loads its binaries from the installed package's `dist/`
 *   (`setWasmPaths`); `threads` sets its XNNPACK thread count.
 * - webgpu in Node uses the `webgpu` package (Dawn): it installs `navigator.gpu` and
 *   the WebGPU globals before importing `@tensorflow/tfjs-backend-webgpu`; without an
 *   adapter the error says how to get one (SwiftShader via `VK_ICD_FILENAMES`). Read
 *   webgpu tensors with `await t.data()` (no synchronous reads in Node).
 * - In browsers 'auto' tries webgpu, webgl, wasm, cpu; a bundle passes its backends as
 *   `modules` and the URL of the wasm binaries as `wasmPaths` (`@ihc/model/browser`).
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<SelectedBackend> {
  const env = options.env ?? (isNode() ? process.env : {});
  let choice = checkChoice(options.backend ?? 'auto', 'option backend');
  const fromEnv = env[BACKEND_ENV_VAR];
  if (choice === 'auto' && fromEnv !== undefined && fromEnv !== '') {
    choice = checkChoice(fromEnv, `$${BACKEND_ENV_VAR}`);
  }
  const threads = options.threads;
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new BackendError('INVALID_OPTION', String(threads), `Invalid threads ${describeValue(threads)}; expected a positive integer.`);
  }
  const log = options.log ?? (() => undefined);
  const ctx: StartContext = { threads, wasmPaths: options.wasmPaths, modules: options.modules ?? {} };
  if (choice !== 'auto') {
    try {
      const detail = await start(choice, ctx);
      log(`backend: ${choice} - ${detail}`);
      return { name: choice, tfBackend: TF_NAMES[choice], detail };
    } catch (e) {
      if (!(e instanceof Unavailable)) throw e;
      const available = (await availableBackends(ctx)).filter((n) => n !== choice);
      throw new BackendError(
        'BACKEND_UNAVAILABLE',
        choice,
        `Backend ${choice} is not available: ${e.message}. Available here: ${available.join(', ') || 'none'}.`,
        available,
      );
    }
  }
  const skipped: string[] = [];
  for (const name of autoBackendOrder()) {
    try {
      const detail = await start(name, ctx);
      const full = skipped.length > 0 ? `${detail}; skipped ${skipped.join('; ')}` : detail;
      log(`backend: ${name} - ${full}`);
      return { name, tfBackend: TF_NAMES[name], detail: full };
    } catch (e) {
      if (!(e instanceof Unavailable)) throw e;
      skipped.push(`${name}: ${e.message}`);
    }
  }
  throw new BackendError('BACKEND_UNAVAILABLE', 'auto', `No TF.js backend could start: ${skipped.join('; ')}.`, []);
}
