import { batchCount, batchIterator, epochPermutation } from './batches';
import { generateCopyTask, type CopyTaskSplit } from './copy-task';
import { CopyTaskError } from './errors';

const { train } = generateCopyTask({ count: 110, trainSize: 100, seed: 1 });

function isPermutation(order: ArrayLike<number>, n: number): boolean {
  if (order.length !== n) return false;
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = order[i];
    if (!(k >= 0 && k < n) || seen[k]) return false;
    seen[k] = 1;
  }
  return true;
}

describe('epochPermutation', () => {
  it('golden: Fisher-Yates with createPrng(deriveSeed(seed, epoch))', () => {
    expect(Array.from(epochPermutation(10, 0, 0))).toEqual([3, 1, 9, 4, 7, 2, 0, 5, 8, 6]);
    expect(Array.from(epochPermutation(10, 0, 1))).toEqual([9, 2, 3, 1, 6, 0, 7, 4, 5, 8]);
  });
  it('is a permutation, fixed per (seed, epoch), different across epochs and seeds', () => {
    const p = epochPermutation(500, 4, 7);
    expect(isPermutation(p, 500)).toBe(true);
    expect(epochPermutation(500, 4, 7)).toEqual(p);
    expect(epochPermutation(500, 4, 8)).not.toEqual(p);
    expect(epochPermutation(500, 5, 7)).not.toEqual(p);
    expect(epochPermutation(0, 1)).toHaveLength(0);
    expect(Array.from(epochPermutation(1, 1))).toEqual([0]);
  });
  it('rejects bad arguments', () => {
    expect(() => epochPermutation(-1, 0)).toThrow(/Invalid count/);
    expect(() => epochPermutation(3, -1)).toThrow(/Invalid seed/);
    expect(() => epochPermutation(3, 0, 1.5)).toThrow(/Invalid epoch/);
  });
});

describe('batchCount', () => {
  it('counts with and without dropLast', () => {
    expect(batchCount(100, 32)).toBe(3);
    expect(batchCount(100, 32, false)).toBe(4);
    expect(batchCount(96, 32, false)).toBe(3);
    expect(batchCount(10, 32)).toBe(0);
    expect(() => batchCount(10, 0)).toThrow(/Invalid batchSize/);
  });
});

