/**
 * `plotSweep`: every figure of a sweep directory, rendered and written atomically as
 * PNG and/or SVG.
 */
import { join, resolve } from 'node:path';
import { writeFileAtomic } from './atomic-write';
import { badOption } from './errors';
import type { FontOptions } from './fonts';
import type { Definition, Split } from './labels';
import { type OriginalScoresSource, loadOriginalScores } from './original-scores';
import { renderPng, renderSvg } from './render';
import { type FigureKind, sweepCurveSpecs, sweepFigureSpecs } from './sweep-figures';
import { readSweep } from './sweep-reader';

/** Options of `plotSweep`. */
export interface PlotSweepOptions extends FontOptions {
  /** Output directory (default `<dir>/figures`). */
  out?: string;
  /** 'png' (default), 'svg' or 'both'. */
  format?: 'png' | 'svg' | 'both';
  /** PNG pixels per SVG unit (default 2). */
  scale?: number;
  /** The original's published scores (path, JSON text, parsed JSON or parsed scores): adds comparison figures. */
  originalScores?: OriginalScoresSource;
  /** Colour domain of our scores (default [0, 1]). */
  domain?: [number, number];
  splits?: readonly Split[];
  definitions?: readonly Definition[];
  /** Figure kinds to make (default all). */
  kinds?: readonly FigureKind[];
  /** Called after each file is written. */
  onFile?: (file: string) => void;
}

const FORMATS = ['png', 'svg', 'both'] as const;

/** Renders every figure of the sweep in `dir`; returns the written files' paths in order. */
export async function plotSweep(dir: string, options: PlotSweepOptions = {}): Promise<string[]> {
  const format = options.format ?? 'png';
  if (!FORMATS.includes(format)) badOption('format', format, FORMATS.map((f) => `'${f}'`).join(', '));
  const kinds = options.kinds ?? ['grid', 'difference', 'comparison', 'run', 'curves'];
  const sweep = await readSweep(dir);
  const out = resolve(options.out ?? join(sweep.dir, 'figures'));
  const original = options.originalScores === undefined ? undefined : await loadOriginalScores(options.originalScores);
  const figures = [
    ...sweepFigureSpecs(
      sweep.runs.map((r) => r.scores),
      {
        ...(options.domain ? { domain: options.domain } : {}),
        ...(options.splits ? { splits: options.splits } : {}),
        ...(options.definitions ? { definitions: options.definitions } : {}),
        differences: kinds.includes('difference'),
        runMaps: kinds.includes('run'),
        ...(original && kinds.includes('comparison') ? { original } : {}),
      },
    ).filter((f) => kinds.includes(f.kind)),
    ...(kinds.includes('curves') ? await sweepCurveSpecs(sweep) : []),
  ];
  const written: string[] = [];
  const write = async (file: string, data: string | Uint8Array): Promise<void> => {
    await writeFileAtomic(file, data);
    written.push(file);
    options.onFile?.(file);
  };
  for (const figure of figures) {
    const svg = await renderSvg(figure.spec, options);
    const base = join(out, figure.name);
    if (format === 'svg' || format === 'both') await write(`${base}.svg`, svg);
    if (format === 'png' || format === 'both') await write(`${base}.png`, renderPng(svg, { ...options, scale: options.scale ?? 2 }));
  }
  return written;
}
