/**
 * The safetensors file format (https://github.com/huggingface/safetensors), written and
 * read without dependencies, for F32 and I32 tensors:
 *
 * - bytes 0..7: N, the header length, unsigned 64-bit little-endian;
 * - bytes 8..8+N-1: a UTF-8 JSON object `{ name: { dtype, shape, data_offsets: [begin, end] },
 *   "__metadata__"?: { key: string } }`, padded with spaces so that 8 + N is a multiple
 *   of 8;
 * - the data buffer: every tensor's little-endian, row-major bytes, `data_offsets`
 *   relative to the buffer's start. Tensors are written sorted by name, contiguously.
 *
 * Reading validates everything (like the reference implementation): a truncated file,
 * a header that is not such a JSON object, an unknown dtype, a shape whose size does not
 * match its byte range, offsets outside the buffer, overlapping or leaving holes, throw
 * `SafetensorsError`.
 */
import * as fs from 'node:fs';
import { ModelError } from './errors';
import { writeFileAtomicSync } from './atomic-write';

export type SafetensorsErrorCode =
  | 'TRUNCATED'
  | 'BAD_HEADER'
  | 'BAD_DTYPE'
  | 'BAD_SHAPE'
  | 'BAD_OFFSETS'
  | 'BAD_TENSOR';

/** A safetensors buffer or file cannot be written or read. */
export class SafetensorsError extends ModelError {
  override readonly code: SafetensorsErrorCode;
  constructor(code: SafetensorsErrorCode, message: string) {
    super(code, message);
    this.name = 'SafetensorsError';
    this.code = code;
  }
}

/** Element types supported here. */
export type SafetensorsDtype = 'F32' | 'I32';
export const SAFETENSORS_DTYPES: readonly SafetensorsDtype[] = ['F32', 'I32'];

/** One tensor: dtype, shape and row-major data. */
export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

/** Input tensor for writing; `dtype` defaults to F32 for Float32Array and I32 for Int32Array. */
export interface SafetensorsInput {
  dtype?: SafetensorsDtype;
  shape: readonly number[];
  data: Float32Array | Int32Array;
}

/** Decoded file contents. */
export interface SafetensorsContents {
  tensors: Record<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

/** Largest accepted header (the reference implementation's limit): 100 MB. */
export const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function validShape(shape: unknown): shape is number[] {
  return (
    Array.isArray(shape) &&
    shape.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0)
  );
}

/** Serialise tensors (and optional string metadata) to safetensors bytes. */
export function encodeSafetensors(
  tensors: Record<string, SafetensorsInput>,
  metadata?: Record<string, string>,
): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') {
        throw new SafetensorsError('BAD_HEADER', `Metadata value of ${JSON.stringify(k)} must be a string; got ${typeof v}.`);
      }
    }
    header[METADATA_KEY] = { ...metadata };
  }
  let offset = 0;
  for (const name of names) {
    if (name === METADATA_KEY) {
      throw new SafetensorsError('BAD_TENSOR', `A tensor cannot be named ${METADATA_KEY}.`);
    }
    const t = tensors[name];
    const dtype: SafetensorsDtype = t.dtype ?? (t.data instanceof Int32Array ? 'I32' : 'F32');
    if (!SAFETENSORS_DTYPES.includes(dtype)) {
      throw new SafetensorsError('BAD_DTYPE', `Tensor ${name} has dtype ${String(dtype)}; valid dtypes: ${SAFETENSORS_DTYPES.join(', ')}.`);
    }
    if ((dtype === 'F32') !== t.data instanceof Float32Array || (dtype === 'I32') !== t.data instanceof Int32Array) {
      throw new SafetensorsError('BAD_DTYPE', `Tensor ${name} is declared ${dtype} but its data is a ${t.data.constructor.name}.`);
    }
    if (!validShape(t.shape)) {
      throw new SafetensorsError('BAD_SHAPE', `Tensor ${name} has shape ${JSON.stringify(t.shape)}; expected non-negative integers.`);
    }
    if (sizeOf(t.shape) !== t.data.length) {
      throw new SafetensorsError('BAD_SHAPE', `Tensor ${name} has shape [${t.shape.join(', ')}] (${sizeOf(t.shape)} values) but ${t.data.length} values.`);
    }
    const bytes = t.data.length * 4;
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Math.ceil((8 + json.length) / 8) * 8 - 8;
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let pos = 8 + padded;
  for (const name of names) {
    const data = tensors[name].data;
    if (LITTLE_ENDIAN) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pos);
    } else {
      for (let i = 0; i < data.length; i++) {
        if (data instanceof Float32Array) view.setFloat32(pos + 4 * i, data[i], true);
        else view.setInt32(pos + 4 * i, data[i], true);
      }
    }
    pos += data.byteLength;
  }
  return out;
}

interface HeaderEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

