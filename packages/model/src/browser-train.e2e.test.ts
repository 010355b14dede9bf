// End to end: the "train in your browser" page (examples/browser-train) in Debian's
// Chromium, driven by playwright-core. The page loads @ihc/model's browser bundle
// (dist/browser.js; `npx tsup` builds it, turbo builds before testing) and trains in the
// page:
// - 'auto' without WebGPU falls back to WebGL (Chromium's software GL here), and 200
//   steps of a small model form an induction head: the loss falls, held-out copy
//   accuracy and the best layer-2 head's attention on the token to copy rise, no tensor
//   is left behind;
// - 'wasm' asked for explicitly trains too (a few steps);
// - 'auto' with WebGPU on (SwiftShader's Vulkan: a CPU emulation, so only a few steps)
//   picks webgpu and the loss falls.
// Skipped, with the reason printed, when /usr/bin/chromium (or $IHC_CHROMIUM) is absent;
// the WebGPU case also when Chromium ships no SwiftShader.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startExampleServer } from '../../../test-support/example-server';

const CHROMIUM = process.env.IHC_CHROMIUM ?? '/usr/bin/chromium';
const pkgDir = resolve(__dirname, '..');
const repo = resolve(pkgDir, '..', '..');

const haveChromium = existsSync(CHROMIUM);
const swiftShader = ['/usr/lib/chromium/libvk_swiftshader.so', '/usr/lib/chromium-browser/libvk_swiftshader.so'].some((p) => existsSync(p));
if (!haveChromium) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED browser-train e2e: ${CHROMIUM} not found (apt-get install chromium, or set IHC_CHROMIUM)`);
} else if (!swiftShader) {
  // eslint-disable-next-line no-console
  console.warn('SKIPPED browser-train e2e on WebGPU: Chromium has no SwiftShader Vulkan (libvk_swiftshader.so)');
}

// as root: no sandbox; nothing phones home
const BASE_ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const GPU_ARGS = {
  off: ['--disable-gpu'],
  webgpu: ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-angle=swiftshader', '--disable-vulkan-surface'],
};

interface Summary {
  status: string;
  backend: string;
  steps: number;
  firstLoss: number;
  lastLoss: number;
  heldOutAccuracy: number;
  numTensors: number;
}
interface PageState {
  backend: string;
  detail: string;
  error?: string;
  history: { step: number; loss: number; acc: number }[];
  evals: { step: number; accuracy: number; scores: number[][] }[];
}

function staleBundle(): string | undefined {
  const bundle = join(pkgDir, 'dist', 'browser.js');
  if (!existsSync(bundle)) return 'packages/model/dist/browser.js is missing: run `npx tsup` in packages/model (turbo builds before testing)';
  const built = statSync(bundle).mtimeMs;
  const src = join(pkgDir, 'src');
  const stale = readdirSync(src).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('test-setup.ts') && statSync(join(src, f)).mtimeMs > built,
  );
  return stale.length > 0 ? `dist/browser.js is older than src/${stale[0]}: run \`npx tsup\` in packages/model` : undefined;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

let server: ChildProcess | undefined;
let url = '';
const profiles: string[] = [];

