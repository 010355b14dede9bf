// @ihc/onnx/node: sessions on onnxruntime-node (CPU, WebGPU, CUDA), file helpers and
// exportCheckpoint. Needs the optional peer onnxruntime-node (and @ihc/model for
// exportCheckpoint).
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-common';
import type { ExportableModel, ModelConfig, WeightRecord } from './config';
import { OnnxError, describeValue } from './errors';
import { exportOnnx, type ExportOptions } from './export';
import { checkOptimizationLevel, wrapSession, type OnnxSession, type OptimizationLevel, type OrtModule } from './session';

export * from './index';

/** Execution providers of onnxruntime-node that @ihc/onnx knows how to use. */
export type NodeProvider = 'cpu' | 'webgpu' | 'cuda';
export const NODE_PROVIDERS: readonly NodeProvider[] = ['cpu', 'webgpu', 'cuda'];

export interface NodeSessionOptions {
  /** Execution provider, default 'cpu'. */
  provider?: NodeProvider;
  /** Fall back to 'cpu' when the provider cannot start (the session reports it). Default false. */
  fallback?: boolean;
  /** Graph optimisation, default 'all' (never 'disabled': the packed weights are unpacked by constant folding). */
  graphOptimizationLevel?: OptimizationLevel;
  /** CPU threads for intra-op parallelism (onnxruntime's default when omitted). */
  intraOpNumThreads?: number;
}

interface NodeOrt extends OrtModule {
  listSupportedBackends?: () => { name: string; bundled: boolean }[];
}

let ortPromise: Promise<NodeOrt> | undefined;

/** Imports the optional peer onnxruntime-node, or throws OnnxError PEER_MISSING. */
export function loadOnnxruntimeNode(): Promise<NodeOrt> {
  ortPromise ??= import('onnxruntime-node').then(
    (m) => {
      const mod = m as unknown as NodeOrt & { default?: NodeOrt };
      return mod.InferenceSession ? mod : (mod.default as NodeOrt);
    },
    (e: unknown) => {
      ortPromise = undefined;
      throw new OnnxError(
        'PEER_MISSING',
        `@ihc/onnx/node needs the optional peer dependency onnxruntime-node: npm install onnxruntime-node (${String(e)})`,
        { cause: e },
      );
    },
  );
  return ortPromise;
}

/** One execution provider of the installed onnxruntime-node and whether it is usable. */
export interface NodeProviderInfo {
  name: string;
  /** Compiled into / installed with this onnxruntime-node. Being present does not promise a device (WebGPU needs an adapter, CUDA a GPU). */
  installed: boolean;
  note: string;
}

const PROVIDER_NOTES: Record<string, { installed: string; missing: string }> = {
  cpu: { installed: 'always available', missing: 'always available' },
  webgpu: {
    installed: 'needs a GPU adapter (Vulkan on Linux; software: VK_ICD_FILENAMES=<SwiftShader or lavapipe ICD json>)',
    missing: 'not in this onnxruntime-node build',
  },
  cuda: {
    installed: 'needs an NVIDIA GPU with CUDA 12 and cuDNN 9',
    missing: 'not installed: npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12 (or ONNXRUNTIME_NODE_INSTALL=cuda12)',
  },
};

/** Providers of the installed onnxruntime-node (from its listSupportedBackends). */
export async function listNodeProviders(): Promise<NodeProviderInfo[]> {
  const ort = await loadOnnxruntimeNode();
  const backends = ort.listSupportedBackends?.() ?? [{ name: 'cpu', bundled: true }];
  return backends.map((b) => {
    const notes = PROVIDER_NOTES[b.name];
    // A non-bundled provider (cuda, tensorrt) is downloaded by the install script; session creation tells if it is there.
    return {
      name: b.name,
      installed: b.bundled || b.name === 'cpu',
      note: notes ? (b.bundled ? notes.installed : `${notes.missing}`) : b.bundled ? 'bundled' : 'not bundled',
    };
  });
}

