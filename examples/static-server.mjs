// Zero-dependency static file server on 127.0.0.1 shared by the example pages
// (examples/browser, examples/browser-train). Routes map URL prefixes to directories;
// the longest matching prefix wins and no path may escape its directory.
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';

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

/** `--name value` or `--name=value` from process.argv, else `fallback`. */
export function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : fallback;
}

/** The file a URL path names under `routes` ([prefix, dir][]), or undefined. */
export function resolvePath(urlPath, routes) {
  const match = routes.filter(([p]) => urlPath.startsWith(p)).sort((a, b) => b[0].length - a[0].length)[0];
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

/**
 * Starts a GET/HEAD server. Options: `routes`, `port` (0 = free port), `host`,
 * `headers` (sent with every response), `files` (exact URL path -> file overrides),
 * `notFoundHint(urlPath)` (text appended to a 404). Resolves to { url, port, close }.
 */
export function startStaticServer({ routes, port = 8080, host = '127.0.0.1', headers = {}, files = {}, notFoundHint = () => '' }) {
  const server = createServer((req, res) => {
    const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
    for (const [k, v] of Object.entries({ 'Cache-Control': 'no-store', ...headers })) res.setHeader(k, v);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' });
      res.end('method not allowed\n');
      return;
    }
    const file = files[urlPath] ? resolve(files[urlPath]) : resolvePath(urlPath, routes);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`not found: ${urlPath}${notFoundHint(urlPath)}\n`);
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': statSync(file).size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(Number(port), host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : Number(port);
      resolvePromise({ url: `http://${host}:${actual}/`, port: actual, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
