// Every kind of exported model passes the official ONNX checker (full_check: strict
// shape and type inference). Needs Debian's python3-onnx at /usr/bin/python3 (CI
// installs it); reported as skipped with the reason otherwise.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportOnnx, type ExportOptions } from './export';
import type { ModelConfig } from './config';
import { tinyConfig, tinyModel } from './test-helpers';

const PYTHON = process.env.IHC_ONNX_PYTHON ?? '/usr/bin/python3';

function onnxAvailable(): { ok: boolean; reason: string } {
  const r = spawnSync(PYTHON, ['-c', 'import onnx, sys; sys.stdout.write(onnx.__version__)'], { encoding: 'utf8', timeout: 60000 });
  if (r.error) return { ok: false, reason: `${PYTHON} not runnable (${r.error.message})` };
  if (r.status !== 0) return { ok: false, reason: `${PYTHON} has no onnx module (apt-get install python3-onnx)` };
  return { ok: true, reason: `onnx ${r.stdout}` };
}

const availability = onnxAvailable();
const maybe = availability.ok ? test : test.skip;
if (!availability.ok) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED ONNX checker tests: ${availability.reason}`);
}

const CHECK_SCRIPT = `
import sys, onnx
failed = 0
for path in sys.argv[1:]:
    try:
        m = onnx.load(path)
        onnx.checker.check_model(m, full_check=True)
        assert m.ir_version == 8, m.ir_version
        assert [(o.domain, o.version) for o in m.opset_import] == [("", 17)], m.opset_import
        print("OK", path)
    except Exception as e:
        failed += 1
        print("FAIL", path, repr(e)[:500])
sys.exit(1 if failed else 0)
`;

maybe(`every exported model passes onnx.checker.check_model(full_check=True) (${availability.reason})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ihc-onnx-check-'));
  try {
    const files: string[] = [];
    const add = (name: string, config: Partial<ModelConfig>, options: ExportOptions = {}): void => {
      const path = join(dir, `${name}.onnx`);
      writeFileSync(path, exportOnnx(tinyModel(tinyConfig(config), 2), options));
      files.push(path);
    };
    for (const posEmbed of ['learnable', 'trigonometric', 'none'] as const) {
      for (const norm of ['pre', 'post', 'none'] as const) {
        for (const precision of ['fp', '1bit', '1.58bit', 'frozen-sign'] as const) {
          add(`${posEmbed}-${norm}-${precision}`, { posEmbed, norm, precision, softmax: norm === 'post' ? 'off-by-one' : 'vanilla' });
        }
      }
    }
    add('fp16-fp', {}, { fp16: true });
    add('fp16-1bit', { precision: '1bit' }, { fp16: true });
    add('unpacked-1bit', { precision: '1bit' }, { packWeights: false });
    add('unpacked-ternary-fp16', { precision: '1.58bit' }, { packWeights: false, fp16: true });
    add('per-tensor', { precision: '1bit', activationScaling: 'per-tensor' });
    add('no-act-quant', { precision: '1.58bit', activationBits: null });
    add('debug-outputs', { precision: '1bit' }, { exposeQuantizerInputs: true });
    add('padding', { precision: '1.58bit', embedSize: 10, numHeads: 2 });
    const r = spawnSync(PYTHON, ['-c', CHECK_SCRIPT, ...files], { encoding: 'utf8', timeout: 110000 });
    const failures = r.stdout.split('\n').filter((l) => l.startsWith('FAIL'));
    expect(failures).toEqual([]);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('OK'))).toHaveLength(files.length);
    expect(r.status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
