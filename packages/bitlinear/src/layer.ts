/**
 * `@ihc/bitlinear/layer`: a Layers API `BitLinear` layer, a drop-in for
 * `tf.layers.dense` (no activation). Needs the optional peer `@tensorflow/tfjs-layers`.
 * Importing this module registers the class for `tf.loadLayersModel` (className
 * 'BitLinear', registered name 'ihc>BitLinear').
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ActivationScaling } from './activation-quantizer';
import { bitLinear, resolveBitLinearOptions } from './bit-linear';
import type { ResolvedBitLinearOptions, WeightBits } from './bit-linear';
import { BitLinearError, describeValue } from './errors';

type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;
type Kwargs = Parameters<tfl.layers.Layer['call']>[1];
/** A tfjs-layers initializer instance (e.g. `tf.initializers.glorotNormal({ seed: 1 })`). */
export type Initializer = ReturnType<typeof tfl.initializers.ones>;
/** An initializer, its name ('glorotNormal', 'glorot_normal', 'zeros', ...) or its serialised form. */
export type InitializerLike = Initializer | string | { className: string; config?: tf.serialization.ConfigDict };

export interface BitLinearLayerArgs extends LayerArgs {
  /** Output features. */
  units: number;
  /** Add a bias (default true). */
  useBias?: boolean;
  /** 1 (default): binary weights; 1.58: ternary weights. */
  weightBits?: WeightBits;
  /** 8 (default) or null (full-precision activations). */
  activationBits?: 8 | null;
  /** 'per-token' (default) or 'per-tensor'. */
  activationScaling?: ActivationScaling;
  /** LayerNorm epsilon (default 1e-5). */
  eps?: number;
  /** The 'frozen-sign' ablation: no gradient reaches the kernel. Default false. */
  frozen?: boolean;
  /** Default 'glorotNormal' (as tf.layers.dense). Pass a seeded instance for reproducibility. */
  kernelInitializer?: InitializerLike;
  /** Default 'zeros'. */
  biasInitializer?: InitializerLike;
  /** Input features; alternative to inputShape [inputDim]. */
  inputDim?: number;
}

const INITIALIZER_CLASSES = [
  'Zeros',
  'Ones',
  'Constant',
  'RandomUniform',
  'RandomNormal',
  'TruncatedNormal',
  'Identity',
  'VarianceScaling',
  'GlorotUniform',
  'GlorotNormal',
  'HeNormal',
  'HeUniform',
  'LeCunNormal',
  'LeCunUniform',
  'Orthogonal',
];

function isInitializer(value: unknown): value is Initializer {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { apply?: unknown }).apply === 'function' &&
    typeof (value as { getClassName?: unknown }).getClassName === 'function'
  );
}

/** Resolves an initializer given as an instance, a name, or `{ className, config }`. */
export function resolveInitializer(value: InitializerLike, what: string): Initializer {
  if (isInitializer(value)) return value;
  const name = typeof value === 'string' ? value : value?.className;
  const config = typeof value === 'string' ? {} : (value?.config ?? {});
  const key = typeof name === 'string' ? name.replace(/_/g, '').toLowerCase() : '';
  const className = INITIALIZER_CLASSES.find((c) => c.toLowerCase() === key);
  const entry = className ? tf.serialization.SerializationMap.getMap().classNameMap[className] : undefined;
  if (!entry) {
    throw new BitLinearError(
      'INVALID_OPTION',
      `${what} must be an initializer or one of ${INITIALIZER_CLASSES.map((c) => c[0].toLowerCase() + c.slice(1)).join(', ')}; got ${describeValue(name ?? value)}`,
    );
  }
  const [cls, fromConfig] = entry;
  return fromConfig(cls, config) as unknown as Initializer;
}

function serializeInitializer(init: Initializer): tf.serialization.ConfigDict {
  return { className: init.getClassName(), config: init.getConfig() };
}

