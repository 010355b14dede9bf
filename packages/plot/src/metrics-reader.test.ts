import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMetrics, readMetrics } from './metrics-reader';

const step = (s: number) => JSON.stringify({ type: 'step', step: s, epoch: 0, loss: 3 - s / 100, lr: 1e-3, copyAccuracy: 0.1, tokensPerSec: 10, seconds: s });
const evalLine = (s: number) => JSON.stringify({ type: 'eval', step: s, split: 'eval', loss: 2, copyAccuracy: 0.5, target: [0.1, 0.9], token: [0.2, 0.8] });

describe('metrics.jsonl', () => {
  it('parses step and eval lines and skips blank and unknown ones', () => {
    const records = parseMetrics([step(1), '', JSON.stringify({ type: 'note', text: 'hi' }), evalLine(2), step(3)].join('\n'));
    expect(records.map((r) => r.type)).toEqual(['step', 'eval', 'step']);
    expect(records[1]).toEqual({ type: 'eval', step: 2, split: 'eval', loss: 2, copyAccuracy: 0.5, target: [0.1, 0.9], token: [0.2, 0.8] });
    expect(records[0]).toMatchObject({ type: 'step', step: 1, loss: 2.99, lr: 1e-3 });
  });

  it('tolerates an unfinished last line but not a corrupt middle line', () => {
    expect(parseMetrics(`${step(1)}\n{"type":"st`)).toHaveLength(1);
    expect(() => parseMetrics(`${step(1)}\n{oops}\n${step(2)}`, 'run/metrics.jsonl')).toThrow(
      expect.objectContaining({ code: 'CORRUPT_FILE', message: expect.stringContaining('run/metrics.jsonl:2') }),
    );
    expect(() => parseMetrics(JSON.stringify({ type: 'step', step: 'x', loss: 1 }) + '\n')).toThrow(/numeric "step" and "loss"/);
  });

  it('reads only eval lines when asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihc-metrics-'));
    const file = join(dir, 'metrics.jsonl');
    writeFileSync(file, `${step(1)}\n${evalLine(2)}\n${step(3)}\n`);
    expect(await readMetrics(file, { types: ['eval'] })).toHaveLength(1);
    expect(await readMetrics(file)).toHaveLength(3);
    await expect(readMetrics(join(dir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
  });
});
