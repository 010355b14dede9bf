/** Version of `@ihc/onnx`, written into every exported model (kept equal to package.json by a test). */
export const VERSION = '0.1.0';