describe('batchIterator', () => {
  it('yields batches whose rows are the split rows at `indices`', () => {
    const it = batchIterator(train, { batchSize: 16, seed: 3 });
    const batches = [...it];
    expect(batches).toHaveLength(6);
    expect(it.batchCount).toBe(6);
    let mismatches = 0;
    for (const b of batches) {
      expect(b.size).toBe(16);
      expect(b.inputLength).toBe(29);
      expect(b.inputs).toBeInstanceOf(Int32Array);
      expect(b.inputs).toHaveLength(16 * 29);
      expect(b.labels).toHaveLength(16 * 29);
      expect(b.queryPos).toHaveLength(16);
      expect(b.keyPos).toHaveLength(16);
      expect(b.indices).toHaveLength(16);
      for (let r = 0; r < b.size; r++) {
        const i = b.indices[r];
        const same = (x: Int32Array, y: Int32Array) =>
          x.subarray(r * 29, r * 29 + 29).every((v, j) => v === y[i * 29 + j]);
        if (!same(b.inputs, train.inputs) || !same(b.labels, train.labels)) mismatches++;
        if (b.queryPos[r] !== train.queryPos[i] || b.keyPos[r] !== train.keyPos[i]) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('dropLast (default) covers floor(n/b)*b distinct indices; without it every index once', () => {
    const dropped = [...batchIterator(train, { batchSize: 16, seed: 3 })];
    const seen = dropped.flatMap((b) => Array.from(b.indices));
    expect(seen).toHaveLength(96);
    expect(new Set(seen).size).toBe(96);

    const full = [...batchIterator(train, { batchSize: 16, seed: 3, dropLast: false })];
    expect(full).toHaveLength(7);
    expect(full[6].size).toBe(4);
    expect(full[6].inputs).toHaveLength(4 * 29);
    const all = full.flatMap((b) => Array.from(b.indices));
    expect(isPermutation(all, 100)).toBe(true);
  });

  it('follows epochPermutation(count, seed, epoch) and is re-iterable', () => {
    const it = batchIterator(train, { batchSize: 10, seed: 8, epoch: 3 });
    const order = [...it].flatMap((b) => Array.from(b.indices));
    expect(order).toEqual(Array.from(epochPermutation(100, 8, 3)));
    expect(Array.from(it.order)).toEqual(order);
    expect([...it].flatMap((b) => Array.from(b.indices))).toEqual(order);
    const other = [...batchIterator(train, { batchSize: 10, seed: 8, epoch: 4 })];
    expect(other.flatMap((b) => Array.from(b.indices))).not.toEqual(order);
    const epoch0 = [...batchIterator(train, { batchSize: 10, seed: 8 })];
    expect(epoch0.flatMap((b) => Array.from(b.indices))).toEqual(Array.from(epochPermutation(100, 8, 0)));
  });

  it('keeps the split order without shuffle (seed optional)', () => {
    const b = [...batchIterator(train, { batchSize: 30, shuffle: false, dropLast: false })];
    expect(b.flatMap((x) => Array.from(x.indices))).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(b[0].inputs).toEqual(train.inputs.subarray(0, 30 * 29));
  });

  it('yields nothing when the split is smaller than a batch and dropLast is on', () => {
    expect([...batchIterator(train, { batchSize: 101, seed: 0 })]).toHaveLength(0);
    const one = [...batchIterator(train, { batchSize: 101, seed: 0, dropLast: false })];
    expect(one).toHaveLength(1);
    expect(one[0].size).toBe(100);
  });

  it('batches own their arrays', () => {
    const [b] = batchIterator(train, { batchSize: 4, seed: 0 });
    const before = train.inputs[b.indices[0] * 29];
    b.inputs[0] = -5;
    expect(train.inputs[b.indices[0] * 29]).toBe(before);
  });

  it('throws CopyTaskError for bad options', () => {
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as CopyTaskError;
      }
      throw new Error('no error');
    };
    let e = err(() => batchIterator(train, { batchSize: 0, seed: 1 }));
    expect(e).toBeInstanceOf(CopyTaskError);
    expect(e.option).toBe('batchSize');
    expect(e.message).toBe('Invalid batchSize: got 0; expected an integer >= 1.');
    e = err(() => batchIterator(train, { batchSize: 2.5, seed: 1 }));
    expect(e.option).toBe('batchSize');
    e = err(() => batchIterator(train, { batchSize: 4 }));
    expect(e.option).toBe('seed');
    expect(e.message).toMatch(/required when shuffle is true/);
    e = err(() => batchIterator(train, { batchSize: 4, seed: -2 }));
    expect(e.option).toBe('seed');
    e = err(() => batchIterator(train, { batchSize: 4, seed: 1, epoch: -1 }));
    expect(e.option).toBe('epoch');
    e = err(() => batchIterator(train, { batchSize: 4, seed: 1, shuffle: 'yes' as unknown as boolean }));
    expect(e.option).toBe('shuffle');
    e = err(() => batchIterator(train, { batchSize: 4, seed: 1, dropLast: 0 as unknown as boolean }));
    expect(e.option).toBe('dropLast');
    e = err(() => batchIterator(train, { batchSize: 4, seed: 1, size: 3 } as never));
    expect(e.option).toBe('size');
    e = err(() => batchIterator(train, undefined as never));
    expect(e.option).toBe('options');
    e = err(() => batchIterator({ ...train, inputs: new Int32Array(3) } as CopyTaskSplit, { batchSize: 4, seed: 1 }));
    expect(e.option).toBe('split');
    e = err(() => batchIterator(null as never, { batchSize: 4, seed: 1 }));
    expect(e.option).toBe('split');
  });
});
