import { DataType, type AttributeSpec, type DataTypeValue, type NodeSpec, type TensorSpec } from './onnx-proto';

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Little-endian bytes of a typed array (copied). */
export function rawBytes(values: Float32Array | Uint8Array | Uint16Array | BigInt64Array | Int32Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  if (littleEndian || values.BYTES_PER_ELEMENT === 1) return bytes;
  const n = values.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += n) bytes.subarray(i, i + n).reverse();
  return bytes;
}

/** Accumulates the nodes and initializers of one ONNX graph. */
export interface GraphBuilder {
  readonly nodes: NodeSpec[];
  readonly initializers: TensorSpec[];
  /** Adds a node; returns its (single) output name, `output` or a fresh one. */
  op(opType: string, inputs: readonly string[], attributes?: readonly AttributeSpec[], output?: string): string;
  /** Adds an initializer; returns its name. */
  initializer(name: string, dataType: DataTypeValue, dims: readonly number[], raw: Uint8Array): string;
  /** fp32 constant (scalar when dims is []), shared by value. */
  f32(values: readonly number[], dims?: readonly number[]): string;
  /** int64 constant (1-D), shared by value. */
  i64(values: readonly number[]): string;
  /** uint8 constant (1-D), shared by value. */
  u8(values: readonly number[]): string;
}

/** A fresh GraphBuilder. */
export function createGraphBuilder(): GraphBuilder {
  const nodes: NodeSpec[] = [];
  const initializers: TensorSpec[] = [];
  const used = new Set<string>();
  const constants = new Map<string, string>();
  let counter = 0;

  const initializer = (name: string, dataType: DataTypeValue, dims: readonly number[], raw: Uint8Array): string => {
    if (used.has(name)) throw new Error(`duplicate tensor name ${name}`);
    used.add(name);
    initializers.push({ name, dataType, dims: [...dims], raw });
    return name;
  };
  const constant = (kind: string, dataType: DataTypeValue, dims: readonly number[], raw: () => Uint8Array, values: readonly number[]): string => {
    const key = `${kind}[${dims.join(',')}]:${values.join(',')}`;
    const hit = constants.get(key);
    if (hit) return hit;
    const name = `const_${kind}_${constants.size}`;
    constants.set(key, name);
    return initializer(name, dataType, dims, raw());
  };
  return {
    nodes,
    initializers,
    op(opType, inputs, attributes, output) {
      const out = output ?? `${opType}_${counter}`;
      if (used.has(out)) throw new Error(`duplicate tensor name ${out}`);
      used.add(out);
      nodes.push({ opType, inputs: [...inputs], outputs: [out], name: `${opType}_${counter}`, attributes });
      counter++;
      return out;
    },
    initializer,
    f32: (values, dims = []) =>
      constant('f32', DataType.FLOAT, dims, () => rawBytes(Float32Array.from(values)), values),
    i64: (values) =>
      constant('i64', DataType.INT64, [values.length], () => rawBytes(BigInt64Array.from(values.map((v) => BigInt(v)))), values),
    u8: (values) => constant('u8', DataType.UINT8, [values.length], () => rawBytes(Uint8Array.from(values)), values),
  };
}
