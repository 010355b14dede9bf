import { fromFloat16Bits, roundToFloat16, toFloat16Bits } from './float16';

test('binary16 encoding of exact, rounded, subnormal and special values', () => {
  expect(toFloat16Bits(0)).toBe(0);
  expect(toFloat16Bits(-0)).toBe(0x8000);
  expect(toFloat16Bits(1)).toBe(0x3c00);
  expect(toFloat16Bits(-2)).toBe(0xc000);
  expect(toFloat16Bits(65504)).toBe(0x7bff);
  expect(toFloat16Bits(70000)).toBe(0x7c00);
  expect(toFloat16Bits(-Infinity)).toBe(0xfc00);
  expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN)))).toBe(true);
  expect(toFloat16Bits(2 ** -24)).toBe(1); // smallest subnormal
  expect(toFloat16Bits(2 ** -26)).toBe(0); // rounds to zero
  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even (1).
  expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
  expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
  expect(fromFloat16Bits(0x3555)).toBeCloseTo(0.33325195, 8);
  expect(Array.from(roundToFloat16([0.1, -0.02]))).toEqual([fromFloat16Bits(0x2e66), fromFloat16Bits(0xa51f)]);
});

test('round trip of every finite binary16 value', () => {
  const bad: number[] = [];
  for (let b = 0; b < 0x10000; b++) {
    if ((b & 0x7c00) === 0x7c00) continue;
    if (toFloat16Bits(fromFloat16Bits(b)) !== b) bad.push(b);
  }
  expect(bad).toEqual([]);
});
