import { PROJECTIONS, biasName, kernelName, type ModelConfig } from '@ihc/model';

/**
 * Parameter names in the order the native step takes them: `tok_embed`, `pos_embed`
 * (learnable positions only), `ln.gamma`, `ln.beta` (unless norm is none), then per layer
 * `q.kernel, q.bias, k.kernel, k.bias, v.kernel, v.bias, o.kernel, o.bias`, then
 * `unembed.kernel`. Every name of `paramShapes(config)` appears once.
 */
export function paramOrder(config: ModelConfig): string[] {
  const names = ['tok_embed'];
  if (config.posEmbed === 'learnable') names.push('pos_embed');
  if (config.norm !== 'none') names.push('ln.gamma', 'ln.beta');
  for (let layer = 0; layer < config.numLayers; layer++) {
    for (const p of PROJECTIONS) names.push(kernelName(layer, p), biasName(layer, p));
  }
  names.push('unembed.kernel');
  return names;
}
