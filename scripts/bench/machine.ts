import fs from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  logicalCpus: number;
  avx512Vnni: boolean;
  avxVnni: boolean;
  avx2: boolean;
  avx512f: boolean;
  loadAverage: number[];
  node: string;
  onnxruntimeNode: string;
  totalMemGb: number;
}

export function machineInfo(): MachineInfo {
  let cpuinfo = '';
  try {
    cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // not Linux: fall back to what Node reports
  }
  const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? '').split(/\s+/));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ortVersion = (require('onnxruntime-node/package.json') as { version: string }).version;
  return {
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
    logicalCpus: os.availableParallelism(),
    avx512Vnni: flags.has('avx512_vnni'),
    avxVnni: flags.has('avx_vnni'),
    avx2: flags.has('avx2'),
    avx512f: flags.has('avx512f'),
    loadAverage: os.loadavg(),
    node: process.version,
    onnxruntimeNode: ortVersion,
    totalMemGb: os.totalmem() / 2 ** 30,
  };
}
