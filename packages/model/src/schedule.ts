/**
 * Learning-rate schedules, as pure functions of the optimizer step.
 *
 * `lrAt(step, cfg)` is the learning rate used by optimizer step `step` (0-based: the
 * first update is step 0), exactly like PyTorch's `LambdaLR` with transformers'
 * `get_cosine_schedule_with_warmup` (num_cycles 0.5) when `scheduler.step()` follows
 * `optimizer.step()`, as in the original study:
 *
 * - warmup (`step < warmupSteps`): `lr * step / max(1, warmupSteps)` (so step 0 uses lr 0);
 * - cosine: `progress = (step - warmupSteps) / max(1, totalSteps - warmupSteps)` clamped
 *   to [0, 1], `factor = 0.5 * (1 + cos(pi * progress))`, lr = `minLr + (lr - minLr) * factor`
 *   (transformers' `cosine_with_min_lr` form; with minLr 0 it is the plain schedule);
 * - constant: `lr` after the warmup.
 */

/** Learning-rate schedule kinds. */
export type ScheduleKind = 'cosine' | 'constant';
export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['cosine', 'constant'];

/** What `lrAt` needs. */
export interface ScheduleConfig {
  schedule: ScheduleKind;
  /** Peak learning rate (after warmup). */
  lr: number;
  /** Final learning rate of the cosine schedule (0 in the original). */
  minLr: number;
  /** Linear warmup length in optimizer steps. */
  warmupSteps: number;
  /** Total optimizer steps of the run. */
  totalSteps: number;
}

/**
 * Warmup length from a fraction of the total steps: `floor(fraction * totalSteps)`
 * (Python's `int(0.1 * total)` in the original).
 */
export function warmupStepsFor(totalSteps: number, fraction: number): number {
  return Math.floor(fraction * totalSteps);
}

/** Learning rate of optimizer step `step` (0-based). Pure. */
export function lrAt(step: number, cfg: ScheduleConfig): number {
  const { lr, minLr, warmupSteps, totalSteps } = cfg;
  if (step < warmupSteps) return (lr * step) / Math.max(1, warmupSteps);
  if (cfg.schedule === 'constant') return lr;
  const progress = Math.min(1, Math.max(0, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps)));
  const factor = Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
  return minLr + (lr - minLr) * factor;
}
