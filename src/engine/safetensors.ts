import fs from 'node:fs';
import { EngineError } from './errors';

export interface SafetensorsTensor {
  shape: number[];
  data: Float32Array;
}

/** Header entries larger than this are not a model's (guards against reading a wrong file as a header). */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/**
 * The tensors of a .safetensors file as float32: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data. F32, F16 and BF16 are read.
 */
export function readSafetensors(file: string): Map<string, SafetensorsTensor> {
  const bytes = fs.readFileSync(file);
  const corrupt = (why: string) => new EngineError('MODEL_CORRUPT', `${file} is not a valid safetensors file (${why}).`);
  if (bytes.length < 8) throw corrupt('too short');
  const headerLength = Number(bytes.readBigUInt64LE(0));
  if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > bytes.length) throw corrupt('header length out of range');
  let header: Record<string, { dtype?: string; shape?: number[]; data_offsets?: [number, number] }>;
  try {
    header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as typeof header;
  } catch {
    throw corrupt('header is not JSON');
  }
  const dataStart = 8 + headerLength;
  const tensors = new Map<string, SafetensorsTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = entry;
    if (!Array.isArray(shape) || !Array.isArray(offsets) || offsets.length !== 2) throw corrupt(`tensor ${name} has no shape or offsets`);
    const count = shape.reduce((a, b) => a * b, 1);
    const [begin, end] = offsets;
    const width = dtype === 'F32' ? 4 : dtype === 'F16' || dtype === 'BF16' ? 2 : 0;
    if (width === 0) throw new EngineError('MODEL_UNSUPPORTED', `${file}: tensor ${name} is ${String(dtype)}; the engine reads F32, F16 and BF16.`);
    if (begin < 0 || end < begin || dataStart + end > bytes.length || end - begin !== count * width) throw corrupt(`tensor ${name} has a wrong byte range`);
    const data = new Float32Array(count);
    const at = dataStart + begin;
    for (let i = 0; i < count; i++) {
      if (dtype === 'F32') data[i] = bytes.readFloatLE(at + 4 * i);
      else if (dtype === 'BF16') data[i] = bf16(bytes.readUInt16LE(at + 2 * i));
      else data[i] = f16(bytes.readUInt16LE(at + 2 * i));
    }
    tensors.set(name, { shape, data });
  }
  return tensors;
}

const scratch = new DataView(new ArrayBuffer(4));

function bf16(bits: number): number {
  scratch.setUint32(0, bits << 16);
  return scratch.getFloat32(0);
}

function f16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
