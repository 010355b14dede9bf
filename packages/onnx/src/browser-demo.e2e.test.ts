// End to end: the demo page (examples/browser) in Debian's Chromium, driven by
// playwright-core, on onnxruntime-web's wasm build and on its WebGPU build (SwiftShader
// Vulkan, no GPU needed). The page's logits, probabilities and attention must equal
// onnxruntime-node's CPU results within 1e-4. Skipped, with the reason printed, when
// /usr/bin/chromium is absent. Needs the built web entry (dist/web.js; `npx tsup`).
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startExampleServer } from '../../../test-support/example-server';
import { exportOnnx } from './export';
import { createNodeSession } from './node';
import { maxAbsDiff, tinyConfig, tinyModel } from './test-helpers';

const CHROMIUM = process.env.IHC_CHROMIUM ?? '/usr/bin/chromium';
const pkgDir = resolve(__dirname, '..');
const repo = resolve(pkgDir, '..', '..');
const TOL = 1e-4;
const VOCAB = [...'abcdefghijklmnopqrstuvwxyz', '&'];
const SEQUENCE = 'xy&kqwertyuiopzxcvbnmlhgfdsa&';

const haveChromium = existsSync(CHROMIUM);
// Debian's chromium ships SwiftShader (a CPU Vulkan) that WebGPU can run on.
const swiftShader = ['/usr/lib/chromium/libvk_swiftshader.so', '/usr/lib/chromium-browser/libvk_swiftshader.so'].some((p) => existsSync(p));
if (!haveChromium) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED browser demo e2e: ${CHROMIUM} not found (apt-get install chromium, or set IHC_CHROMIUM)`);
} else if (!swiftShader) {
  // eslint-disable-next-line no-console
  console.warn('SKIPPED browser demo e2e on WebGPU: Chromium has no SwiftShader Vulkan (libvk_swiftshader.so)');
}

const BASE_ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const GPU_ARGS: Record<'wasm' | 'webgpu', string[]> = {
  wasm: ['--disable-gpu'],
  webgpu: ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-angle=swiftshader', '--disable-vulkan-surface'],
};

interface PageResult {
  text: string;
  ids: number[];
  provider: string;
  logits: number[];
  probs: number[];
  attention: number[][];
  shapes: { logits: number[]; attention: number[] };
}

function distIsFresh(): string | undefined {
  const web = join(pkgDir, 'dist', 'web.js');
  if (!existsSync(web)) return 'packages/onnx/dist/web.js is missing: run `npx tsup` in packages/onnx (turbo builds before testing)';
  const built = statSync(web).mtimeMs;
  const stale = readdirSync(join(pkgDir, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && statSync(join(pkgDir, 'src', f)).mtimeMs > built);
  return stale.length > 0 ? `dist/ is older than src/${stale[0]}: run \`npx tsup\` in packages/onnx` : undefined;
}

let server: ChildProcess | undefined;
let url = '';
let dir = '';
let bytes: Uint8Array;
let reference: { logits: Float32Array; attention: Float32Array[]; ids: number[] };

const describeIf = haveChromium ? describe : describe.skip;

