// Test-only helpers for the webgpu tests (not exported from the package).
import * as fs from 'node:fs';
import { selectBackend } from './backend';
import { SWIFTSHADER_ICD_PATHS } from './webgpu-node';

/** Outcome of trying to start webgpu for a test file. */
export type WebgpuAvailability = { ok: true; detail: string } | { ok: false; reason: string };

/**
 * Without `VK_ICD_FILENAMES` set, point the Vulkan loader at SwiftShader when its ICD is
 * installed (CI installs chromium, which ships it) so that Dawn finds a software
 * adapter. Done on import, before any test can create a Dawn instance (an instance made
 * earlier would never see the ICD). Tests see a copy of process.env; the Vulkan loader
 * reads the real one (`__setNativeEnv`, jest.environment.cjs).
 */
function useSwiftShaderIfInstalled(): void {
  if (process.env.VK_ICD_FILENAMES) return;
  const icd = SWIFTSHADER_ICD_PATHS.find((p) => fs.existsSync(p));
  if (!icd) return;
  process.env.VK_ICD_FILENAMES = icd;
  (globalThis as { __setNativeEnv?: (k: string, v: string) => void }).__setNativeEnv?.('VK_ICD_FILENAMES', icd);
}
useSwiftShaderIfInstalled();

let cached: Promise<WebgpuAvailability> | undefined;

/**
 * Start the webgpu backend (once per test file; later calls make it current again).
 * Never throws: `{ ok: false, reason }` when there is no adapter or package.
 */
export async function startWebgpuForTest(): Promise<WebgpuAvailability> {
  cached ??= (async (): Promise<WebgpuAvailability> => {
    try {
      const chosen = await selectBackend({ backend: 'webgpu', env: {} });
      return { ok: true, detail: chosen.detail };
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
  })();
  const result = await cached;
  if (result.ok) await selectBackend({ backend: 'webgpu', env: {} });
  return result;
}

/** Print why a webgpu test does nothing here (jest has no run-time skip). */
export function reportSkip(testName: string, reason: string): void {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED ${testName}: no webgpu adapter here (${reason})`);
}

/** max |a - b| over two arrays of equal length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
