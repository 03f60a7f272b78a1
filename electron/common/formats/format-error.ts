/** A file that is XML but not a page HTR Studio can read; the message says what is wrong. */
export class FormatError extends Error {
  constructor(message: string, readonly line?: number) {
    super(line ? `${message} (line ${line})` : message);
    this.name = 'FormatError';
  }
}

/** Collects warnings, folding repeats into one line with a count. */
export class Warnings {
  private readonly counts = new Map<string, number>();
  add(message: string): void {
    this.counts.set(message, (this.counts.get(message) ?? 0) + 1);
  }
  list(): string[] {
    return [...this.counts].map(([m, n]) => (n > 1 ? `${m} (${n}×)` : m));
  }
}
