import { SingleBar } from 'cli-progress';

/** A progress display on stderr; stdout stays clean for the command's output. */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A bar on stderr when it is a terminal (or when forced with --progress), nothing otherwise. `--no-progress` turns
 * it off. `unit` is shown after the counts (batches, MB).
 */
export function createProgress(label: string, requested: boolean | undefined, unit = 'batches', scale = 1): Progress {
  const tty = Boolean(process.stderr.isTTY);
  if (requested === false || (!tty && requested !== true)) return silent;
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {percentage}% | {shownValue}/{shownTotal} ${unit} | ETA {eta_formatted}`,
    barsize: 30,
    hideCursor: tty,
    clearOnComplete: false,
    noTTYOutput: !tty,
    notTTYSchedule: 1000,
    etaBuffer: 20,
  });
  let started = false;
  const shown = (value: number) => (scale === 1 ? String(value) : (value / scale).toFixed(1));
  return {
    update(done, total) {
      const payload = { shownValue: shown(done), shownTotal: shown(total) };
      if (!started) {
        bar.start(total, done, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, payload);
      }
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