describeIf('browser demo (examples/browser) in Chromium', () => {
  beforeAll(async () => {
    const stale = distIsFresh();
    if (stale) throw new Error(stale);
    const config = tinyConfig({ vocabSize: 27, maxSeqLength: 29, embedSize: 32, numHeads: 4, precision: '1bit', softmax: 'off-by-one' });
    bytes = exportOnnx(tinyModel(config, 21), { metadata: { 'ihc.vocabulary': JSON.stringify(VOCAB), 'ihc.demo.label': 'e2e test model' } });
    dir = mkdtempSync(join(tmpdir(), 'ihc-onnx-e2e-'));
    const modelPath = join(dir, 'model.onnx');
    writeFileSync(modelPath, bytes);
    const ids = [...SEQUENCE].map((c) => VOCAB.indexOf(c));
    const session = await createNodeSession(bytes);
    const r = await session.run([ids]);
    reference = { logits: r.logits, attention: r.attention, ids };
    await session.release();

    ({ url, server } = await startExampleServer(join(repo, 'examples', 'browser', 'serve.mjs'), ['--model', modelPath]));
  });

  afterAll(() => {
    server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const providers = (['wasm', 'webgpu'] as const).filter((p) => p === 'wasm' || swiftShader);
  test.each(providers)('on %s the page shows the same numbers as onnxruntime-node (1e-4)', async (provider) => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...BASE_ARGS, ...GPU_ARGS[provider]] });
    const errors: string[] = [];
    try {
      const page = await browser.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${url}?provider=${provider}`);
      const ready = await page.evaluate(() => (window as unknown as { ihcDemo: { ready: Promise<boolean> } }).ihcDemo.ready);
      const error = await page.evaluate(() => (window as unknown as { ihcDemo: { error?: string } }).ihcDemo.error);
      expect({ ready, error }).toEqual({ ready: true, error: undefined });
      expect(await page.getAttribute('#provider', 'data-provider')).toBe(provider);
      expect(await page.textContent('#model-label')).toBe('e2e test model');

      // Type the sequence and press Predict, as a person would.
      await page.fill('#sequence', SEQUENCE);
      await page.click('#run');
      await page.waitForFunction((s) => (window as unknown as { ihcDemo: { last?: { text: string } } }).ihcDemo.last?.text === s, SEQUENCE);
      const last = await page.evaluate(() => (window as unknown as { ihcDemo: { last: unknown } }).ihcDemo.last) as PageResult;

      expect(last.provider).toBe(provider);
      expect(last.ids).toEqual(reference.ids);
      expect(last.shapes).toEqual({ logits: [1, 29, 27], attention: [1, 4, 29, 29] });
      const logitDiff = maxAbsDiff(last.logits, reference.logits);
      const attnDiff = Math.max(...last.attention.map((a, i) => maxAbsDiff(a, reference.attention[i])));
      const v = 27;
      const lastRow = Array.from(reference.logits.subarray(28 * v, 29 * v));
      const m = Math.max(...lastRow);
      const e = lastRow.map((x) => Math.exp(x - m));
      const probs = e.map((x) => x / e.reduce((a, b) => a + b, 0));
      const probDiff = maxAbsDiff(last.probs, probs);
      // eslint-disable-next-line no-console
      console.log(`browser ${provider}: max |diff| logits ${logitDiff.toExponential(1)}, probabilities ${probDiff.toExponential(1)}, attention ${attnDiff.toExponential(1)}`);
      expect(logitDiff).toBeLessThanOrEqual(TOL);
      expect(probDiff).toBeLessThanOrEqual(TOL);
      expect(attnDiff).toBeLessThanOrEqual(TOL);

      // What the page shows: the arg-max token, top-5 rows, one heatmap per layer x head.
      const top = probs.indexOf(Math.max(...probs));
      expect(await page.textContent('#top-token')).toBe(VOCAB[top]);
      const rows = await page.$$eval('#topk tbody tr', (trs) => trs.map((tr) => [(tr as HTMLElement).dataset.token, Number((tr as HTMLElement).dataset.probability)]));
      expect(rows).toHaveLength(5);
      expect(rows[0][0]).toBe(VOCAB[top]);
      expect(Math.abs((rows[0][1] as number) - probs[top])).toBeLessThanOrEqual(TOL);
      expect(await page.locator('#heatmaps figure').count()).toBe(2 * 4);
      expect(await page.locator('#heatmaps figure rect').count()).toBe(2 * 4 * 29 * 29);

      // Unknown symbols are refused with a message; the guard against disabled optimisation holds in the browser.
      await page.fill('#sequence', 'ab?');
      await page.click('#run');
      await page.waitForFunction(() => document.getElementById('input-error')?.textContent !== '');
      expect(await page.textContent('#input-error')).toMatch(/unknown symbol "\?"/);
      // (A string, so that jest's transform leaves the dynamic import alone.)
      const refused = await page.evaluate(
        `import('@ihc/onnx/web').then((web) => web.createWebSession('/model.onnx', { provider: '${provider}', graphOptimizationLevel: 'disabled' }))` +
          `.then(() => 'created', (err) => err.code)`,
      );
      expect(refused).toBe('INVALID_OPTION');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
