import type { Command } from './command';
import { datasetCommand } from './dataset-command';
import { scoreCommand } from './score-command';
import { sweepCommand } from './sweep-command';
import { trainCommand } from './train-command';

export const COMMANDS: readonly Command[] = [datasetCommand, scoreCommand, trainCommand, sweepCommand];
