/**
 * A WebAssembly SIMD kernel for "one int16 query against many int8 rows": the scan of {@link Int8Corpus}. A row of
 * 384 int8 codes is a quarter of its float32 bytes, and the scan is bound by memory bandwidth, so it runs about
 * four times faster than the float32 kernel over the same rows (docs/benchmarks.md). Each row's exact integer dot
 * is converted to float32 and multiplied by the row's weight, so the caller's per-row selection reads one number.
 *
 * Assembled from its opcodes like simdDotKernel. Its text form:
 *
 *   (module
 *     (import "env" "memory" (memory 1))            ;; or (memory 1 65536 shared) for worker threads
 *     (func (export "dots8") (param $q i32) (param $c i32) (param $n i32) (param $rowBytes i32) (param $w i32)
 *                            (param $out i32)
 *       (local $rowEnd i32) (local $qp i32) (local $cEnd i32) (local $a v128) (local $b v128) (local $x v128)
 *       (local.set $cEnd (i32.add (local.get $c) (i32.mul (local.get $n) (local.get $rowBytes))))
 *       (block $done (loop $rows
 *         (br_if $done (i32.ge_u (local.get $c) (local.get $cEnd)))
 *         (local.set $a (v128.const i32x4 0 0 0 0)) (local.set $b (v128.const i32x4 0 0 0 0))
 *         (local.set $qp (local.get $q))
 *         (local.set $rowEnd (i32.add (local.get $c) (local.get $rowBytes)))
 *         (loop $k
 *           (local.set $x (v128.load (local.get $c)))
 *           (local.set $a (i32x4.add (local.get $a)
 *             (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $x)) (v128.load (local.get $qp)))))
 *           (local.set $b (i32x4.add (local.get $b)
 *             (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $x)) (v128.load offset=16 (local.get $qp)))))
 *           (local.set $qp (i32.add (local.get $qp) (i32.const 32)))
 *           (local.set $c (i32.add (local.get $c) (i32.const 16)))
 *           (br_if $k (i32.lt_u (local.get $c) (local.get $rowEnd))))
 *         (local.set $a (i32x4.add (local.get $a) (local.get $b)))
 *         (f32.store (local.get $out) (f32.mul (f32.load (local.get $w)) (f32.convert_i32_s
 *           (i32.add (i32.add (i32x4.extract_lane 0 (local.get $a)) (i32x4.extract_lane 1 (local.get $a)))
 *                    (i32.add (i32x4.extract_lane 2 (local.get $a)) (i32x4.extract_lane 3 (local.get $a)))))))
 *         (local.set $w (i32.add (local.get $w) (i32.const 4)))
 *         (local.set $out (i32.add (local.get $out) (i32.const 4)))
 *         (br $rows))))
 *
 * Rows are a multiple of 16 bytes (codes padded with zeros); the query holds one int16 per code, padded alike.
 * Integer sums are exact as long as dim * 127 * max|query| < 2^31, which the caller guarantees by its query scale.
 */

import { compileOrNull, I32, kernelModuleBytes, OP, simd, V128, V128_ZERO } from './wasmBytes';

const { get: GET, set: SET, i32Const: I32_CONST, i32Add: I32_ADD, i32Mul: I32_MUL } = OP;
const V128_LOAD = simd(0x00);
const I16X8_EXTEND_LOW_I8X16_S = simd(0x87);
const I16X8_EXTEND_HIGH_I8X16_S = simd(0x88);
const I32X4_DOT_I16X8_S = simd(0xba);
const I32X4_ADD = simd(0xae);
const I32X4_EXTRACT = simd(0x1b);

const [Q, C, N, ROW_BYTES, W, OUT, ROW_END, QP, C_END, A, B, X] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

/** Bytes of one int8 row in the kernel's layout: the dimension rounded up to 16. */
export function paddedRowBytes(dim: number): number {
  return (dim + 15) & ~15;
}

