import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, TINY } from './test-helpers';

// Before @ihc/native is first imported in this file's module registry: its addon "is missing".
process.env.IHC_NATIVE_ADDON = '/nonexistent/ihc_native.node';

describe('--backend native without the addon', () => {
  it('exits 2 with one line saying why and how to build it', async () => {
    const args = [...TINY.filter((a, i) => a !== 'wasm' && TINY[i + 1] !== 'wasm'), '--backend', 'native'];
    const r = await runCli(['train', ...args], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('ihc train: backend native is unavailable: /nonexistent/ihc_native.node is missing');
    expect(r.stderr).toContain('npm run build -w @ihc/native');
  });

  it('auto falls back to the TF.js backends', async () => {
    const args = TINY.filter((a, i) => a !== 'wasm' && TINY[i + 1] !== 'wasm');
    const cwd = tempDir();
    const r = await runCli(['train', ...args, '--out', 'run'], cwd);
    expect(r.code).toBe(0);
    const config = JSON.parse(readFileSync(join(cwd, 'run', 'config.json'), 'utf8'));
    expect(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']).toContain(config.backend);
  });
});
