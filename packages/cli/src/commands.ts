import type { Command } from './command';
import { datasetCommand } from './dataset-command';
import { exportCommand, inferCommand } from './onnx-commands';
import { plotCommand, reportCommand } from './plot-command';
import { reproduceCommand } from './reproduce-command';
import { scoreCommand } from './score-command';
import { sweepCommand } from './sweep-command';
import { trainCommand } from './train-command';

export const COMMANDS: readonly Command[] = [
  reproduceCommand,
  trainCommand,
  sweepCommand,
  datasetCommand,
  scoreCommand,
  plotCommand,
  reportCommand,
  exportCommand,
  inferCommand,
];
