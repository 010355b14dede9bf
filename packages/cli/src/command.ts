import type { OptionSpecs } from './args';

/** Where a command writes: injectable so tests capture output without spawning processes. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  description: string;
  options: OptionSpecs;
  positionals?: boolean;
  run(argv: readonly string[], io: Io): Promise<number>;
}

export const defaultIo: Io = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  cwd: process.cwd(),
};
