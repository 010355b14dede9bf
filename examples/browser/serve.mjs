#!/usr/bin/env node
// Zero-dependency static server for the @ihc/onnx browser demo, on 127.0.0.1 only.
//   node examples/browser/serve.mjs [--port 8080] [--host 127.0.0.1] [--model path/to/model.onnx]
// Serves this folder at /, onnxruntime-web's dist at /ort/, @ihc/onnx's built dist at
// /ihc-onnx/ and @ihc/bitlinear's at /ihc-bitlinear/ (run `npm run build` first).
// --port 0 picks a free port. Prints "Serving http://127.0.0.1:<port>/" once listening.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg, startStaticServer } from '../static-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const require = createRequire(import.meta.url);

function ortDist() {
  try {
    return join(dirname(require.resolve('onnxruntime-web/package.json')), 'dist');
  } catch {
    return join(repo, 'node_modules', 'onnxruntime-web', 'dist');
  }
}

/** URL prefix -> directory. The longest matching prefix wins. */
export function routes() {
  return [
    ['/ort/', ortDist()],
    ['/ihc-onnx/', join(repo, 'packages', 'onnx', 'dist')],
    ['/ihc-bitlinear/', join(repo, 'packages', 'bitlinear', 'dist')],
    ['/', here],
  ];
}

/** Starts the server; `model` replaces /model.onnx. Resolves to { url, port, close }. */
export function startServer({ port = 8080, host = '127.0.0.1', model } = {}) {
  return startStaticServer({
    routes: routes(),
    port,
    host,
    // Cross-origin isolation lets onnxruntime-web use wasm threads (SharedArrayBuffer).
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
    files: model ? { '/model.onnx': model } : {},
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = arg('port', process.env.PORT ?? '8080');
  const host = arg('host', '127.0.0.1');
  const model = arg('model', undefined);
  if (!existsSync(join(repo, 'packages', 'onnx', 'dist', 'web.js'))) {
    console.warn('warning: packages/onnx/dist/web.js is missing; build it first (cd packages/onnx && npx tsup)');
  }
  if (!model && !existsSync(join(here, 'model.onnx'))) {
    console.warn('warning: no model.onnx here; make one with: node examples/browser/make-demo-model.mjs');
  }
  const { url } = await startServer({ port, host, model });
  console.log(`Serving ${url}`);
}
