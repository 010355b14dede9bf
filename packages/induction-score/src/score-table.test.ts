import { inductionScores } from './induction-scores';
import { parseRunScores } from './run-scores';
import { DEFINITION_DESCRIPTIONS, toScoreTable } from './score-table';
import { buildAttention, makeRun, thrown, uniformRow } from './test-fixtures';

describe('toScoreTable', () => {
  it('turns a layered result into a row-major table that parseRunScores accepts', () => {
    const att = buildAttention({ layers: 2, batch: 3, heads: 2, length: 4 }, (_l, _b, _h, t) => uniformRow(t, 4));
    const r = inductionScores(att, { definition: 'target', queryPos: [3, 3, 3], keyPos: [1, 1, 1] });
    const table = toScoreTable(r);
    expect(table).toEqual({
      definition: 'target',
      layers: 2,
      heads: 2,
      values: [0.25, 0.25, 0.25, 0.25],
      sampleCount: 3,
      description: DEFINITION_DESCRIPTIONS.target,
    });
    const run = makeRun();
    run.splits.train.scores.target = table;
    expect(parseRunScores(run).splits.train.scores.target).toEqual(table);
  });

  it('uses one layer for rank-4 results and a custom description', () => {
    const att = buildAttention({ batch: 1, heads: 3, length: 4 }, (_l, _b, _h, t) => uniformRow(t, 4));
    const table = toScoreTable(inductionScores(att, { definition: 'stripe', period: 2 }), 'rrt');
    expect(table).toMatchObject({ definition: 'stripe', layers: 1, heads: 3, description: 'rrt' });
    expect(table.values).toHaveLength(3);
  });

  it('rejects something that is not a result', () => {
    expect(thrown(() => toScoreTable({ shape: [1, 2, 3] } as never)).code).toBe('BAD_SHAPE');
  });
});
