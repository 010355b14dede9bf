import { BACKEND_CHOICES, BACKEND_ENV_VAR, selectBackend, type BackendChoice, type StepEngineFactory } from '@ihc/model';
import { nativeEngine, nativeStatus } from '@ihc/native';
import { parseChoice, type OptionSpec } from './args';
import { CliError } from './errors';

/** `--backend` values: the TF.js backends of @ihc/model, and `native` (@ihc/native's C training step). */
export const CLI_BACKEND_CHOICES: readonly string[] = [...BACKEND_CHOICES, 'native'];

export const backendOption: OptionSpec = {
  type: 'string',
  value: CLI_BACKEND_CHOICES.join('|'),
  help:
    'training backend (auto: tfjs-node-gpu when installed, else native when built, else tfjs-node, wasm, cpu; or $IHC_BACKEND). ' +
    'native trains in C + OpenBLAS (@ihc/native) and evaluates on wasm',
  default: 'auto',
};

/** A started backend: its name for run configs, and the step engine when training is native. */
export interface StartedBackend {
  name: string;
  engine?: StepEngineFactory;
}

async function startNative(log: (line: string) => void): Promise<StartedBackend> {
  await selectBackend({ backend: 'wasm', log }); // evaluation, scoring and checkpoints
  const engine = nativeEngine();
  log(`training step: native (${nativeStatus().blas}); evaluation: wasm`);
  return { name: 'native', engine };
}

/**
 * Starts the chosen backend. `native` (or `$IHC_BACKEND=native`) needs the built
 * @ihc/native addon (a one-line CliError saying why otherwise); `auto` prefers
 * tfjs-node-gpu when it starts, then native when built, then @ihc/model's order.
 */
export async function startBackend(command: string, raw: string | undefined, log: (line: string) => void): Promise<StartedBackend> {
  const choice = parseChoice(command, 'backend', raw ?? 'auto', CLI_BACKEND_CHOICES);
  const fromEnv = choice === 'auto' ? process.env[BACKEND_ENV_VAR] : undefined;
  if (choice === 'native' || fromEnv === 'native') {
    const status = nativeStatus();
    if (!status.available) {
      throw new CliError(`ihc ${command}: backend native is unavailable: ${status.reason}`);
    }
    return startNative(log);
  }
  if (choice === 'auto' && !fromEnv && nativeStatus().available) {
    try {
      return { name: (await selectBackend({ backend: 'tfjs-node-gpu' })).name };
    } catch {
      return startNative(log);
    }
  }
  const selected = await selectBackend({ backend: choice as BackendChoice, log });
  return { name: selected.name };
}
