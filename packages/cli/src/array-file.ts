import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from './errors';
import { readNpy } from './npy';

export interface LoadedArray {
  shape: number[];
  data: Float32Array | Float64Array | Int32Array;
}

function flattenNested(value: unknown, file: string): LoadedArray {
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(count);
  let k = 0;
  const walk = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw new CliError(`${file}: expected a number at depth ${depth}, got ${JSON.stringify(v)}`);
      data[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new CliError(`${file}: ragged array: expected length ${shape[depth]} at depth ${depth}`);
    }
    for (const item of v) walk(item, depth + 1);
  };
  walk(value, 0);
  return { shape, data };
}

/**
 * Reads an array from `.npy` or JSON: nested arrays, or `{ "shape": [...], "data": [...] }`.
 * Errors name the file and what was wrong.
 */
export function readArrayFile(path: string, cwd: string): LoadedArray {
  const full = resolve(cwd, path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(full);
  } catch {
    throw new CliError(`cannot read '${path}': no such file`);
  }
  if (path.endsWith('.npy')) return readNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new CliError(`${path}: not valid JSON (${err instanceof Error ? err.message : String(err)}); expected .npy or JSON`);
  }
  if (json && typeof json === 'object' && !Array.isArray(json) && 'shape' in json && 'data' in json) {
    const { shape, data } = json as { shape: unknown; data: unknown };
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0) || !Array.isArray(data)) {
      throw new CliError(`${path}: expected {"shape": [ints], "data": [numbers]}`);
    }
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (data.length !== count) throw new CliError(`${path}: shape ${JSON.stringify(shape)} needs ${count} values, data has ${data.length}`);
    return { shape: shape as number[], data: Float64Array.from(data as number[]) };
  }
  if (!Array.isArray(json)) throw new CliError(`${path}: expected a nested array or {"shape", "data"}`);
  return flattenNested(json, path);
}
