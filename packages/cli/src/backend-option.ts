import { BACKEND_CHOICES, selectBackend, type BackendChoice } from '@ihc/model';
import { parseChoice, type OptionSpec } from './args';

export const backendOption: OptionSpec = {
  type: 'string',
  value: BACKEND_CHOICES.join('|'),
  help: 'TF.js backend (auto: tfjs-node-gpu, tfjs-node, wasm, cpu; or $IHC_BACKEND)',
  default: 'auto',
};

/** Starts the chosen backend and returns its name for run configs. */
export async function startBackend(command: string, raw: string | undefined, log: (line: string) => void): Promise<string> {
  const choice = parseChoice(command, 'backend', raw ?? 'auto', BACKEND_CHOICES) as BackendChoice;
  const selected = await selectBackend({ backend: choice, log });
  return selected.name;
}
