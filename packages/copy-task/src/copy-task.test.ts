import { generateCopyTask, type CopyTaskSplit } from './copy-task';
import { CopyTaskError } from './errors';

const row = (a: Int32Array, i: number, width: number) => a.subarray(i * width, (i + 1) * width);

/** Checks every structural property of a split. */
function checkStructure(split: CopyTaskSplit, vocabLength: number, prefixLength: number): void {
  const L = split.seqLength;
  const T = L - 1;
  const ind = vocabLength;
  const problems: string[] = [];
  expect(split.tokens).toHaveLength(split.count * L);
  expect(split.inputs).toHaveLength(split.count * T);
  expect(split.labels).toHaveLength(split.count * T);
  expect(split.queryPos).toHaveLength(split.count);
  expect(split.keyPos).toHaveLength(split.count);
  for (let i = 0; i < split.count; i++) {
    const tok = row(split.tokens, i, L);
    const inp = row(split.inputs, i, T);
    const lab = row(split.labels, i, T);
    const pre = split.keyPos[i] - 1;
    const where = `row ${i}`;
    if (pre < 0 || pre > prefixLength - 1) problems.push(`${where}: len(pre) ${pre}`);
    if (split.queryPos[i] !== L - 2) problems.push(`${where}: queryPos`);
    if (tok[pre] !== ind || tok[L - 2] !== ind) problems.push(`${where}: '&' positions`);
    for (let j = 0; j < L; j++) {
      if (j !== pre && j !== L - 2 && !(tok[j] >= 0 && tok[j] < vocabLength)) problems.push(`${where}: token ${j}`);
    }
    if (tok[split.keyPos[i]] !== tok[L - 1]) problems.push(`${where}: m`);
    if (inp[split.queryPos[i]] !== ind) problems.push(`${where}: inputs[queryPos]`);
    if (lab[T - 1] !== tok[split.keyPos[i]]) problems.push(`${where}: last label`);
    for (let j = 0; j < T; j++) {
      if (inp[j] !== tok[j] || lab[j] !== tok[j + 1]) problems.push(`${where}: shift at ${j}`);
    }
  }
  expect(problems.slice(0, 5)).toEqual([]);
}

describe('generateCopyTask with defaults (the original recipe)', () => {
  const ct = generateCopyTask();

  it('has the original shapes and options', () => {
    expect(ct.train.count).toBe(5500);
    expect(ct.eval.count).toBe(500);
    expect(ct.train.seqLength).toBe(30);
    expect(ct.train.tokens).toBeInstanceOf(Int32Array);
    expect(ct.train.tokens).toHaveLength(5500 * 30);
    expect(ct.train.inputs).toHaveLength(5500 * 29);
    expect(ct.eval.labels).toHaveLength(500 * 29);
    expect(ct.tokenizer.vocabSize).toBe(27);
    expect(ct.tokenizer.inductionId).toBe(26);
    expect(ct.options).toMatchObject({ seed: 0, count: 6000, trainSize: 5500, evalSize: 500 });
  });

  it('every sentence is pre + [&, m] + noise + [&, m]', () => {
    checkStructure(ct.train, 26, 4);
    checkStructure(ct.eval, 26, 4);
  });

  it('has & exactly twice per sentence', () => {
    let bad = 0;
    for (let i = 0; i < 6000; i++) {
      const split = i < 5500 ? ct.train : ct.eval;
      const r = row(split.tokens, i < 5500 ? i : i - 5500, 30);
      if (r.filter((x) => x === 26).length !== 2) bad++;
    }
    expect(bad).toBe(0);
  });

  it('golden: the first sentences of the default dataset', () => {
    const dec = (split: CopyTaskSplit, i: number) => ct.tokenizer.decode(row(split.tokens, i, 30));
    expect([0, 1, 2, 3].map((i) => dec(ct.train, i))).toEqual([
      'd&rrpjwjrxceyaxxdcrvlluzwffj&r',
      'zn&vunfqppsqxjsjsecrkbeuurre&v',
      '&ueboxspmnyqryvapuslmqyarvxr&u',
      'x&nviysqvdvzyrvxauwshfmruvco&n',
    ]);
    expect(Array.from(ct.train.keyPos.subarray(0, 4))).toEqual([2, 3, 1, 2]);
    expect(dec(ct.eval, 0)).toBe('yb&kkxbfwkxtfyrpkruywlusfhek&k');
    expect(dec(ct.eval, 499)).toBe('y&aqrrdysulnylexwvxultgxceun&a');
  });

  it('draws len(pre) over 0..3 and m over all 26 letters', () => {
    const pre = new Set(Array.from(ct.train.keyPos, (k) => k - 1));
    expect([...pre].sort()).toEqual([0, 1, 2, 3]);
    const ms = new Set<number>();
    for (let i = 0; i < ct.train.count; i++) ms.add(ct.train.tokens[i * 30 + 29]);
    expect(ms.size).toBe(26);
  });
});

