#!/usr/bin/env node
// Zero-dependency static server for the "train in your browser" page, on 127.0.0.1 only.
//   node examples/browser-train/serve.mjs [--port 8081] [--host 127.0.0.1]
// Serves this folder at /, @ihc/model's browser bundle (packages/model/dist, built by
// `npx tsup` there or `npm run build`) at /model/ and the TF.js wasm binaries at /wasm/.
// --port 0 picks a free port. Prints "Serving http://127.0.0.1:<port>/" once listening.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg, startStaticServer } from '../static-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const require = createRequire(import.meta.url);

function packageDir(name, fallback) {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return fallback;
  }
}

/** URL prefix -> directory; the longest matching prefix wins. */
export function routes() {
  return [
    ['/model/', join(repo, 'packages', 'model', 'dist')],
    ['/wasm/', join(packageDir('@tensorflow/tfjs-backend-wasm', join(repo, 'node_modules', '@tensorflow', 'tfjs-backend-wasm')), 'dist')],
    ['/', here],
  ];
}

/** Starts the server; resolves to { url, port, close }. */
export function startServer({ port = 8081, host = '127.0.0.1' } = {}) {
  return startStaticServer({
    routes: routes(),
    port,
    host,
    notFoundHint: (urlPath) => (urlPath.startsWith('/model/') ? ' (build it: cd packages/model && npx tsup)' : ''),
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const bundle = join(repo, 'packages', 'model', 'dist', 'browser.js');
  if (!existsSync(bundle)) {
    console.error(`missing ${bundle}: build it first (cd packages/model && npx tsup, or npm run build)`);
    process.exit(1);
  }
  const { url } = await startServer({ port: arg('port', '8081'), host: arg('host', '127.0.0.1') });
  console.log(`Serving ${url}`);
}
