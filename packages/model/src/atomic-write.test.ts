import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic, writeFileAtomicSync } from './atomic-write';

describe('atomic writes', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ihc-aw-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('replaces the file and leaves no temporary files (sync and async)', async () => {
    const file = path.join(dir, 'a', 'b.json');
    writeFileAtomicSync(file, 'one');
    writeFileAtomicSync(file, Uint8Array.from([116, 119, 111]));
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    await writeFileAtomic(file, 'three');
    expect(fs.readFileSync(file, 'utf8')).toBe('three');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['b.json']);
  });

  it('keeps the old file and cleans up when the rename fails', async () => {
    const target = path.join(dir, 'target');
    fs.mkdirSync(path.join(target, 'child'), { recursive: true }); // a non-empty directory cannot be replaced by a file
    expect(() => writeFileAtomicSync(target, 'x')).toThrow();
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect(fs.readdirSync(dir)).toEqual(['target']);
    expect(fs.readdirSync(target)).toEqual(['child']);
  });
});
