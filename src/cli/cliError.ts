/**
 * A failure the user can fix (bad input, wrong option value). `main` prints its message as one line on stderr and
 * exits non-zero, without a stack trace, so every message must say what went wrong and what to do.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** `file:line: message`, the form compilers use, so editors and terminals can jump to the line. */
export function inputError(file: string, line: number, message: string): CliError {
  return new CliError(`${file}:${line}: ${message}`);
}

/** Collapses a message to one line: the contract is one line on stderr per failure. */
export function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Shortens user text quoted inside an error message. */
export function excerpt(text: string, max = 60): string {
  const flat = oneLine(text);
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