async function readModelBytes(model: Uint8Array | string): Promise<Uint8Array> {
  if (model instanceof Uint8Array) return model;
  if (typeof model !== 'string') {
    throw new OnnxError('INVALID_INPUT', `model must be ONNX bytes (Uint8Array) or a file path; got ${describeValue(typeof model)}`);
  }
  try {
    return new Uint8Array(await readFile(model));
  } catch (e) {
    throw new OnnxError('INVALID_FILE', `cannot read ONNX model ${model}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * An onnxruntime-node session on `provider` ('cpu' default, 'webgpu', 'cuda'). When the
 * provider cannot start, throws OnnxError PROVIDER_UNAVAILABLE naming it and the
 * providers this install has, or with `fallback: true` runs on 'cpu' and says so in
 * `provider` / `fallbackReason`.
 */
export async function createNodeSession(model: Uint8Array | string, options: NodeSessionOptions = {}): Promise<OnnxSession> {
  const requested = options.provider ?? 'cpu';
  if (!NODE_PROVIDERS.includes(requested)) {
    throw new OnnxError('INVALID_OPTION', `provider ${describeValue(requested)} is not one of ${NODE_PROVIDERS.join(', ')}`);
  }
  const level = checkOptimizationLevel(options.graphOptimizationLevel);
  const bytes = await readModelBytes(model);
  const ort = await loadOnnxruntimeNode();
  const sessionOptions = (provider: NodeProvider): InferenceSession.SessionOptions => ({
    executionProviders: [provider],
    graphOptimizationLevel: level,
    ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
  });
  try {
    const session = await ort.InferenceSession.create(bytes, sessionOptions(requested));
    return wrapSession(ort, session, bytes, { provider: requested, requestedProvider: requested });
  } catch (e) {
    if (e instanceof OnnxError) throw e;
    const reason = firstLine(e);
    if (requested === 'cpu') {
      throw new OnnxError('INVALID_FILE', `onnxruntime could not load the model on cpu: ${reason}`, { cause: e });
    }
    const providers = await listNodeProviders();
    const available = providers.filter((p) => p.installed && p.name !== requested).map((p) => p.name);
    if (!options.fallback) {
      const list = providers.map((p) => `${p.name} (${p.note})`).join('; ');
      throw new OnnxError(
        'PROVIDER_UNAVAILABLE',
        `execution provider '${requested}' is unavailable: ${reason}. Providers of this onnxruntime-node: ${list}. ` +
          `Use provider 'cpu', or fallback: true to fall back to it.`,
        { provider: requested, available, cause: e },
      );
    }
    const session = await ort.InferenceSession.create(bytes, sessionOptions('cpu'));
    return wrapSession(ort, session, bytes, {
      provider: 'cpu',
      requestedProvider: requested,
      fallbackReason: `'${requested}' unavailable: ${reason}`,
    });
  }
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const line = msg.split('\n').find((l) => l.trim() !== '') ?? msg;
  return line.length > 400 ? `${line.slice(0, 400)}...` : line;
}

/** Writes bytes atomically (temp file in the same directory, then rename). */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** What `exportCheckpoint` needs from @ihc/model. */
interface ModelPeer {
  loadCheckpoint(dir: string): Promise<{ config: ModelConfig; weights: WeightRecord }> | { config: ModelConfig; weights: WeightRecord };
}

export interface ExportCheckpointOptions extends ExportOptions {
  /** Also write the model here (atomically). */
  out?: string;
}

/**
 * Loads a checkpoint directory with @ihc/model's `loadCheckpoint` (optional peer, imported
 * on demand) and exports it; writes `options.out` when given. Returns the ONNX bytes.
 */
export async function exportCheckpoint(dir: string, options: ExportCheckpointOptions = {}): Promise<Uint8Array> {
  let peer: ModelPeer;
  try {
    peer = (await import('@ihc/model')) as unknown as ModelPeer;
  } catch (e) {
    throw new OnnxError('PEER_MISSING', `exportCheckpoint needs the optional peer @ihc/model: npm install @ihc/model (${String(e)})`, {
      cause: e,
    });
  }
  if (typeof peer.loadCheckpoint !== 'function') {
    throw new OnnxError('PEER_MISSING', 'the installed @ihc/model has no loadCheckpoint; install a version that matches @ihc/onnx');
  }
  const { out, ...exportOptions } = options;
  const checkpoint = await peer.loadCheckpoint(dir);
  const model: ExportableModel = { config: checkpoint.config, weights: checkpoint.weights };
  const bytes = exportOnnx(model, exportOptions);
  if (out) await writeFileAtomic(out, bytes);
  return bytes;
}
