/** What every CLI command is: a name, its help text, and a run function returning the exit code. */
export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: string[], io: Io): Promise<number>;
}

/** A user mistake on the command line: reported in one line with exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A whole-number option: undefined when not given, else checked against [min, max] (a UsageError that names the option). */
export function intOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}
