import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as modelPackage from '@ihc/model';
import { exportOnnx } from './export';
import { exportCheckpoint } from './node';
import { tinyConfig, tinyModel } from './test-helpers';

// saveCheckpoint / resolveTrainConfig / loadCheckpoint come from @ihc/model (optional peer).
const peer = modelPackage as unknown as {
  saveCheckpoint?: (dir: string, input: object) => unknown;
  resolveTrainConfig?: (input?: object) => object;
  loadCheckpoint?: unknown;
};
const ready = ['saveCheckpoint', 'resolveTrainConfig', 'loadCheckpoint'].every((k) => typeof (peer as Record<string, unknown>)[k] === 'function');
if (!ready) {
  // eslint-disable-next-line no-console
  console.warn('SKIPPED exportCheckpoint test: @ihc/model does not export saveCheckpoint / resolveTrainConfig / loadCheckpoint');
}

(ready ? test : test.skip)('exportCheckpoint loads a checkpoint with @ihc/model and exports it (same bytes as exportOnnx)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ihc-onnx-ckpt-'));
  try {
    const model = tinyModel(tinyConfig({ precision: '1bit' }), 3);
    const ckpt = join(dir, 'checkpoint');
    peer.saveCheckpoint!(ckpt, { config: model.config, train: peer.resolveTrainConfig!({ steps: 1 }), step: 1, epoch: 0, params: model.weights });
    const out = join(dir, 'model.onnx');
    const bytes = await exportCheckpoint(ckpt, { out });
    expect(Buffer.from(bytes).equals(Buffer.from(exportOnnx(model)))).toBe(true);
    expect(existsSync(out)).toBe(true);
    expect(Buffer.from(readFileSync(out)).equals(Buffer.from(bytes))).toBe(true);
    await expect(exportCheckpoint(join(dir, 'nowhere'))).rejects.toThrow();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
