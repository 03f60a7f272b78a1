/** A file that is XML but not a page HTR Studio can read; the message says what is wrong. */
export class FormatError extends Error {
  constructor(message: string, readonly line?: number) {
    super(line ? `${message} (line ${line})` : message);
    this.name = 'FormatError';
  }
}

/**
 * An ALTO page without a size that neither its PrintSpace nor an earlier page gives:
 * the caller may look at the image it names and read the file again with that size.
 */
export class MissingPageSizeError extends FormatError {
  constructor(message: string, line: number | undefined, readonly imageFilename: string) {
    super(message, line);
    this.name = 'MissingPageSizeError';
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
  /** Each message once with its count, in the order first given: adding them again, as often, to another Warnings is adding the originals. */
  counted(): Array<[string, number]> {
    return [...this.counts];
  }
}
