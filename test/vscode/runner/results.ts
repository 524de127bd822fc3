import path from 'node:path';

/** What the in-host runner writes for the launcher (the extension host exits 0 even when tests fail). */
export interface TestOutcome {
  fullTitle: string;
  file?: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface RunResults {
  passes: number;
  failures: number;
  pending: number;
  /** Test files the runner loaded (relative to the repository root). */
  files: string[];
  tests: TestOutcome[];
  /** Set when the runner itself broke (no file, load error): the run counts as failed. */
  runnerError?: string;
  startedAt: string;
  finishedAt: string;
  vscodeVersion?: string;
}

/** Where the results go: MINILM_TEST_RESULTS, else `.test-output/vscode-results.json` under the repository. */
export function resultsPath(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.MINILM_TEST_RESULTS ?? path.join(repoRoot, '.test-output', 'vscode-results.json');
}
