/**
 * The activations a Dense module may name, as torch computes them. sentence-transformers 6.2.0 instantiates any
 * `torch.*` module class named in `<idx>_Dense/config.json` with no arguments (base/modules/dense.py `load`), so
 * each is the class's default: LeakyReLU's slope 0.01, ELU's and CELU's alpha 1, Softplus' beta 1 and threshold 20,
 * GELU exact (erf, not the tanh approximation).
 */
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

const softplus = (x: number) => (x > 20 ? x : Math.log1p(Math.exp(x)));
const relu6 = (x: number) => Math.min(Math.max(x, 0), 6);
const elu = (x: number) => (x > 0 ? x : Math.expm1(x));

/** torch.nn class name → lower-case name the engine reports, and the function. */
export const DENSE_ACTIVATIONS = {
  Identity: { name: 'identity', apply: (x: number) => x },
  Tanh: { name: 'tanh', apply: Math.tanh },
  ReLU: { name: 'relu', apply: (x: number) => Math.max(0, x) },
  Sigmoid: { name: 'sigmoid', apply: (x: number) => 1 / (1 + Math.exp(-x)) },
  GELU: { name: 'gelu', apply: (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2)) },
  SiLU: { name: 'silu', apply: (x: number) => x / (1 + Math.exp(-x)) },
  Mish: { name: 'mish', apply: (x: number) => x * Math.tanh(softplus(x)) },
  LeakyReLU: { name: 'leakyrelu', apply: (x: number) => (x >= 0 ? x : 0.01 * x) },
  ELU: { name: 'elu', apply: elu },
  CELU: { name: 'celu', apply: elu },
  SELU: { name: 'selu', apply: (x: number) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)) },
  Softplus: { name: 'softplus', apply: softplus },
  Softsign: { name: 'softsign', apply: (x: number) => x / (1 + Math.abs(x)) },
  Hardtanh: { name: 'hardtanh', apply: (x: number) => Math.min(Math.max(x, -1), 1) },
  Hardswish: { name: 'hardswish', apply: (x: number) => (x * relu6(x + 3)) / 6 },
  Hardsigmoid: { name: 'hardsigmoid', apply: (x: number) => relu6(x + 3) / 6 },
  ReLU6: { name: 'relu6', apply: relu6 },
  LogSigmoid: { name: 'logsigmoid', apply: (x: number) => -softplus(-x) },
  Tanhshrink: { name: 'tanhshrink', apply: (x: number) => x - Math.tanh(x) },
} as const satisfies Record<string, { name: string; apply: (x: number) => number }>;

export type DenseActivationClass = keyof typeof DENSE_ACTIVATIONS;
export type DenseActivation = (typeof DENSE_ACTIVATIONS)[DenseActivationClass]['name'];

const BY_NAME = new Map<string, (x: number) => number>(Object.values(DENSE_ACTIVATIONS).map((a) => [a.name, a.apply]));

export function applyActivation(activation: DenseActivation, x: number): number {
  return BY_NAME.get(activation)!(x);
}

/**
 * The error function, from the complementary one of Numerical Recipes (`erfcc`, Chebyshev fit, fractional error
 * below 1.2e-7 everywhere): GELU's value then stays within float32 rounding of torch's.
 */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const tail =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - tail : tail - 1;
}
