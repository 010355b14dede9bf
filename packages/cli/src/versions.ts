import { version_core as tfjsVersion } from '@tensorflow/tfjs-core';
import cliPackage from '../package.json';

/** Versions recorded in every run's config.json: ours (all @ihc packages share a version), TF.js and Node. */
export const VERSIONS: Readonly<Record<string, string>> = {
  '@ihc/cli': cliPackage.version,
  '@tensorflow/tfjs-core': tfjsVersion,
  node: process.version,
};
