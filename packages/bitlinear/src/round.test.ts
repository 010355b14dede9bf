import { roundHalfEven } from './round';

describe('roundHalfEven', () => {
  it('rounds ties to the even neighbour, like tf.round and torch.round', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 62.5].map((v) => roundHalfEven(v) + 0)).toEqual([
      0, 2, 2, 4, 0, -2, -2, 62,
    ]);
  });

  it('rounds everything else to the nearest integer', () => {
    expect([0.49999997, 0.5000001, -0.7, 1.2, 127, -128].map(roundHalfEven)).toEqual([0, 1, -1, 1, 127, -128]);
  });
});
