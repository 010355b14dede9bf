/**
 * Training curves from metrics.jsonl: training loss (step lines), copy accuracy and the
 * strongest head's induction score (eval lines, target solid / token dashed) against
 * the training step; one line per run, or the mean per group (e.g. per precision).
 */
import { PlotError, badOption } from './errors';
import type { Definition, Split } from './labels';
import type { MetricsRecord } from './metrics-reader';
import type { VegaLiteSpec } from './render';
import { CATEGORY_COLOURS, baseConfig } from './theme';

/** The metrics of one run. */
export interface TrainingSeries {
  /** Unique id (e.g. the run id). */
  id: string;
  /** Group the run belongs to (e.g. its precision), for `colorBy: 'group'`. */
  group?: string;
  metrics: readonly MetricsRecord[];
}

/** Options of `trainingCurvesSpec`. */
export interface TrainingCurvesOptions {
  /** One line per series, or one per group (the mean over its series at each step). Default 'series'. */
  colorBy?: 'series' | 'group';
  /** Order (and colours) of the legend entries. */
  order?: readonly string[];
  /** Split of the eval lines to plot (default 'eval'). */
  split?: Split;
  /** Induction-score definitions to plot (default target and token). */
  definitions?: readonly Definition[];
  /** Loss from the step lines (training batches) or from the eval lines of `split` (default 'steps', falling back to eval lines). */
  loss?: 'steps' | 'eval';
  /** Most points per line from step lines (default 300; longer runs are bucket-averaged). */
  maxPoints?: number;
  title?: string;
  subtitle?: string | string[];
  /** Plot width / height of each of the three panels (default 280 x 180). */
  width?: number;
  height?: number;
  font?: string;
}

interface Point {
  key: string;
  step: number;
  value: number;
  definition?: Definition;
}

/** Averages consecutive points into at most `max` buckets. */
export function downsample<T extends { step: number; value: number }>(points: readonly T[], max: number): { step: number; value: number }[] {
  if (points.length <= max) return points.map((p) => ({ step: p.step, value: p.value }));
  const out: { step: number; value: number }[] = [];
  const size = points.length / max;
  for (let b = 0; b < max; b++) {
    const slice = points.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    if (slice.length === 0) continue;
    out.push({
      step: slice.reduce((s, p) => s + p.step, 0) / slice.length,
      value: slice.reduce((s, p) => s + p.value, 0) / slice.length,
    });
  }
  return out;
}

const maxOf = (values: readonly number[]): number => (values.length ? Math.max(...values) : Number.NaN);

/** Means of points sharing (key, step, definition). */
function meanByStep(points: readonly Point[]): Point[] {
  const groups = new Map<string, { p: Point; sum: number; n: number }>();
  for (const p of points) {
    const id = `${p.key}\u0000${p.step}\u0000${p.definition ?? ''}`;
    const g = groups.get(id);
    if (g) {
      g.sum += p.value;
      g.n += 1;
    } else groups.set(id, { p, sum: p.value, n: 1 });
  }
  return [...groups.values()].map(({ p, sum, n }) => ({ ...p, value: sum / n })).sort((a, b) => a.step - b.step);
}

