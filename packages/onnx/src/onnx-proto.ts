// ONNX ModelProto encoding (field numbers from onnx/onnx.proto, IR version 8).
import {
  bytesField,
  concatBytes,
  floatField,
  messageField,
  repeatedVarintField,
  stringField,
  varintField,
} from './protobuf';

/** TensorProto.DataType values used here. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
} as const;
export type DataTypeValue = (typeof DataType)[keyof typeof DataType];

/** An initializer with its data as little-endian raw bytes. */
export interface TensorSpec {
  name: string;
  dataType: DataTypeValue;
  dims: readonly number[];
  raw: Uint8Array;
}

/** A node attribute. */
export type AttributeSpec =
  | { name: string; type: 'int'; value: number }
  | { name: string; type: 'ints'; value: readonly number[] }
  | { name: string; type: 'float'; value: number }
  | { name: string; type: 'string'; value: string }
  | { name: string; type: 'tensor'; value: TensorSpec };

export interface NodeSpec {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  attributes?: readonly AttributeSpec[];
}

/** A graph input or output: a tensor of `elemType` with fixed (number) or symbolic (string) dims. */
export interface ValueInfoSpec {
  name: string;
  elemType: DataTypeValue;
  shape: readonly (number | string)[];
  docString?: string;
}

export interface GraphSpec {
  name: string;
  nodes: readonly NodeSpec[];
  initializers: readonly TensorSpec[];
  inputs: readonly ValueInfoSpec[];
  outputs: readonly ValueInfoSpec[];
  docString?: string;
}

export interface ModelSpec {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  graph: GraphSpec;
  metadata: Readonly<Record<string, string>>;
}

const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

/** TensorProto: dims 1, data_type 2, name 8, raw_data 9. */
export function encodeTensor(t: TensorSpec): Uint8Array {
  return concatBytes([
    repeatedVarintField(1, t.dims),
    varintField(2, t.dataType),
    stringField(8, t.name),
    bytesField(9, t.raw),
  ]);
}

/** AttributeProto: name 1, f 2, i 3, s 4, t 5, ints 8, type 20. */
export function encodeAttribute(a: AttributeSpec): Uint8Array {
  const parts: Uint8Array[] = [stringField(1, a.name)];
  switch (a.type) {
    case 'float':
      parts.push(floatField(2, a.value));
      break;
    case 'int':
      parts.push(varintField(3, a.value));
      break;
    case 'string':
      parts.push(stringField(4, a.value));
      break;
    case 'tensor':
      parts.push(bytesField(5, encodeTensor(a.value)));
      break;
    case 'ints':
      parts.push(repeatedVarintField(8, a.value));
      break;
  }
  parts.push(varintField(20, ATTRIBUTE_TYPE[a.type]));
  return concatBytes(parts);
}

/** NodeProto: input 1, output 2, name 3, op_type 4, attribute 5. */
export function encodeNode(n: NodeSpec): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const i of n.inputs) parts.push(stringField(1, i));
  for (const o of n.outputs) parts.push(stringField(2, o));
  if (n.name) parts.push(stringField(3, n.name));
  parts.push(stringField(4, n.opType));
  for (const a of n.attributes ?? []) parts.push(bytesField(5, encodeAttribute(a)));
  return concatBytes(parts);
}

/**
 * ValueInfoProto (name 1, type 2, doc_string 3) with TypeProto.tensor_type 1
 * { elem_type 1, shape 2 { dim 1 { dim_value 1 | dim_param 2 } } }.
 */
export function encodeValueInfo(v: ValueInfoSpec): Uint8Array {
  const dims = v.shape.map((d) =>
    messageField(1, [typeof d === 'number' ? varintField(1, d) : stringField(2, d)]),
  );
  const tensorType = [varintField(1, v.elemType), messageField(2, dims)];
  const parts = [stringField(1, v.name), messageField(2, [messageField(1, tensorType)])];
  if (v.docString) parts.push(stringField(3, v.docString));
  return concatBytes(parts);
}

/** GraphProto: node 1, name 2, initializer 5, doc_string 10, input 11, output 12. */
export function encodeGraph(g: GraphSpec): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const n of g.nodes) parts.push(bytesField(1, encodeNode(n)));
  parts.push(stringField(2, g.name));
  for (const t of g.initializers) parts.push(bytesField(5, encodeTensor(t)));
  if (g.docString) parts.push(stringField(10, g.docString));
  for (const i of g.inputs) parts.push(bytesField(11, encodeValueInfo(i)));
  for (const o of g.outputs) parts.push(bytesField(12, encodeValueInfo(o)));
  return concatBytes(parts);
}

/**
 * ModelProto: ir_version 1, producer_name 2, producer_version 3, domain 4,
 * model_version 5, doc_string 6, graph 7, opset_import 8 { domain 1, version 2 },
 * metadata_props 14 { key 1, value 2 }.
 */
export function encodeModel(m: ModelSpec): Uint8Array {
  const parts: Uint8Array[] = [
    varintField(1, m.irVersion),
    stringField(2, m.producerName),
    stringField(3, m.producerVersion),
  ];
  if (m.domain) parts.push(stringField(4, m.domain));
  if (m.modelVersion !== undefined) parts.push(varintField(5, m.modelVersion));
  if (m.docString) parts.push(stringField(6, m.docString));
  parts.push(bytesField(7, encodeGraph(m.graph)));
  parts.push(messageField(8, [stringField(1, ''), varintField(2, m.opsetVersion)]));
  for (const [k, v] of Object.entries(m.metadata)) {
    parts.push(messageField(14, [stringField(1, k), stringField(2, v)]));
  }
  return concatBytes(parts);
}
