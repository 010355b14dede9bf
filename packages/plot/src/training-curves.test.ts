import { parseMetrics } from './metrics-reader';
import { renderSvg } from './render';
import { countMarkGroups, svgTexts } from './test-helpers';
import { syntheticMetrics, syntheticRunScores } from './test-fixtures';
import { downsample, type TrainingSeries, trainingCurvesSpec } from './training-curves';

const series: TrainingSeries[] = (['fp', '1bit'] as const).flatMap((precision) =>
  [0, 1].map((seed) => {
    const run = syntheticRunScores({ precision, embedSize: 32, numHeads: 2, norm: 'pre', posEmbed: 'learnable', seed });
    return { id: run.config.runId, group: precision === 'fp' ? 'FP' : '1-bit', metrics: parseMetrics(syntheticMetrics(run, 500, 5)) };
  }),
);

function specData(spec: unknown): Record<string, { key: string; step: number; value: number; definition?: string }[]> {
  const panels = (spec as { hconcat: { name: string; data: { values: never[] } }[] }).hconcat;
  return Object.fromEntries(panels.map((p) => [p.name, p.data.values]));
}

describe('trainingCurvesSpec', () => {
  it('plots loss, copy accuracy and the strongest head score, one line per run', async () => {
    const spec = trainingCurvesSpec(series, { maxPoints: 50 });
    const data = specData(spec);
    expect(new Set(data.loss.map((p) => p.key)).size).toBe(4);
    expect(data.loss.filter((p) => p.key === series[0].id)).toHaveLength(50); // 500 steps bucket-averaged
    const last = data.score.filter((p) => p.key === series[0].id && p.definition === 'target').at(-1);
    const finalTarget = series[0].metrics.filter((m) => m.type === 'eval' && m.split === 'eval').at(-1);
    expect(last?.value).toBeCloseTo(Math.max(...(finalTarget as { target: number[] }).target), 12);
    const svg = await renderSvg(spec);
    const texts = svgTexts(svg);
    for (const t of ['training loss', 'copy accuracy (eval split)', "strongest head's induction score (eval)", 'training step', series[3].id]) expect(texts).toContain(t);
    expect(countMarkGroups(svg, 'loss')).toBeGreaterThan(0);
  });

  it('averages runs per group at each step', () => {
    const data = specData(trainingCurvesSpec(series, { colorBy: 'group', loss: 'eval' }));
    expect(new Set(data.accuracy.map((p) => p.key))).toEqual(new Set(['FP', '1-bit']));
    const fp = series.filter((s) => s.group === 'FP');
    const at = (s: TrainingSeries) => (s.metrics.filter((m) => m.type === 'eval' && m.split === 'eval').at(-1) as { copyAccuracy: number }).copyAccuracy;
    const mean = (at(fp[0]) + at(fp[1])) / 2;
    expect(data.accuracy.filter((p) => p.key === 'FP').at(-1)?.value).toBeCloseTo(mean, 12);
  });

  it('downsamples by bucket means and rejects bad options', () => {
    const pts = Array.from({ length: 10 }, (_, i) => ({ step: i, value: i }));
    expect(downsample(pts, 5)).toEqual([
      { step: 0.5, value: 0.5 },
      { step: 2.5, value: 2.5 },
      { step: 4.5, value: 4.5 },
      { step: 6.5, value: 6.5 },
      { step: 8.5, value: 8.5 },
    ]);
    expect(() => trainingCurvesSpec([])).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => trainingCurvesSpec(series, { colorBy: 'seed' as 'group' })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });
});
