/**
 * Round half to even ("banker's rounding"), as `tf.round` (cpu and wasm backends)
 * and `torch.round`: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -0.5 -> -0.
 */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}
