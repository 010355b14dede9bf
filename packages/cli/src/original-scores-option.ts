import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OptionSpec } from './args';
import { CliError } from './errors';

/** Where the original study's published scores ship in this repository (reference/README.md). */
export const BUNDLED_ORIGINAL_SCORES = join('reference', 'original-seed-scores.json');

export const originalOption: OptionSpec = {
  type: 'string',
  value: 'FILE',
  help: `the original study's published scores, for ours-vs-original figures (default: ${BUNDLED_ORIGINAL_SCORES} when present)`,
};

/** The scores file to compare with: the flag's file (must exist), else the bundled copy when present. */
export function resolveOriginalScores(raw: string | undefined, cwd: string): string | undefined {
  if (raw !== undefined) {
    const file = resolve(cwd, raw);
    if (!existsSync(file)) throw new CliError(`--original: no such file '${raw}'`);
    return file;
  }
  const bundled = resolve(cwd, BUNDLED_ORIGINAL_SCORES);
  return existsSync(bundled) ? bundled : undefined;
}
