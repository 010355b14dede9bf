import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from './command';
import { main } from './main';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function runCli(argv: string[], cwd: string): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export function tempDir(prefix = 'ihc-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Flags of a run that trains in about a second: the `smoke` preset's base. */
export const TINY = ['--embed-size', '16', '--num-heads', '2', '--steps', '20', '--eval-every', '10', '--batch-size', '32', '--count', '400', '--train-size', '360', '--backend', 'wasm', '--quiet'];