/** Vega-lite spec of training curves: loss, copy accuracy and induction score against step. */
export function trainingCurvesSpec(series: readonly TrainingSeries[], options: TrainingCurvesOptions = {}): VegaLiteSpec {
  if (!Array.isArray(series as unknown) || series.length === 0) throw new PlotError('BAD_INPUT', 'trainingCurvesSpec needs at least one series of metrics.');
  const colorBy = options.colorBy ?? 'series';
  if (colorBy !== 'series' && colorBy !== 'group') badOption('colorBy', colorBy, "'series' or 'group'");
  const split = options.split ?? 'eval';
  const definitions = options.definitions ?? ['target', 'token'];
  const maxPoints = options.maxPoints ?? 300;
  if (!(Number.isInteger(maxPoints) && maxPoints >= 2)) badOption('maxPoints', maxPoints, 'an integer >= 2');
  const keyOf = (s: TrainingSeries): string => (colorBy === 'group' ? (s.group ?? s.id) : s.id);

  let loss: Point[] = [];
  let accuracy: Point[] = [];
  let score: Point[] = [];
  let evalLoss = false;
  for (const s of series) {
    const key = keyOf(s);
    const steps = s.metrics.filter((m) => m.type === 'step');
    const evals = s.metrics.filter((m) => m.type === 'eval' && m.split === split);
    if ((options.loss ?? 'steps') === 'steps' && steps.length > 0) {
      loss.push(...downsample(steps.map((m) => ({ step: m.step, value: m.loss })), maxPoints).map((p) => ({ key, ...p })));
    } else {
      for (const m of evals) if (Number.isFinite(m.loss)) loss.push({ key, step: m.step, value: m.loss });
      evalLoss = true;
    }
    if (evals.length > 0) {
      for (const m of evals) {
        if (m.type !== 'eval') continue;
        if (Number.isFinite(m.copyAccuracy)) accuracy.push({ key, step: m.step, value: m.copyAccuracy });
        for (const d of definitions) {
          const v = maxOf(m[d]);
          if (Number.isFinite(v)) score.push({ key, step: m.step, value: v, definition: d });
        }
      }
    } else {
      const acc = steps.filter((m) => m.type === 'step' && m.copyAccuracy !== undefined) as { step: number; copyAccuracy?: number }[];
      accuracy.push(...downsample(acc.map((m) => ({ step: m.step, value: m.copyAccuracy as number })), maxPoints).map((p) => ({ key, ...p })));
    }
  }
  if (colorBy === 'group') {
    loss = meanByStep(loss);
    accuracy = meanByStep(accuracy);
    score = meanByStep(score);
  }
  const keys = [...new Set(series.map(keyOf))];
  const order = options.order ? [...options.order.filter((k) => keys.includes(k)), ...keys.filter((k) => !options.order?.includes(k))] : keys;
  const colour = {
    field: 'key',
    type: 'nominal',
    title: colorBy === 'group' ? 'group' : 'run',
    scale: { domain: order, range: CATEGORY_COLOURS },
    legend: { symbolLimit: 40, labelLimit: 260, symbolType: 'stroke', symbolStrokeWidth: 2.5 },
  };
  const width = options.width ?? 280;
  const height = options.height ?? 180;
  const x = { field: 'step', type: 'quantitative', title: 'training step', axis: { grid: true, tickCount: 5 } };
  const many = colorBy === 'series' && keys.length > 10;
  const line = { type: 'line', strokeWidth: many ? 1 : 1.8, opacity: many ? 0.7 : 1, interpolate: 'linear' };
  const panel = (name: string, title: string, values: Point[], y: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    name,
    width,
    height,
    title: { text: title, fontSize: 12, fontWeight: 'normal' },
    data: { values },
    mark: name !== 'loss' && values.length <= 30 * new Set(values.map((p) => `${p.key}/${p.definition ?? ''}`)).size ? { ...line, point: { size: 14 } } : line,
    encoding: { x, y, color: colour, detail: { field: 'key' }, ...extra },
  });
  const hasEvalSplit = series.some((s) => s.metrics.some((m) => m.type === 'eval' && m.split === split));
  const panels = [
    panel('loss', evalLoss ? `loss (${split} split)` : 'training loss', loss, { field: 'value', type: 'quantitative', title: 'cross-entropy', scale: { zero: false }, axis: { grid: true } }),
    panel('accuracy', hasEvalSplit ? `copy accuracy (${split} split)` : 'copy accuracy (training batches)', accuracy, {
      field: 'value',
      type: 'quantitative',
      title: 'final-token accuracy',
      scale: { domain: [0, 1] },
      axis: { grid: true },
    }),
    panel(
      'score',
      `strongest head's induction score (${split})`,
      score,
      { field: 'value', type: 'quantitative', title: 'max over layers × heads', scale: { domain: [0, 1] }, axis: { grid: true } },
      {
        strokeDash: {
          field: 'definition',
          type: 'nominal',
          title: 'definition',
          scale: { domain: ['target', 'token'], range: [[1, 0], [5, 3]] },
          legend: { symbolType: 'stroke', symbolStrokeWidth: 1.5, symbolStrokeColor: '#333' },
        },
        detail: [{ field: 'key' }, { field: 'definition' }],
      },
    ),
  ];
  const runs = series.length;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: options.title ?? 'Training curves',
      subtitle:
        options.subtitle ??
        (colorBy === 'group' ? `mean over runs per group and step (${runs} run${runs === 1 ? '' : 's'})` : `${runs} run${runs === 1 ? '' : 's'}`),
    },
    config: baseConfig(options.font),
    hconcat: panels,
    spacing: 24,
    resolve: { scale: { color: 'shared', strokeDash: 'shared' }, legend: { color: 'shared', strokeDash: 'shared' } },
  } as unknown as VegaLiteSpec;
}
