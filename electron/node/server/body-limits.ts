/**
 * How much of a request body the browser-mode server reads. Only the calls that
 * carry a whole page (save, export, a job on the open page) may be large; every
 * other call fits in a small body. Large bodies are read two at a time, so a burst
 * of them cannot take the engine's memory (four 256 MB bodies at once took 2.1 GB).
 */
import { MAX_PAGE_XML_CHARS } from '../../common/api/methods.js';

/** Methods whose arguments hold a page's text. */
const PAGE_CARRYING = new Set(['savePage', 'exportPage', 'startJob', 'journalPage']);

/** A page's text as JSON: mostly ASCII, quotes escaped; a 2,000-line page is ~5 MB. */
export const PAGE_BODY_BYTES = Math.ceil(MAX_PAGE_XML_CHARS * 1.25);
export const SMALL_BODY_BYTES = 1024 * 1024;
export const LARGE_BODIES_AT_ONCE = 2;

export function bodyLimit(method: string): number {
  return PAGE_CARRYING.has(method) ? PAGE_BODY_BYTES : SMALL_BODY_BYTES;
}

/** A counting semaphore: at most `size` holders; the others wait in turn. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}