/** Parse and validate safetensors bytes. Data is copied out of `bytes`. */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContents {
  if (bytes.byteLength < 8) {
    throw new SafetensorsError('TRUNCATED', `Safetensors data is ${bytes.byteLength} bytes; too short for the 8-byte header length.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsError('BAD_HEADER', `Safetensors header length ${n64} exceeds the limit of ${MAX_HEADER_BYTES} bytes.`);
  }
  const n = Number(n64);
  if (8 + n > bytes.byteLength) {
    throw new SafetensorsError('TRUNCATED', `Safetensors header claims ${n} bytes but only ${bytes.byteLength - 8} follow the length field.`);
  }
  let parsed: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
    if (!text.startsWith('{')) throw new Error('the header does not start with "{"');
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SafetensorsError('BAD_HEADER', `Safetensors header is not a valid UTF-8 JSON object: ${(error as Error).message}.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SafetensorsError('BAD_HEADER', 'Safetensors header is not a JSON object.');
  }
  const dataStart = 8 + n;
  const dataLength = bytes.byteLength - dataStart;
  const metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, raw] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        throw new SafetensorsError('BAD_HEADER', `${METADATA_KEY} must be an object of strings.`);
      }
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') {
          throw new SafetensorsError('BAD_HEADER', `${METADATA_KEY}.${k} must be a string; got ${JSON.stringify(v)}.`);
        }
        metadata[k] = v;
      }
      continue;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new SafetensorsError('BAD_HEADER', `Header entry ${name} is not an object with dtype, shape, data_offsets.`);
    }
    const e = raw as Record<string, unknown>;
    if (!SAFETENSORS_DTYPES.includes(e.dtype as SafetensorsDtype)) {
      throw new SafetensorsError('BAD_DTYPE', `Tensor ${name} has dtype ${JSON.stringify(e.dtype)}; supported dtypes: ${SAFETENSORS_DTYPES.join(', ')}.`);
    }
    if (!validShape(e.shape)) {
      throw new SafetensorsError('BAD_SHAPE', `Tensor ${name} has shape ${JSON.stringify(e.shape)}; expected non-negative integers.`);
    }
    const off = e.data_offsets;
    if (
      !Array.isArray(off) ||
      off.length !== 2 ||
      !off.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0) ||
      off[0] > off[1]
    ) {
      throw new SafetensorsError('BAD_OFFSETS', `Tensor ${name} has data_offsets ${JSON.stringify(off)}; expected [begin, end] with 0 <= begin <= end.`);
    }
    const [begin, end] = off as [number, number];
    const expected = sizeOf(e.shape as number[]) * 4;
    if (end - begin !== expected) {
      throw new SafetensorsError('BAD_SHAPE', `Tensor ${name} of shape [${(e.shape as number[]).join(', ')}] needs ${expected} bytes but data_offsets span ${end - begin}.`);
    }
    entries.push({ name, dtype: e.dtype as SafetensorsDtype, shape: e.shape as number[], begin, end });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of sorted) {
    if (e.begin !== cursor) {
      throw new SafetensorsError(
        'BAD_OFFSETS',
        `Tensor ${e.name} starts at byte ${e.begin} but the previous tensor ends at ${cursor} (overlap or hole).`,
      );
    }
    cursor = e.end;
  }
  if (cursor > dataLength) {
    throw new SafetensorsError(
      'TRUNCATED',
      `Safetensors data is truncated: the header's tensors need ${cursor} bytes after the header but only ${dataLength} are present.`,
    );
  }
  if (cursor < dataLength) {
    throw new SafetensorsError('BAD_OFFSETS', `Tensors cover ${cursor} bytes but the data buffer has ${dataLength} (trailing bytes).`);
  }
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const e of entries) {
    const count = (e.end - e.begin) / 4;
    const start = dataStart + e.begin;
    let data: Float32Array | Int32Array;
    if (LITTLE_ENDIAN) {
      const copy = bytes.slice(start, start + count * 4);
      data = e.dtype === 'F32' ? new Float32Array(copy.buffer, 0, count) : new Int32Array(copy.buffer, 0, count);
    } else {
      data = e.dtype === 'F32' ? new Float32Array(count) : new Int32Array(count);
      for (let i = 0; i < count; i++) {
        data[i] = e.dtype === 'F32' ? view.getFloat32(start + 4 * i, true) : view.getInt32(start + 4 * i, true);
      }
    }
    tensors[e.name] = { dtype: e.dtype, shape: [...e.shape], data };
  }
  return { tensors, metadata };
}

/** Write a safetensors file atomically (temp file + fsync + rename); returns the bytes written. */
export function writeSafetensors(
  file: string,
  tensors: Record<string, SafetensorsInput>,
  metadata?: Record<string, string>,
): Uint8Array {
  const bytes = encodeSafetensors(tensors, metadata);
  writeFileAtomicSync(file, bytes);
  return bytes;
}

/** Read and validate a safetensors file. */
export function readSafetensors(file: string): SafetensorsContents {
  const buf = fs.readFileSync(file);
  return decodeSafetensors(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
}
