#!/usr/bin/env node
// Zero-dependency static server for the @ihc/onnx browser demo, on 127.0.0.1 only.
//   node examples/browser/serve.mjs [--port 8080] [--host 127.0.0.1] [--model path/to/model.onnx]
// Serves this folder at /, onnxruntime-web's dist at /ort/ and @ihc/onnx's built dist at
// /ihc-onnx/ (run `npx tsup` in packages/onnx first). --port 0 picks a free port.
// Prints "Serving http://127.0.0.1:<port>/" once listening.
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const require = createRequire(import.meta.url);

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : fallback;
}

function ortDist() {
  try {
    return join(dirname(require.resolve('onnxruntime-web/package.json')), 'dist');
  } catch {
    return join(repo, 'node_modules', 'onnxruntime-web', 'dist');
  }
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.svg': 'image/svg+xml',
};

/** URL prefix -> directory. The longest matching prefix wins. */
export function routes(options = {}) {
  return [
    ['/ort/', ortDist()],
    ['/ihc-onnx/', join(repo, 'packages', 'onnx', 'dist')],
    ['/ihc-bitlinear/', join(repo, 'packages', 'bitlinear', 'dist')],
    ['/', here],
  ].concat(options.extra ?? []);
}

function resolvePath(urlPath, table, model) {
  if (model && urlPath === '/model.onnx') return resolve(model);
  const match = table.filter(([p]) => urlPath.startsWith(p)).sort((a, b) => b[0].length - a[0].length)[0];
  if (!match) return undefined;
  const [prefix, dir] = match;
  const rel = decodeURIComponent(urlPath.slice(prefix.length)) || 'index.html';
  const full = resolve(dir, rel);
  if (full !== dir && !full.startsWith(dir + sep)) return undefined; // no escaping the root
  return full;
}

/** Starts the server; resolves to { url, port, close }. */
export function startServer({ port = 8080, host = '127.0.0.1', model } = {}) {
  const table = routes();
  const server = createServer((req, res) => {
    const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = resolvePath(urlPath, table, model);
    // Cross-origin isolation lets onnxruntime-web use wasm threads (SharedArrayBuffer).
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cache-Control', 'no-store');
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`not found: ${urlPath}\n`);
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': statSync(file).size,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(Number(port), host, () => {
      const addr = server.address();
      const actual = typeof addr === 'object' && addr ? addr.port : Number(port);
      resolvePromise({
        url: `http://${host}:${actual}/`,
        port: actual,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
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
