// @ihc/onnx/web: sessions on onnxruntime-web in browsers: 'webgpu' (the
// 'onnxruntime-web/webgpu' build, WebGPU EP) or 'wasm' (the 'onnxruntime-web/wasm'
// build). The default JSEP build of onnxruntime-web is never used: it gave wrong
// logits for packed models with graph optimisation disabled, and optimisation is
// never disabled here either.
import type { InferenceSession } from 'onnxruntime-common';
import { OnnxError, describeValue } from './errors';
import { checkOptimizationLevel, wrapSession, type OnnxSession, type OptimizationLevel, type OrtModule } from './session';

export * from './index';

export type WebProvider = 'webgpu' | 'wasm';
export const WEB_PROVIDERS: readonly WebProvider[] = ['webgpu', 'wasm'];

export interface WebSessionOptions {
  /** 'webgpu' (default when the browser has an adapter is your call; default here 'wasm') or 'wasm'. */
  provider?: WebProvider;
  /** Fall back to 'wasm' when WebGPU cannot start (the session reports it). Default false. */
  fallback?: boolean;
  /** Where onnxruntime-web finds its .wasm / .mjs files (`ort.env.wasm.wasmPaths`), e.g. '/ort/'. */
  wasmPaths?: string;
  /** wasm threads (`ort.env.wasm.numThreads`); threads need a cross-origin-isolated page. */
  numThreads?: number;
  /** Graph optimisation, default 'all' (never 'disabled'). */
  graphOptimizationLevel?: OptimizationLevel;
}

interface WebOrt extends OrtModule {
  env: { wasm: { wasmPaths?: unknown; numThreads?: number } };
}

function normalise(m: unknown): WebOrt {
  const mod = m as WebOrt & { default?: WebOrt };
  return mod.InferenceSession ? mod : (mod.default as WebOrt);
}

/** Imports the onnxruntime-web build for a provider ('onnxruntime-web/webgpu' or 'onnxruntime-web/wasm'). */
export async function loadOnnxruntimeWeb(provider: WebProvider): Promise<WebOrt> {
  try {
    return normalise(provider === 'webgpu' ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm'));
  } catch (e) {
    throw new OnnxError(
      'PEER_MISSING',
      `@ihc/onnx/web needs the optional peer onnxruntime-web (import of onnxruntime-web/${provider} failed: ${String(e)}); ` +
        'without a bundler, map it with an import map (see the README)',
      { cause: e },
    );
  }
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

/** Whether this browser exposes a WebGPU adapter (false in Node and in browsers without WebGPU). */
export async function hasWebGpu(): Promise<boolean> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) != null;
  } catch {
    return false;
  }
}

async function modelBytes(model: Uint8Array | ArrayBuffer | string): Promise<Uint8Array> {
  if (model instanceof Uint8Array) return model;
  if (model instanceof ArrayBuffer) return new Uint8Array(model);
  if (typeof model !== 'string') {
    throw new OnnxError('INVALID_INPUT', `model must be ONNX bytes or a URL; got ${describeValue(typeof model)}`);
  }
  const res = await fetch(model);
  if (!res.ok) throw new OnnxError('INVALID_FILE', `cannot fetch ONNX model ${model}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function create(provider: WebProvider, bytes: Uint8Array, options: WebSessionOptions): Promise<{ ort: WebOrt; session: InferenceSession }> {
  const ort = await loadOnnxruntimeWeb(provider);
  if (options.wasmPaths !== undefined) ort.env.wasm.wasmPaths = options.wasmPaths;
  if (options.numThreads !== undefined) ort.env.wasm.numThreads = options.numThreads;
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: [provider],
    graphOptimizationLevel: checkOptimizationLevel(options.graphOptimizationLevel),
  });
  return { ort, session };
}

/**
 * An onnxruntime-web session on 'wasm' (default) or 'webgpu'. When WebGPU is missing or
 * fails, throws OnnxError PROVIDER_UNAVAILABLE, or with `fallback: true` runs on 'wasm'
 * and says so in `provider` / `fallbackReason`.
 */
export async function createWebSession(
  model: Uint8Array | ArrayBuffer | string,
  options: WebSessionOptions = {},
): Promise<OnnxSession> {
  const requested = options.provider ?? 'wasm';
  if (!WEB_PROVIDERS.includes(requested)) {
    throw new OnnxError('INVALID_OPTION', `provider ${describeValue(requested)} is not one of ${WEB_PROVIDERS.join(', ')}`);
  }
  checkOptimizationLevel(options.graphOptimizationLevel);
  const bytes = await modelBytes(model);
  let reason: string | undefined;
  if (requested === 'webgpu') {
    if (!(await hasWebGpu())) {
      reason = 'this browser has no WebGPU adapter (navigator.gpu missing or requestAdapter() returned null)';
    } else {
      try {
        const { ort, session } = await create('webgpu', bytes, options);
        return wrapSession(ort, session, bytes, { provider: 'webgpu', requestedProvider: 'webgpu' });
      } catch (e) {
        if (e instanceof OnnxError && e.code !== 'PEER_MISSING') throw e;
        reason = e instanceof Error ? e.message : String(e);
      }
    }
    if (!options.fallback) {
      throw new OnnxError(
        'PROVIDER_UNAVAILABLE',
        `execution provider 'webgpu' is unavailable: ${reason}. Available: wasm. Use provider 'wasm', or fallback: true.`,
        { provider: 'webgpu', available: ['wasm'] },
      );
    }
  }
  const { ort, session } = await create('wasm', bytes, options);
  return wrapSession(ort, session, bytes, {
    provider: 'wasm',
    requestedProvider: requested,
    ...(reason ? { fallbackReason: `'webgpu' unavailable: ${reason}` } : {}),
  });
}
