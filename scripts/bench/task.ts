import { runTask, type TaskSpec } from './tasks';

/** Child-process entry: runs the one measurement given as JSON in argv[2] and prints its result on a marked line. */
export const RESULT_MARK = 'BENCH_RESULT ';

if (require.main === module) {
  const spec = JSON.parse(process.argv[2] ?? '{}') as TaskSpec;
  runTask(spec).then(
    (result) => {
      process.stdout.write(`\n${RESULT_MARK}${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
