// Starts one of the example pages' servers (examples/*/serve.mjs) on a free port for an
// end-to-end test and resolves to its URL once it prints "Serving <url>".
import { spawn, type ChildProcess } from 'node:child_process';

export async function startExampleServer(script: string, args: string[] = []): Promise<{ url: string; server: ChildProcess }> {
  const server = spawn(process.execPath, [script, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 20000);
    server.stdout!.on('data', (d: Buffer) => {
      const m = /Serving (\S+)/.exec(String(d));
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1]);
      }
    });
    server.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { url, server };
}
