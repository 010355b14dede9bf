import { readNpy } from './npy';

function npy(descr: string, shape: number[], body: Uint8Array): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header = header + ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(body, 10 + header.length);
  return out;
}

describe('readNpy', () => {
  it('reads float32 arrays with their shape', () => {
    const body = new Uint8Array(new Float32Array([0.5, 0.25, 1, 0]).buffer);
    const a = readNpy(npy('<f4', [2, 2], body));
    expect(a.shape).toEqual([2, 2]);
    expect(Array.from(a.data)).toEqual([0.5, 0.25, 1, 0]);
  });
  it('reads int64 token ids', () => {
    const body = new Uint8Array(new BigInt64Array([3n, 26n]).buffer);
    expect(Array.from(readNpy(npy('<i8', [2], body)).data)).toEqual([3, 26]);
  });
  it('rejects bad magic, unknown dtypes and truncation', () => {
    expect(() => readNpy(new Uint8Array(20), 'x.npy')).toThrow('x.npy: not a .npy file (bad magic)');
    expect(() => readNpy(npy('>f4', [1], new Uint8Array(4)))).toThrow(/unsupported dtype '>f4'/);
    expect(() => readNpy(npy('<f4', [4], new Uint8Array(8)))).toThrow(/truncated/);
  });
});
