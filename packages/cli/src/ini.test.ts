import { parseIni } from './ini';
import { CliError } from './errors';

describe('parseIni', () => {
  it('reads sections, comments and both separators', () => {
    const ini = `; original config\n[model]\nembed_size = 64\nnum_head: 4 ; inline\n[train]\nlr = 3e-4\npos_embed = "no_pos"\n`;
    expect(parseIni(ini)).toEqual({ embed_size: '64', num_head: '4', lr: '3e-4', pos_embed: 'no_pos' });
  });
  it('names the bad line', () => {
    expect(() => parseIni('[a]\nnot a pair\n', 'x.ini')).toThrow(new CliError("x.ini:2: expected 'key = value', got 'not a pair'"));
    expect(() => parseIni('[a\n', 'x.ini')).toThrow(/malformed section/);
  });
});