async function trainInPage(gpu: keyof typeof GPU_ARGS, params: string): Promise<{ summary: Summary; page: PageState; figures: number; errors: string[] }> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'ihc-browser-train-'));
  profiles.push(profile);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...BASE_ARGS, ...GPU_ARGS[gpu]],
  });
  const errors: string[] = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}?${params}`);
    type W = { ihcTrain: { ready: Promise<void>; done: Promise<Summary>; error?: string } };
    await page.evaluate(() => (window as unknown as W).ihcTrain.ready);
    const summary = await page.evaluate(() => (window as unknown as W).ihcTrain.done);
    const state = (await page.evaluate(() => {
      const s = (window as unknown as { ihcTrain: PageState }).ihcTrain;
      return { backend: s.backend, detail: s.detail, error: s.error, history: s.history, evals: s.evals };
    })) as PageState;
    const figures = await page.locator('#heatmaps figure').count();
    expect(await page.getAttribute('#backend', 'data-backend')).toBe(summary.backend);
    return { summary, page: state, figures, errors };
  } finally {
    await context.close();
  }
}

const describeIf = haveChromium ? describe : describe.skip;

describeIf('train in your browser (examples/browser-train) in Chromium', () => {
  beforeAll(async () => {
    const stale = staleBundle();
    if (stale) throw new Error(stale);
    ({ url, server } = await startExampleServer(join(repo, 'examples', 'browser-train', 'serve.mjs')));
  });

  afterAll(() => {
    server?.kill();
    for (const p of profiles) rmSync(p, { recursive: true, force: true });
  });

  it('without WebGPU, auto falls back to WebGL and an induction head forms', async () => {
    const { summary, page, figures, errors } = await trainInPage(
      'off',
      'backend=auto&precision=fp&embed=32&heads=2&steps=200&batch=32&seq=12&lr=0.005&viz=50&evaln=64',
    );
    // eslint-disable-next-line no-console
    console.log(
      `browser auto without WebGPU: ${page.detail}; loss ${summary.firstLoss.toFixed(3)} -> ${summary.lastLoss.toFixed(3)}, held-out copy accuracy ` +
        `${page.evals.map((e) => `${e.step}:${e.accuracy.toFixed(2)}`).join(' ')}, best layer-2 head on the token to copy ` +
        `${page.evals.map((e) => Math.max(...e.scores[1]).toFixed(2)).join(' ')}`,
    );
    expect(errors).toEqual([]);
    expect(page.error).toBeUndefined();
    expect(summary).toMatchObject({ status: 'completed', backend: 'webgl', steps: 200, numTensors: 0 });
    expect(page.detail).toMatch(/^webgl \(WebGL \d\).*skipped webgpu: /); // why not WebGPU, said in the page
    expect(page.history).toHaveLength(200);
    expect(mean(page.history.slice(-10).map((s) => s.loss))).toBeLessThan(page.history[0].loss - 0.8);
    const [first, last] = [page.evals[0], page.evals.at(-1)!];
    expect(page.evals.map((e) => e.step)).toEqual([0, 50, 100, 150, 200]);
    expect(last.accuracy).toBeGreaterThan(first.accuracy + 0.3);
    expect(Math.max(...last.scores[1])).toBeGreaterThan(Math.max(...first.scores[1]) + 0.2);
    expect(figures).toBe(2);
  });

  it('wasm, asked for explicitly, trains and the loss falls', async () => {
    const { summary, page, errors } = await trainInPage(
      'off',
      'backend=wasm&precision=1bit&embed=16&heads=2&steps=8&batch=16&seq=10&lr=0.02&viz=4&evaln=16&vocab=abcd',
    );
    const losses = page.history.map((s) => s.loss);
    expect(errors).toEqual([]);
    expect(page.error).toBeUndefined();
    expect(summary).toMatchObject({ status: 'completed', backend: 'wasm', steps: 8, numTensors: 0 });
    expect(page.detail).toMatch(/^wasm \(/);
    expect(mean(losses.slice(-3))).toBeLessThan(losses[0] - 0.05);
  });

  // skipped only where Chromium ships no SwiftShader Vulkan ICD (no WebGPU adapter at all)
  (swiftShader ? it : it.skip)('with WebGPU on, auto picks webgpu and the loss falls', async () => {
    // 4 letters + '&': the first thing learnt (never predict '&') shows within a few steps
    const { summary, page, figures, errors } = await trainInPage(
      'webgpu',
      'backend=auto&precision=1bit&embed=16&heads=2&steps=8&batch=16&seq=10&lr=0.02&viz=4&evaln=16&vocab=abcd',
    );
    const losses = page.history.map((s) => s.loss);
    // eslint-disable-next-line no-console
    console.log(`browser webgpu: ${page.detail}; losses ${losses.map((l) => l.toFixed(3)).join(' ')}`);
    expect(errors).toEqual([]);
    expect(page.error).toBeUndefined();
    expect(summary).toMatchObject({ status: 'completed', backend: 'webgpu', steps: 8, numTensors: 0 });
    expect(page.detail).toMatch(/^webgpu \(/);
    expect(losses).toHaveLength(8);
    expect(mean(losses.slice(-3))).toBeLessThan(losses[0] - 0.05);
    expect(figures).toBe(2);
  });
});
