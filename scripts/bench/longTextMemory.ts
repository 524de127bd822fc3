/**
 * Peak memory (RSS) and time to tokenise one very long text as the engine does, each text in a process of its own
 * (so that each peak is that text's). Measures the cut before tokenising (src/engine/truncation.ts).
 *
 *   npx tsc -b && node out/scripts/bench/longTextMemory.js [--mb 10] [--engine out/src/engine]
 *
 * `--engine` points at another compiled engine folder (an older build) to measure it the same way.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { machineInfo } from './machine';
import { benchPaths } from './paths';

const CASES: Record<string, (chars: number) => string> = {
  'no whitespace (x…x)': (n) => 'x'.repeat(n),
  'punctuation (ab,ab,…)': (n) => 'ab,'.repeat(Math.ceil(n / 3)),
  'CJK (天天…)': (n) => '天'.repeat(n),
  'accented run (é…é)': (n) => 'é'.repeat(n),
  'Greek with full stops (ΑΣ.…)': (n) => 'ΑΣ.'.repeat(Math.ceil(n / 3)),
  'marks (a + U+0301…)': (n) => `a${'\u0301'.repeat(n - 1)}`,
  'prose with spaces': (n) => 'the quick brown fox '.repeat(Math.ceil(n / 20)),
};

interface Measurement {
  ids: number;
  ms: number;
  baseMb: number;
  peakMb: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

async function child(engineDir: string, name: string, chars: number): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ModelSession } = require(path.resolve(engineDir, 'modelSession.js')) as typeof import('../../src/engine/modelSession');
  const session = await ModelSession.load({ dir: benchPaths().modelDir, dtype: 'q8', threads: 1 });
  const text = CASES[name]!(chars);
  const baseMb = process.resourceUsage().maxRSS / 1024;
  const started = performance.now();
  const { ids } = session.tokenize(text);
  const ms = performance.now() - started;
  const result: Measurement = { ids: ids.length, ms, baseMb, peakMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(result));
  await session.dispose();
}

function main(): void {
  const mb = Number(arg('--mb', '10'));
  const engineDir = arg('--engine', path.join(__dirname, '..', '..', 'src', 'engine'));
  const chars = Math.round(mb * 1_000_000);
  const machine = machineInfo();
  console.log(`${machine.cpuModel}, ${machine.logicalCpus} cores, load ${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}, Node ${machine.node}`);
  console.log(`engine: ${path.resolve(engineDir)}; texts of ${chars.toLocaleString('en')} characters, tokenised by the q8 model's session`);
  console.log(
    'text'.padEnd(32) + 'ids'.padStart(6) + 'time ms'.padStart(10) + 'RSS before MB'.padStart(15) + 'peak RSS MB'.padStart(13) + 'added MB'.padStart(10),
  );
  for (const name of Object.keys(CASES)) {
    const out = execFileSync(process.execPath, [__filename, '--child', name, '--mb', String(mb), '--engine', engineDir], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const m = JSON.parse(out) as Measurement;
    console.log(
      name.padEnd(32) +
        String(m.ids).padStart(6) +
        m.ms.toFixed(0).padStart(10) +
        m.baseMb.toFixed(0).padStart(15) +
        m.peakMb.toFixed(0).padStart(13) +
        (m.peakMb - m.baseMb).toFixed(0).padStart(10),
    );
  }
}

if (process.argv.includes('--child')) {
  void child(arg('--engine', ''), arg('--child', ''), Math.round(Number(arg('--mb', '10')) * 1_000_000));
} else {
  main();
}