function moduleBytes(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const load = (local: number, offset: number) => [GET, local, ...V128_LOAD, 4, offset];
  const lane = (i: number) => [GET, A, ...I32X4_EXTRACT, i];
  const code = [
    GET,
    C,
    GET,
    N,
    GET,
    ROW_BYTES,
    I32_MUL,
    I32_ADD,
    SET,
    C_END,
    OP.block,
    OP.void, // $done
    OP.loop,
    OP.void, // $rows
    GET,
    C,
    GET,
    C_END,
    OP.i32GeU,
    OP.brIf,
    1, // br_if $done
    ...V128_ZERO,
    SET,
    A,
    ...V128_ZERO,
    SET,
    B,
    GET,
    Q,
    SET,
    QP,
    GET,
    C,
    GET,
    ROW_BYTES,
    I32_ADD,
    SET,
    ROW_END,
    OP.loop,
    OP.void, // $k
    ...load(C, 0),
    SET,
    X,
    GET,
    A,
    GET,
    X,
    ...I16X8_EXTEND_LOW_I8X16_S,
    ...load(QP, 0),
    ...I32X4_DOT_I16X8_S,
    ...I32X4_ADD,
    SET,
    A,
    GET,
    B,
    GET,
    X,
    ...I16X8_EXTEND_HIGH_I8X16_S,
    ...load(QP, 16),
    ...I32X4_DOT_I16X8_S,
    ...I32X4_ADD,
    SET,
    B,
    GET,
    QP,
    I32_CONST,
    32,
    I32_ADD,
    SET,
    QP,
    GET,
    C,
    I32_CONST,
    16,
    I32_ADD,
    SET,
    C,
    GET,
    C,
    GET,
    ROW_END,
    OP.i32LtU,
    OP.brIf,
    0, // br_if $k
    OP.end, // $k
    GET,
    A,
    GET,
    B,
    ...I32X4_ADD,
    SET,
    A,
    GET,
    OUT,
    GET,
    W,
    0x2a,
    2,
    0, // f32.load align=4 offset=0
    ...lane(0),
    ...lane(1),
    I32_ADD,
    ...lane(2),
    ...lane(3),
    I32_ADD,
    I32_ADD,
    0xb2, // f32.convert_i32_s
    0x94, // f32.mul
    0x38,
    2,
    0, // f32.store align=4 offset=0
    GET,
    W,
    I32_CONST,
    4,
    I32_ADD,
    SET,
    W,
    GET,
    OUT,
    I32_CONST,
    4,
    I32_ADD,
    SET,
    OUT,
    OP.br,
    0, // $rows
    OP.end, // $rows
    OP.end, // $done
  ];
  return kernelModuleBytes({
    params: [I32, I32, I32, I32, I32, I32],
    locals: [
      [3, I32],
      [3, V128],
    ],
    code,
    exportName: 'dots8',
    sharedMemory,
  });
}

/** dots8(queryByte, rowsByte, rowCount, rowBytes, weightsByte, outByte): float32(dot) · weight per row at `outByte`. */
export type Int8DotsFunction = (queryByte: number, rowsByte: number, rowCount: number, rowBytes: number, weightsByte: number, outByte: number) => void;

const compiled = new Map<boolean, WebAssembly.Module | null>();

/** The compiled kernel for a shared or a plain memory, or null when this host has no WebAssembly SIMD. */
export function int8DotsModule(sharedMemory: boolean): WebAssembly.Module | null {
  if (!compiled.has(sharedMemory)) compiled.set(sharedMemory, compileOrNull(moduleBytes(sharedMemory)));
  return compiled.get(sharedMemory)!;
}

/** `dots8` of `module` bound to `memory`. */
export function int8Dots(module: WebAssembly.Module, memory: WebAssembly.Memory): Int8DotsFunction {
  return new WebAssembly.Instance(module, { env: { memory } }).exports.dots8 as Int8DotsFunction;
}

/** The same in JavaScript, for hosts without WebAssembly SIMD: the same float32 roundings, so the same values. */
export function int8DotsInJavaScript(
  query: Int16Array,
  codes: Int8Array,
  start: number,
  n: number,
  rowBytes: number,
  weights: Float32Array,
  out: Float32Array,
): void {
  for (let r = 0; r < n; r++) {
    const o = (start + r) * rowBytes;
    let s = 0;
    for (let k = 0; k < rowBytes; k++) s += query[k] * codes[o + k];
    out[r] = Math.fround(s) * weights[start + r];
  }
}

/** @internal for tests: the module's bytes. */
export const int8KernelBytes = moduleBytes;