describe('generateCopyTask options', () => {
  it('is deterministic per seed; different seeds differ', () => {
    const a = generateCopyTask({ seed: 5, count: 50 });
    const b = generateCopyTask({ seed: 5, count: 50 });
    const c = generateCopyTask({ seed: 6, count: 50 });
    expect(a.train.tokens).toEqual(b.train.tokens);
    expect(a.eval.tokens).toEqual(b.eval.tokens);
    expect(a.train.tokens).not.toEqual(c.train.tokens);
  });

  it('trainSize only moves the split point, never the sentences', () => {
    const a = generateCopyTask({ count: 40, trainSize: 30 });
    const b = generateCopyTask({ count: 40, trainSize: 10 });
    const all = (x: typeof a) => Int32Array.from([...x.train.tokens, ...x.eval.tokens]);
    expect(all(a)).toEqual(all(b));
    expect(b.train.count).toBe(10);
    expect(b.eval.count).toBe(30);
  });

  it('the first sentences do not depend on count', () => {
    const a = generateCopyTask({ count: 20 });
    const b = generateCopyTask();
    expect(a.train.tokens.subarray(0, 18 * 30)).toEqual(b.train.tokens.subarray(0, 18 * 30));
  });

  it('honours seqLength, prefixLength, vocabulary and inductionToken', () => {
    const ct = generateCopyTask({
      seed: 3,
      count: 300,
      trainSize: 200,
      seqLength: 12,
      prefixLength: 9,
      vocabulary: ['0', '1', '2'],
      inductionToken: '=',
    });
    expect(ct.tokenizer.symbols.join('')).toBe('012=');
    expect(ct.train.seqLength).toBe(12);
    checkStructure(ct.train, 3, 9);
    checkStructure(ct.eval, 3, 9);
    const pre = new Set(Array.from(ct.train.keyPos, (k) => k - 1));
    expect(Math.max(...pre)).toBe(8); // the longest prefix leaves no noise
    const s = ct.tokenizer.decode(ct.train.tokens.subarray(0, 12));
    expect(s).toMatch(/^[012]*=[012][012]*=[012]$/);
  });

  it('allows an empty eval split', () => {
    const ct = generateCopyTask({ count: 5, trainSize: 5 });
    expect(ct.eval.count).toBe(0);
    expect(ct.eval.tokens).toHaveLength(0);
    expect(ct.eval.inputs).toHaveLength(0);
  });

  it('splits own their arrays', () => {
    const ct = generateCopyTask({ count: 10 });
    expect(ct.train.tokens.buffer).not.toBe(ct.eval.tokens.buffer);
  });

  it('throws CopyTaskError for bad options', () => {
    expect(() => generateCopyTask({ prefixLength: 30 })).toThrow(CopyTaskError);
    expect(() => generateCopyTask({ trainSize: 7000 })).toThrow(/Invalid trainSize: got 7000/);
  });
});
