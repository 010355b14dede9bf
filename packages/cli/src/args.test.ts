import { normalizeArgv, parseOptions, parseChoice, parseIntOption, splitList } from './args';
import { CliError } from './errors';

describe('original-study aliases', () => {
  it('rewrites option names', () => {
    expect(normalizeArgv(['--embed_size', '64', '--num_head=4', '--norm_mode', 'pre_norm', 'x'])).toEqual(['--embed-size', '64', '--num-heads=4', '--norm', 'pre_norm', 'x']);
  });
  it('maps values', () => {
    expect(parseChoice('train', 'pos-embed', 'no_pos', ['learnable', 'trigonometric', 'none'])).toBe('none');
    expect(parseChoice('train', 'norm', 'post_norm', ['pre', 'post', 'none'])).toBe('post');
    expect(parseChoice('train', 'softmax', 'off1', ['vanilla', 'off-by-one'])).toBe('off-by-one');
  });
});

describe('parse errors name the bad value and the valid ones', () => {
  const specs = { seed: { type: 'string' as const, help: 'seed' } };
  it('unknown option', () => {
    expect(() => parseOptions('train', ['--sead', '1'], specs)).toThrow("ihc train: unknown option '--sead'; valid options: --seed");
  });
  it('bad choice and integers', () => {
    expect(() => parseChoice('train', 'norm', 'mid', ['pre', 'post', 'none'])).toThrow("ihc train: --norm must be one of pre|post|none, got 'mid'");
    expect(() => parseIntOption('train', 'seed', '1.5', 0)).toThrow("ihc train: --seed must be an integer >= 0, got '1.5'");
    expect(() => splitList('sweep', 'seed', '1,,2')).toThrow(CliError);
  });
});
