import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  SafetensorsError,
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  writeSafetensors,
} from './safetensors';

function errorOf(fn: () => unknown): SafetensorsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SafetensorsError);
    return e as SafetensorsError;
  }
  throw new Error('expected a SafetensorsError');
}

/** Hand-built file: 8-byte LE length, JSON header padded with spaces, data. */
function handBuilt(header: string, data: Uint8Array): Uint8Array {
  const pad = (8 - (header.length % 8)) % 8;
  const h = header + ' '.repeat(pad);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(Buffer.from(h, 'latin1'), 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('safetensors', () => {
  it('writes the reference layout byte for byte', () => {
    const bytes = encodeSafetensors({ a: { shape: [2], data: Float32Array.from([1, 2]) } });
    const header = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    expect(Buffer.from(bytes).equals(Buffer.from(handBuilt(header, new Uint8Array(Float32Array.from([1, 2]).buffer))))).toBe(true);
    expect((8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))) % 8).toBe(0);
  });

  it('round-trips F32 and I32 tensors, scalars, empty tensors and metadata', () => {
    const tensors = {
      'w.kernel': { shape: [2, 3], data: Float32Array.from([0.5, -1, 3e-8, Infinity, -0, 7]) },
      ids: { shape: [3], data: Int32Array.from([1, -2, 2147483647]) },
      s: { shape: [], data: Float32Array.from([42]) },
      e: { shape: [0, 4], data: new Float32Array(0) },
    };
    const out = decodeSafetensors(encodeSafetensors(tensors, { format: 'x', step: '3' }));
    expect(out.metadata).toEqual({ format: 'x', step: '3' });
    expect(Object.keys(out.tensors).sort()).toEqual(['e', 'ids', 's', 'w.kernel']);
    expect(out.tensors['w.kernel']).toEqual({ dtype: 'F32', shape: [2, 3], data: tensors['w.kernel'].data });
    expect(Object.is(out.tensors['w.kernel'].data[4], -0)).toBe(true);
    expect(out.tensors.ids).toEqual({ dtype: 'I32', shape: [3], data: tensors.ids.data });
    expect(out.tensors.s.shape).toEqual([]);
    expect(out.tensors.e.data.length).toBe(0);
  });

  it('reads files written in the reference order (offsets not sorted by name)', () => {
    const data = new Uint8Array(Float32Array.from([9, 1, 2]).buffer);
    const header = '{"__metadata__":{"k":"v"},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}';
    const out = decodeSafetensors(handBuilt(header, data));
    expect(Array.from(out.tensors.a.data)).toEqual([9]);
    expect(Array.from(out.tensors.b.data)).toEqual([1, 2]);
  });

  it('rejects truncated files, bad headers and bad offsets with typed errors', () => {
    const good = encodeSafetensors({ a: { shape: [4], data: new Float32Array(4) } });
    expect(errorOf(() => decodeSafetensors(good.subarray(0, 5))).code).toBe('TRUNCATED');
    expect(errorOf(() => decodeSafetensors(good.subarray(0, 20))).code).toBe('TRUNCATED');
    expect(errorOf(() => decodeSafetensors(good.subarray(0, good.length - 1))).code).toBe('TRUNCATED');
    const data = new Uint8Array(8);
    expect(errorOf(() => decodeSafetensors(handBuilt('{"a":', data))).code).toBe('BAD_HEADER');
    expect(errorOf(() => decodeSafetensors(handBuilt('[1,2]', data))).code).toBe('BAD_HEADER');
    expect(errorOf(() => decodeSafetensors(handBuilt('{"a":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}', data))).code).toBe('BAD_DTYPE');
    expect(errorOf(() => decodeSafetensors(handBuilt('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', data))).code).toBe('BAD_SHAPE');
    expect(errorOf(() => decodeSafetensors(handBuilt('{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}', data))).code).toBe('BAD_OFFSETS');
    const overlap = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    expect(errorOf(() => decodeSafetensors(handBuilt(overlap, data))).code).toBe('BAD_OFFSETS');
    const hole = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    expect(errorOf(() => decodeSafetensors(handBuilt(hole, data))).code).toBe('BAD_OFFSETS');
    const far = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[4000,4004]}}';
    expect(errorOf(() => decodeSafetensors(handBuilt(far, data))).code).toBe('BAD_OFFSETS');
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
    expect(errorOf(() => decodeSafetensors(huge)).code).toBe('BAD_HEADER');
    expect(errorOf(() => decodeSafetensors(handBuilt('{"__metadata__":{"k":1}}', new Uint8Array(0)))).code).toBe('BAD_HEADER');
  });

  it('refuses inconsistent input when writing', () => {
    expect(errorOf(() => encodeSafetensors({ a: { shape: [3], data: new Float32Array(2) } })).code).toBe('BAD_SHAPE');
    expect(errorOf(() => encodeSafetensors({ a: { dtype: 'I32', shape: [2], data: new Float32Array(2) } })).code).toBe('BAD_DTYPE');
  });

  it('writes files atomically and reads them back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ihc-st-'));
    try {
      const file = path.join(dir, 'sub', 'w.safetensors');
      writeSafetensors(file, { a: { shape: [1], data: Float32Array.from([3]) } });
      writeSafetensors(file, { a: { shape: [1], data: Float32Array.from([4]) } });
      expect(Array.from(readSafetensors(file).tensors.a.data)).toEqual([4]);
      expect(fs.readdirSync(path.dirname(file))).toEqual(['w.safetensors']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
