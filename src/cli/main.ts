// The `minilm` command line: every command writes its result to stdout and everything else (progress, notes,
// errors) to stderr, so output can be piped. Failures are one line on stderr and a non-zero exit status.
import { runCli } from './program';

void runCli();
