import { CliError } from './errors';

export interface NpyArray {
  shape: number[];
  data: Float32Array | Float64Array | Int32Array;
}

const DTYPES: Record<string, { bytes: number; read: (v: DataView, o: number) => number; kind: 'f32' | 'f64' | 'i32' }> = {
  '<f4': { bytes: 4, read: (v, o) => v.getFloat32(o, true), kind: 'f32' },
  '<f8': { bytes: 8, read: (v, o) => v.getFloat64(o, true), kind: 'f64' },
  '<i4': { bytes: 4, read: (v, o) => v.getInt32(o, true), kind: 'i32' },
  '<i8': { bytes: 8, read: (v, o) => Number(v.getBigInt64(o, true)), kind: 'i32' },
  '|u1': { bytes: 1, read: (v, o) => v.getUint8(o), kind: 'i32' },
  '|i1': { bytes: 1, read: (v, o) => v.getInt8(o), kind: 'i32' },
};

/** Reads a NumPy `.npy` file (format 1.0-3.0, little-endian float32/64, int8/32/64, uint8, C order). */
export function readNpy(bytes: Uint8Array, file = 'array.npy'): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) {
    throw new CliError(`${file}: not a .npy file (bad magic)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) throw new CliError(`${file}: malformed .npy header`);
  const dtype = DTYPES[descr];
  if (!dtype) throw new CliError(`${file}: unsupported dtype '${descr}'; supported: ${Object.keys(DTYPES).join(', ')}`);
  if (fortran) throw new CliError(`${file}: Fortran-order arrays are not supported; save with C order`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = headerStart + headerLen;
  if (bytes.length - offset < count * dtype.bytes) {
    throw new CliError(`${file}: truncated: header says ${count} values of ${descr}, file has ${bytes.length - offset} data bytes`);
  }
  const data = dtype.kind === 'f32' ? new Float32Array(count) : dtype.kind === 'f64' ? new Float64Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) data[i] = dtype.read(view, offset + i * dtype.bytes);
  return { shape, data };
}
