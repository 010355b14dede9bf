import type { ModelConfig } from './config';
import { OnnxError } from './errors';
import { FORMAT, METADATA_KEYS } from './export';
import { bytesToString, decodeFields } from './protobuf';

/** What `readOnnxMetadata` finds in a model file. */
export interface OnnxMetadata {
  irVersion: number;
  opsetVersion: number | undefined;
  producerName: string;
  producerVersion: string;
  /** Every `metadata_props` entry. */
  props: Record<string, string>;
  /** The @ihc model config, when the file was written by @ihc/onnx. */
  config: ModelConfig | undefined;
  /** @ihc/onnx version that wrote the file, when it was. */
  version: string | undefined;
}

/**
 * Reads the header fields and `metadata_props` of an ONNX ModelProto without a
 * runtime (the graph is skipped). Throws OnnxError INVALID_FILE on bytes that are not
 * a protobuf ModelProto.
 */
export function readOnnxMetadata(bytes: Uint8Array): OnnxMetadata {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new OnnxError('INVALID_FILE', 'an ONNX model needs non-empty bytes (a Uint8Array)');
  }
  let fields;
  try {
    fields = decodeFields(bytes);
  } catch (e) {
    throw new OnnxError('INVALID_FILE', `not an ONNX model (protobuf decode failed: ${(e as Error).message})`, { cause: e });
  }
  const meta: OnnxMetadata = {
    irVersion: 0,
    opsetVersion: undefined,
    producerName: '',
    producerVersion: '',
    props: {},
    config: undefined,
    version: undefined,
  };
  let sawGraph = false;
  for (const f of fields) {
    if (f.field === 1 && f.varint !== undefined) meta.irVersion = Number(f.varint);
    else if (f.field === 2 && f.bytes) meta.producerName = bytesToString(f.bytes);
    else if (f.field === 3 && f.bytes) meta.producerVersion = bytesToString(f.bytes);
    else if (f.field === 7 && f.bytes) sawGraph = true;
    else if (f.field === 8 && f.bytes) {
      let domain = '';
      let version: number | undefined;
      for (const g of decodeFields(f.bytes)) {
        if (g.field === 1 && g.bytes) domain = bytesToString(g.bytes);
        if (g.field === 2 && g.varint !== undefined) version = Number(g.varint);
      }
      if (domain === '' || domain === 'ai.onnx') meta.opsetVersion = version;
    } else if (f.field === 14 && f.bytes) {
      let k = '';
      let v = '';
      for (const g of decodeFields(f.bytes)) {
        if (g.field === 1 && g.bytes) k = bytesToString(g.bytes);
        if (g.field === 2 && g.bytes) v = bytesToString(g.bytes);
      }
      meta.props[k] = v;
    }
  }
  if (!sawGraph || meta.irVersion === 0) {
    throw new OnnxError('INVALID_FILE', 'not an ONNX model (no ir_version or graph field)');
  }
  if (meta.props[METADATA_KEYS.format] === FORMAT) {
    meta.version = meta.props[METADATA_KEYS.version];
    try {
      meta.config = JSON.parse(meta.props[METADATA_KEYS.config]) as ModelConfig;
    } catch (e) {
      throw new OnnxError('INVALID_FILE', `metadata ${METADATA_KEYS.config} is not valid JSON`, { cause: e });
    }
  }
  return meta;
}
