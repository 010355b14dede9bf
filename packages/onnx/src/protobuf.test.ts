import { bytesField, decodeFields, encodeVarint, floatField, stringField, varintField } from './protobuf';

test('varints: small, multi-byte and negative (64-bit two\'s complement)', () => {
  expect(Array.from(encodeVarint(0))).toEqual([0]);
  expect(Array.from(encodeVarint(1))).toEqual([1]);
  expect(Array.from(encodeVarint(127))).toEqual([127]);
  expect(Array.from(encodeVarint(128))).toEqual([0x80, 0x01]);
  expect(Array.from(encodeVarint(300))).toEqual([0xac, 0x02]);
  expect(Array.from(encodeVarint(-1))).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  expect(() => encodeVarint(1.5)).toThrow(/safe integer/);
});

test('fields round-trip through decodeFields', () => {
  const msg = new Uint8Array([
    ...varintField(1, 8),
    ...stringField(2, 'héllo'),
    ...bytesField(7, new Uint8Array([1, 2, 3])),
    ...floatField(2, 1.5),
    ...varintField(3, -1),
  ]);
  const f = decodeFields(msg);
  expect(f.map((x) => [x.field, x.wire])).toEqual([[1, 0], [2, 2], [7, 2], [2, 5], [3, 0]]);
  expect(f[0].varint).toBe(8n);
  expect(new TextDecoder().decode(f[1].bytes)).toBe('héllo');
  expect(Array.from(f[2].bytes ?? [])).toEqual([1, 2, 3]);
  expect(new DataView(f[3].bytes!.slice().buffer).getFloat32(0, true)).toBe(1.5);
  expect(BigInt.asIntN(64, f[4].varint!)).toBe(-1n);
  expect(() => decodeFields(new Uint8Array([0x0a, 0x05, 1]))).toThrow(/past the end/);
});
