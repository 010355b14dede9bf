// A minimal protocol-buffers wire-format writer and reader: just what encoding an ONNX
// ModelProto (and reading its metadata back) needs. Messages are plain Uint8Arrays;
// a message is the concatenation of its encoded fields.

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** Concatenate byte chunks. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Base-128 varint of an integer. Negative numbers are written as 64-bit two's
 * complement (10 bytes), as protobuf does for int64 / int32 fields.
 */
export function encodeVarint(value: number | bigint): Uint8Array {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new RangeError(`varint needs a safe integer; got ${value}`);
  }
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v !== 0n);
  return Uint8Array.from(bytes);
}

function key(field: number, wire: number): Uint8Array {
  return encodeVarint(field * 8 + wire);
}

/** A varint field (int32, int64, uint64, enum, bool). */
export function varintField(field: number, value: number | bigint): Uint8Array {
  return concatBytes([key(field, WIRE_VARINT), encodeVarint(value)]);
}

/** One field per value (unpacked repeated varints, the proto2 default). */
export function repeatedVarintField(field: number, values: readonly (number | bigint)[]): Uint8Array {
  return concatBytes(values.map((v) => varintField(field, v)));
}

/** A length-delimited field (bytes or an embedded message). */
export function bytesField(field: number, bytes: Uint8Array): Uint8Array {
  return concatBytes([key(field, WIRE_BYTES), encodeVarint(bytes.length), bytes]);
}

/** A UTF-8 string field. */
export function stringField(field: number, value: string): Uint8Array {
  return bytesField(field, textEncoder.encode(value));
}

/** An embedded message made of the given (already encoded) fields. */
export function messageField(field: number, fields: readonly Uint8Array[]): Uint8Array {
  return bytesField(field, concatBytes(fields));
}

/** A 32-bit float field (wire type 5, little-endian). */
export function floatField(field: number, value: number): Uint8Array {
  const body = new Uint8Array(4);
  new DataView(body.buffer).setFloat32(0, value, true);
  return concatBytes([key(field, WIRE_FIXED32), body]);
}

/** One decoded field: varints as bigint, length-delimited values as bytes. */
export interface DecodedField {
  field: number;
  wire: number;
  varint?: bigint;
  bytes?: Uint8Array;
}

function readVarint(buf: Uint8Array, start: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  let i = start;
  for (;;) {
    if (i >= buf.length) throw new RangeError(`truncated varint at byte ${start}`);
    const byte = buf[i++];
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
    shift += 7n;
    if (shift > 63n) throw new RangeError(`varint longer than 10 bytes at byte ${start}`);
  }
  return { value, next: i };
}

/** Decode the top-level fields of one message (nested messages stay as bytes). */
export function decodeFields(buf: Uint8Array): DecodedField[] {
  const fields: DecodedField[] = [];
  let i = 0;
  while (i < buf.length) {
    const k = readVarint(buf, i);
    i = k.next;
    const field = Number(k.value >> 3n);
    const wire = Number(k.value & 7n);
    if (wire === WIRE_VARINT) {
      const v = readVarint(buf, i);
      i = v.next;
      fields.push({ field, wire, varint: v.value });
    } else if (wire === WIRE_BYTES) {
      const len = readVarint(buf, i);
      const end = len.next + Number(len.value);
      if (end > buf.length) throw new RangeError(`field ${field} runs past the end of its message`);
      fields.push({ field, wire, bytes: buf.subarray(len.next, end) });
      i = end;
    } else if (wire === WIRE_FIXED32 || wire === WIRE_FIXED64) {
      const size = wire === WIRE_FIXED32 ? 4 : 8;
      if (i + size > buf.length) throw new RangeError(`field ${field} runs past the end of its message`);
      fields.push({ field, wire, bytes: buf.subarray(i, i + size) });
      i += size;
    } else {
      throw new RangeError(`unsupported wire type ${wire} (field ${field})`);
    }
  }
  return fields;
}

/** UTF-8 decode. */
export function bytesToString(bytes: Uint8Array): string {
  return textDecoder.decode(bytes);
}
