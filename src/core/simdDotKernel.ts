/**
 * A WebAssembly SIMD kernel for "one query against many rows" dot products: plain JavaScript loops cannot use
 * SIMD and top-10 search over 100,000 x 384 floats took 30-45 ms with them; this kernel is several times faster.
 *
 * The module is assembled here from its opcodes (no build tool, no binary blob of unknown origin). Its text form:
 *
 *   (module
 *     (import "env" "memory" (memory 1))
 *     (func (export "dots") (param $q i32) (param $c i32) (param $n i32) (param $rowBytes i32) (param $out i32)
 *       (local $rowEnd i32) (local $qp i32) (local $cEnd i32) (local $a v128) (local $b v128)
 *       (local.set $cEnd (i32.add (local.get $c) (i32.mul (local.get $n) (local.get $rowBytes))))
 *       (block $done (loop $rows
 *         (br_if $done (i32.ge_u (local.get $c) (local.get $cEnd)))
 *         (local.set $a (v128.const i32x4 0 0 0 0)) (local.set $b (v128.const i32x4 0 0 0 0))
 *         (local.set $qp (local.get $q))
 *         (local.set $rowEnd (i32.add (local.get $c) (local.get $rowBytes)))
 *         (loop $k
 *           (local.set $a (f32x4.add (local.get $a) (f32x4.mul (v128.load (local.get $qp)) (v128.load (local.get $c)))))
 *           (local.set $b (f32x4.add (local.get $b)
 *             (f32x4.mul (v128.load offset=16 (local.get $qp)) (v128.load offset=16 (local.get $c)))))
 *           (local.set $qp (i32.add (local.get $qp) (i32.const 32)))
 *           (local.set $c (i32.add (local.get $c) (i32.const 32)))
 *           (br_if $k (i32.lt_u (local.get $c) (local.get $rowEnd))))
 *         (local.set $a (f32x4.add (local.get $a) (local.get $b)))
 *         (f32.store (local.get $out) (f32.add (f32.add (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 1 (local.get $a)))
 *                                             (f32.add (f32x4.extract_lane 2 (local.get $a)) (f32x4.extract_lane 3 (local.get $a)))))
 *         (local.set $out (i32.add (local.get $out) (i32.const 4)))
 *         (br $rows))))
 *
 * Rows must be a multiple of 8 floats (32 bytes) long; callers fall back to JavaScript otherwise.
 */

const GET = 0x20;
const SET = 0x21;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_MUL = 0x6c;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00];
const F32X4_ADD = [SIMD, 0xe4, 0x01];
const F32X4_MUL = [SIMD, 0xe6, 0x01];
const F32X4_EXTRACT = [SIMD, 0x1f];
const V128_ZERO = [SIMD, 0x0c, ...new Array<number>(16).fill(0)];

const [Q, C, N, ROW_BYTES, OUT, ROW_END, QP, C_END, A, B] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function name(text: string): number[] {
  return [text.length, ...Array.from(text, (ch) => ch.charCodeAt(0))];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const load = (local: number, offset: number) => [GET, local, ...V128_LOAD, 4, offset];
  const lane = (i: number) => [GET, A, ...F32X4_EXTRACT, i];
  const code = [
    GET, C, GET, N, GET, ROW_BYTES, I32_MUL, I32_ADD, SET, C_END,
    0x02, 0x40, // block $done
    0x03, 0x40, // loop $rows
    GET, C, GET, C_END, 0x4f /* i32.ge_u */, 0x0d, 1, // br_if $done
    ...V128_ZERO, SET, A,
    ...V128_ZERO, SET, B,
    GET, Q, SET, QP,
    GET, C, GET, ROW_BYTES, I32_ADD, SET, ROW_END,
    0x03, 0x40, // loop $k
    GET, A, ...load(QP, 0), ...load(C, 0), ...F32X4_MUL, ...F32X4_ADD, SET, A,
    GET, B, ...load(QP, 16), ...load(C, 16), ...F32X4_MUL, ...F32X4_ADD, SET, B,
    GET, QP, I32_CONST, 32, I32_ADD, SET, QP,
    GET, C, I32_CONST, 32, I32_ADD, SET, C,
    GET, C, GET, ROW_END, 0x49 /* i32.lt_u */, 0x0d, 0, // br_if $k
    0x0b, // end $k
    GET, A, GET, B, ...F32X4_ADD, SET, A,
    GET, OUT,
    ...lane(0), ...lane(1), 0x92 /* f32.add */, ...lane(2), ...lane(3), 0x92, 0x92,
    0x38, 2, 0, // f32.store align=4 offset=0
    GET, OUT, I32_CONST, 4, I32_ADD, SET, OUT,
    0x0c, 0, // br $rows
    0x0b, // end $rows
    0x0b, // end $done
    0x0b, // end func
  ];
  const body = [2, 3, 0x7f, 2, 0x7b, ...code]; // locals: 3 x i32, 2 x v128
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 5, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('dots'), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

export type DotsFunction = (queryByte: number, rowsByte: number, rowCount: number, rowBytes: number, outByte: number) => void;

let compiled: WebAssembly.Module | null | undefined;

function compiledModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    // Hosts without WebAssembly SIMD, or webviews whose CSP forbids compiling WebAssembly, use JavaScript loops.
    try {
      const bytes = moduleBytes();
      compiled = typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** `dots` bound to `memory`, or null when SIMD WebAssembly is unavailable. */
export function simdDots(memory: WebAssembly.Memory): DotsFunction | null {
  const module = compiledModule();
  if (!module) return null;
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports.dots as DotsFunction;
}
