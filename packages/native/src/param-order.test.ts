import { paramShapes, resolveModelConfig } from '@ihc/model';
import { paramOrder } from './param-order';

describe('paramOrder', () => {
  it.each([
    [{}],
    [{ posEmbed: 'trigonometric' as const, norm: 'none' as const }],
    [{ posEmbed: 'none' as const, norm: 'post' as const, numLayers: 3 }],
  ])('lists every parameter of %j once, embeddings first, unembedding last', (partial) => {
    const config = resolveModelConfig(partial);
    const order = paramOrder(config);
    expect([...order].sort()).toEqual(Object.keys(paramShapes(config)).sort());
    expect(order[0]).toBe('tok_embed');
    expect(order[order.length - 1]).toBe('unembed.kernel');
    expect(order.indexOf('layers.0.attn.q.kernel') + 1).toBe(order.indexOf('layers.0.attn.q.bias'));
    expect(order.indexOf('layers.0.attn.o.bias') + 1).toBe(order.indexOf('layers.1.attn.q.kernel'));
  });
});
