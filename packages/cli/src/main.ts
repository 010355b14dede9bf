import type { Command, Io } from './command';
import { defaultIo } from './command';
import { CliError, isUserError } from './errors';
import { COMMANDS } from './commands';
import cliPackage from '../package.json';

/** This package's version (all @ihc packages share one). */
export const VERSION = cliPackage.version;

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  const rows = COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`);
  return `Usage: ihc <command> [options]

Induction-head circuits in full-precision vs 1-bit (BitNet) attention: reproduce the study,
train and score models, plot, export to ONNX.

Commands:
${rows.join('\n')}

Run 'ihc <command> --help' for a command's options.
Start with: ihc reproduce --preset quick
`;
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 bad input, 130 interrupted). */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(topHelp());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const command: Command | undefined = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) {
      throw new CliError(`unknown command '${name}'; valid commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
    }
    return await command.run(rest, io);
  } catch (err) {
    if (isUserError(err)) {
      const msg = err.message.startsWith('ihc') ? err.message : `ihc${command ? ` ${command.name}` : ''}: ${err.message}`;
      io.stderr(`${msg.split('\n')[0]}\n`);
      return err instanceof CliError ? err.exitCode : 2;
    }
    throw err;
  }
}
