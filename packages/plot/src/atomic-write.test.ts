import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write';

describe('writeFileAtomic', () => {
  it('creates directories, replaces the file and leaves no temp files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihc-atomic-'));
    const file = join(dir, 'a', 'b.txt');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, new Uint8Array([116, 119, 111]));
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readdirSync(join(dir, 'a'))).toEqual(['b.txt']);
  });

  it('fails without leaving a temp file when the target is a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihc-atomic-'));
    await expect(writeFileAtomic(dir, 'x')).rejects.toThrow();
    const parent = join(dir, '..');
    expect(readdirSync(parent).filter((f) => f.endsWith('.tmp') && f.includes(dir.split('/').at(-1) as string))).toEqual([]);
  });
});
