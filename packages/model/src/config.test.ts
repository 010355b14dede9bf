import {
  ACTIVATION_BITS,
  ACTIVATION_SCALINGS,
  NORM_MODES,
  POS_EMBEDS,
  POS_INITS,
  PRECISIONS,
  SOFTMAX_MODES,
  defaultModelConfig,
  headSize,
  resolveModelConfig,
  type ModelConfig,
} from './config';
import { ModelConfigError, ModelError } from './errors';

function catchError(fn: () => unknown): ModelConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelConfigError);
    expect(e).toBeInstanceOf(ModelError);
    return e as ModelConfigError;
  }
  throw new Error('expected a ModelConfigError');
}

describe('resolveModelConfig', () => {
  it('fills defaults (the study sizes: V 27, T 29, 2 layers, initStd 0.02)', () => {
    const c = resolveModelConfig();
    expect(c).toEqual(defaultModelConfig);
    expect(c.vocabSize).toBe(27);
    expect(c.maxSeqLength).toBe(29);
    expect(c.numLayers).toBe(2);
    expect(c.initStd).toBe(0.02);
    expect(c).not.toBe(defaultModelConfig);
  });

  it('keeps given values and ignores undefined ones', () => {
    const c = resolveModelConfig({ embedSize: 128, numHeads: 8, norm: 'none', precision: '1.58bit', activationBits: null, posEmbed: undefined });
    expect(c.embedSize).toBe(128);
    expect(headSize(c)).toBe(16);
    expect(c.norm).toBe('none');
    expect(c.precision).toBe('1.58bit');
    expect(c.activationBits).toBeNull();
    expect(c.posEmbed).toBe(defaultModelConfig.posEmbed);
  });

  it('is idempotent on a resolved config', () => {
    const c = resolveModelConfig({ embedSize: 16, numHeads: 2 });
    expect(resolveModelConfig(c)).toEqual(c);
  });

  it.each(['vocabSize', 'maxSeqLength', 'embedSize', 'numHeads', 'numLayers'] as const)(
    '%s must be a positive integer',
    (option) => {
      for (const bad of [0, -1, 1.5, Number.NaN, '4', null]) {
        const e = catchError(() => resolveModelConfig({ [option]: bad } as unknown as Partial<ModelConfig>));
        expect(e.code).toBe('INVALID_CONFIG');
        expect(e.option).toBe(option);
        expect(e.value).toBe(bad);
        expect(e.message).toContain(option);
        expect(e.message).toContain('positive integer');
      }
    },
  );

  it.each([
    ['posEmbed', POS_EMBEDS, 'sinusoidal'],
    ['posInit', POS_INITS, 'zeros'],
    ['norm', NORM_MODES, 'pre-norm'],
    ['softmax', SOFTMAX_MODES, 'offbyone'],
    ['precision', PRECISIONS, '1-bit'],
    ['activationBits', ACTIVATION_BITS, 4],
    ['activationScaling', ACTIVATION_SCALINGS, 'per-row'],
  ] as const)('%s rejects unknown values and lists the valid ones', (option, valid, bad) => {
    const e = catchError(() => resolveModelConfig({ [option]: bad } as unknown as Partial<ModelConfig>));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.option).toBe(option);
    expect(e.value).toBe(bad);
    expect(e.message).toContain(JSON.stringify(bad));
    for (const v of valid) expect(e.message).toContain(JSON.stringify(v));
    for (const v of valid) expect(resolveModelConfig({ [option]: v } as Partial<ModelConfig>)[option]).toBe(v);
  });

  it('initStd must be a finite positive number', () => {
    for (const bad of [0, -0.02, Number.POSITIVE_INFINITY, Number.NaN, '0.02']) {
      const e = catchError(() => resolveModelConfig({ initStd: bad } as unknown as Partial<ModelConfig>));
      expect(e.option).toBe('initStd');
    }
    expect(resolveModelConfig({ initStd: 1 }).initStd).toBe(1);
  });

  it('embedSize must be divisible by numHeads, and the message lists valid head counts', () => {
    const e = catchError(() => resolveModelConfig({ embedSize: 12, numHeads: 5 }));
    expect(e.option).toBe('numHeads');
    expect(e.value).toBe(5);
    expect(e.message).toContain('12');
    expect(e.message).toContain('1, 2, 3, 4, 6, 12');
  });

  it('rejects unknown option names, listing the valid ones', () => {
    const e = catchError(() => resolveModelConfig({ heads: 4 } as unknown as Partial<ModelConfig>));
    expect(e.option).toBe('heads');
    expect(e.value).toBe(4);
    expect(e.message).toContain('numHeads');
  });

  it('rejects a non-object config', () => {
    for (const bad of [null, 3, [1]]) {
      const e = catchError(() => resolveModelConfig(bad as unknown as Partial<ModelConfig>));
      expect(e.option).toBe('config');
    }
  });
});
