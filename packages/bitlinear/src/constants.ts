/** Added to mean|W| before dividing in the ternary quantiser (b1.58). */
export const TERNARY_EPS = 1e-8;
/** Lower bound of gamma (max|x|), as `clamp_(min=1e-5)` in the BitNet reference code. */
export const ACTIVATION_EPS = 1e-5;
/** LayerNorm epsilon (torch.nn.LayerNorm's default). */
export const LAYER_NORM_EPS = 1e-5;
/** Largest positive 8-bit level; activations map to clip(round(x * 127 / gamma), -128, 127). */
export const ACTIVATION_QMAX = 127;
export const ACTIVATION_QMIN = -128;

export type ActivationScaling = 'per-token' | 'per-tensor';
export const ACTIVATION_SCALINGS: readonly ActivationScaling[] = ['per-token', 'per-tensor'];
export const ACTIVATION_BITS: readonly number[] = [8];
