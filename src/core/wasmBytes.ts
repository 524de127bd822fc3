/**
 * The few pieces needed to assemble a small WebAssembly module from its opcodes, shared by the SIMD kernels
 * (simdDotKernel, int8DotKernel). Assembling in source keeps every byte reviewable: no build tool, no binary blob.
 */

export const OP = {
  get: 0x20,
  set: 0x21,
  i32Const: 0x41,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  /** Block type "no result". */
  void: 0x40,
} as const;

/** Value types. */
export const I32 = 0x7f;
export const V128 = 0x7b;

const SIMD = 0xfd;
/** A SIMD instruction: the 0xfd prefix and its LEB128 opcode. */
export function simd(opcode: number): number[] {
  return [SIMD, ...uleb(opcode)];
}
export const V128_ZERO = [...simd(0x0c), ...new Array<number>(16).fill(0)];

export function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(text: string): number[] {
  return [text.length, ...Array.from(text, (ch) => ch.charCodeAt(0))];
}

export interface KernelModule {
  /** Parameter types of the one exported function (it returns nothing). */
  readonly params: readonly number[];
  /** Its locals beyond the parameters, as [count, type] runs. */
  readonly locals: readonly (readonly [number, number])[];
  /** Its body, without the final `end`. */
  readonly code: readonly number[];
  readonly exportName: string;
  /**
   * Import the memory as shared (threads proposal), so worker threads can run the same function over one
   * SharedArrayBuffer. A shared memory import must state a maximum: 65536 pages, all of wasm32's 4 GiB.
   */
  readonly sharedMemory?: boolean;
}

/** A module importing `env.memory` and exporting one function. */
export function kernelModuleBytes(kernel: KernelModule): Uint8Array<ArrayBuffer> {
  const body = [kernel.locals.length, ...kernel.locals.flatMap(([count, type]) => [...uleb(count), type]), ...kernel.code, OP.end];
  const memoryLimits = kernel.sharedMemory ? [0x03, 1, ...uleb(65536)] : [0x00, 1];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, kernel.params.length, ...kernel.params, 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, ...memoryLimits]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name(kernel.exportName), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

/** Compiles `bytes`, or null when this host has no WebAssembly SIMD or forbids compiling (a webview's CSP). */
export function compileOrNull(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module | null {
  try {
    return typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    return null;
  }
}
