import { lrAt, warmupStepsFor, type ScheduleConfig } from './schedule';

/** transformers' get_cosine_schedule_with_warmup lr_lambda, written out independently. */
function reference(step: number, warmup: number, total: number): number {
  if (step < warmup) return step / Math.max(1, warmup);
  const progress = (step - warmup) / Math.max(1, total - warmup);
  return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * 0.5 * 2 * progress)));
}

describe('lrAt', () => {
  const cfg: ScheduleConfig = { schedule: 'cosine', lr: 3e-4, minLr: 0, warmupSteps: 10, totalSteps: 100 };

  it('warms up linearly from 0 then follows the cosine to 0', () => {
    expect(lrAt(0, cfg)).toBe(0);
    expect(lrAt(5, cfg)).toBeCloseTo(1.5e-4, 15);
    expect(lrAt(10, cfg)).toBeCloseTo(3e-4, 15);
    expect(lrAt(55, cfg)).toBeCloseTo(1.5e-4, 15);
    expect(lrAt(100, cfg)).toBeCloseTo(0, 15);
    for (let s = 0; s <= 100; s++) expect(lrAt(s, cfg)).toBeCloseTo(3e-4 * reference(s, 10, 100), 15);
  });

  it('stays at minLr after the end and honours minLr', () => {
    expect(lrAt(150, cfg)).toBe(0);
    const withMin = { ...cfg, minLr: 1e-5 };
    expect(lrAt(100, withMin)).toBeCloseTo(1e-5, 15);
    expect(lrAt(55, withMin)).toBeCloseTo(1e-5 + (3e-4 - 1e-5) * 0.5, 15);
    expect(lrAt(5, withMin)).toBeCloseTo(1.5e-4, 15);
  });

  it('constant schedule: warmup then flat; no warmup starts at lr', () => {
    const c: ScheduleConfig = { ...cfg, schedule: 'constant' };
    expect(lrAt(0, c)).toBe(0);
    expect(lrAt(10, c)).toBe(3e-4);
    expect(lrAt(99, c)).toBe(3e-4);
    expect(lrAt(0, { ...cfg, warmupSteps: 0 })).toBe(3e-4);
  });

  it('warmup is floor(fraction * total) like Python int()', () => {
    expect(warmupStepsFor(21450, 0.1)).toBe(2145);
    expect(warmupStepsFor(42, 0.1)).toBe(4);
    expect(warmupStepsFor(5, 0)).toBe(0);
  });
});