/**
 * BitLinear as a Layers API layer: `y = Qa(LN(x)) @ Qw(kernel) + bias` with a
 * latent float kernel `[in, units]` trained through straight-through estimators
 * (see `bitLinear` in `@ihc/bitlinear`). Weights: `kernel`, `bias` (as Dense).
 */
export class BitLinear extends tfl.layers.Layer {
  /** @nocollapse */
  static className = 'BitLinear';

  readonly units: number;
  readonly useBias: boolean;
  readonly quantization: ResolvedBitLinearOptions;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  constructor(args: BitLinearLayerArgs) {
    if (args == null || typeof args !== 'object') {
      throw new BitLinearError('INVALID_OPTION', `BitLinear needs an args object with units; got ${describeValue(args)}`);
    }
    const { units, useBias, weightBits, activationBits, activationScaling, eps, frozen, kernelInitializer, biasInitializer, inputDim, ...layerArgs } = args;
    if (layerArgs.batchInputShape == null && layerArgs.inputShape == null && inputDim != null) {
      layerArgs.batchInputShape = [layerArgs.batchSize ?? null, inputDim];
    }
    super(layerArgs);
    if (!Number.isInteger(units) || units < 1) {
      throw new BitLinearError('INVALID_OPTION', `units must be a positive integer; got ${describeValue(units)}`);
    }
    if (useBias !== undefined && typeof useBias !== 'boolean') {
      throw new BitLinearError('INVALID_OPTION', `useBias must be one of true, false; got ${describeValue(useBias)}`);
    }
    this.units = units;
    this.useBias = useBias ?? true;
    this.quantization = resolveBitLinearOptions({
      weightBits: weightBits ?? 1,
      activationBits,
      activationScaling,
      eps,
      frozen,
    });
    this.kernelInitializer = resolveInitializer(kernelInitializer ?? 'glorotNormal', 'kernelInitializer');
    this.biasInitializer = resolveInitializer(biasInitializer ?? 'zeros', 'biasInitializer');
    this.inputSpec = [{ minNDim: 2 }];
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const inF = shape[shape.length - 1];
    if (typeof inF !== 'number') {
      throw new BitLinearError('BAD_SHAPE', `BitLinear needs a known last input axis; got input shape ${JSON.stringify(shape)}`);
    }
    if (this.kernel == null) {
      this.kernel = this.addWeight('kernel', [inF, this.units], 'float32', this.kernelInitializer, undefined, true);
      if (this.useBias) {
        this.bias = this.addWeight('bias', [this.units], 'float32', this.biasInitializer, undefined, true);
      }
    }
    this.inputSpec = [{ minNDim: 2, axes: { [-1]: inF } }];
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const out = shape.slice();
    out[out.length - 1] = this.units;
    return out;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      if (Array.isArray(inputs) && inputs.length !== 1) {
        throw new BitLinearError('BAD_SHAPE', `BitLinear takes exactly one input; got ${inputs.length}`);
      }
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (this.kernel == null) {
        throw new BitLinearError('BAD_VALUE', 'BitLinear was called before it was built');
      }
      const q = this.quantization;
      return bitLinear(x, this.kernel.read(), this.bias?.read(), {
        weightBits: q.weightBits,
        activationBits: q.activationBits,
        activationScaling: q.activationScaling,
        eps: q.eps,
        frozen: q.frozen,
      });
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const q = this.quantization;
    return {
      units: this.units,
      useBias: this.useBias,
      weightBits: q.weightBits,
      activationBits: q.activationBits,
      activationScaling: q.activationScaling,
      eps: q.eps,
      frozen: q.frozen,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      ...super.getConfig(),
    };
  }
}

tf.serialization.registerClass(BitLinear, 'ihc');

/** Factory in the style of `tf.layers.dense(args)`. */
export function bitLinearLayer(args: BitLinearLayerArgs): BitLinear {
  return new BitLinear(args);
}
