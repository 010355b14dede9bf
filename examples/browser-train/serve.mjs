#!/usr/bin/env node
// Zero-dependency static server for the "train in your browser" page, on 127.0.0.1 only.
//   node examples/browser-train/serve.mjs [--port 8081] [--host 127.0.0.1]
// Serves this folder at /, @ihc/model's browser bundle (packages/model/dist, built by
// `npx tsup` there or `npm run build`) at /model/ and the TF.js wasm binaries at /wasm/.
// --port 0 picks a free port. Prints "Serving http://127.0.0.1:<port>/" once listening.
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const require = createRequire(import.meta.url);

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : fallback;
}

function packageDir(name, fallback) {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return fallback;
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
  '.svg': 'image/svg+xml',
};

/** URL prefix -> directory; the longest matching prefix wins. */
export function routes() {
  return [
    ['/model/', join(repo, 'packages', 'model', 'dist')],
    ['/wasm/', join(packageDir('@tensorflow/tfjs-backend-wasm', join(repo, 'node_modules', '@tensorflow', 'tfjs-backend-wasm')), 'dist')],
    ['/', here],
  ];
}

function resolvePath(urlPath, table) {
  const match = table.filter(([p]) => urlPath.startsWith(p)).sort((a, b) => b[0].length - a[0].length)[0];
  if (!match) return undefined;
  const [prefix, dir] = match;
  let rel;
  try {
    rel = decodeURIComponent(urlPath.slice(prefix.length)) || 'index.html';
  } catch {
    return undefined;
  }
  const full = resolve(dir, rel);
  if (full !== dir && !full.startsWith(dir + sep)) return undefined; // no escaping the root
  return full;
}

/** Starts the server; resolves to { url, port, close }. */
export function startServer({ port = 8081, host = '127.0.0.1' } = {}) {
  const table = routes();
  const server = createServer((req, res) => {
    const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = resolvePath(urlPath, table);
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' });
      res.end('method not allowed\n');
      return;
    }
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      const hint = urlPath.startsWith('/model/') ? ' (build it: cd packages/model && npx tsup)' : '';
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`not found: ${urlPath}${hint}\n`);
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
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : Number(port);
      resolvePromise({
        url: `http://${host}:${actual}/`,
        port: actual,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
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
