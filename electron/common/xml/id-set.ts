/**
 * A set of ids kept as their characters in one buffer, not as a string each (#17 item 8).
 * The ids of a big file are hundreds of thousands of short strings (a glyph each): in a
 * Set<string> each costs its string and its slot, some 70 bytes for an id of ten
 * characters, here about 20, outside the collected heap. Exact: ids are compared
 * character by character. Iterates in the order the ids were added, as a Set does.
 */
export class IdSet implements Iterable<string> {
  /** Open addressing, linear probing: an entry's offset in `chars` plus one; 0 is empty. */
  private slots = new Int32Array(1 << 8);
  /**
   * The entries one after another: each its length (7 bits a unit, the last unit below
   * 128) then its characters. One byte a character until a character above U+00FF comes.
   */
  private chars: Uint8Array | Uint16Array = new Uint8Array(1 << 10);
  private end = 0;
  private count = 0;
  /** Where the characters of the entry lengthAt last read begin (no pair allocated per probe). */
  private from = 0;

  get size(): number {
    return this.count;
  }

  has(id: string): boolean {
    return this.slots[this.find(id)] !== 0;
  }

  /** Adds `id`; false where it was there already. */
  add(id: string): boolean {
    const slot = this.find(id);
    if (this.slots[slot] !== 0) return false;
    this.slots[slot] = this.append(id) + 1;
    this.count++;
    if (this.count * 2 > this.slots.length) this.rehash();
    return true;
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let at = 0; at < this.end;) {
      const length = this.lengthAt(at);
      const from = this.from;
      yield this.text(from, length);
      at = from + length;
    }
  }

  /** The slot that holds `id`, or the empty one where it would go. */
  private find(id: string): number {
    const mask = this.slots.length - 1;
    for (let i = hash(id) & mask; ; i = (i + 1) & mask) {
      const v = this.slots[i]!;
      if (v === 0 || this.equals(v - 1, id)) return i;
    }
  }

  private equals(at: number, id: string): boolean {
    const length = this.lengthAt(at);
    const from = this.from;
    if (length !== id.length) return false;
    const chars = this.chars;
    for (let i = 0; i < length; i++) if (chars[from + i] !== id.charCodeAt(i)) return false;
    return true;
  }

  /** An entry's length; where its characters begin goes to `from`. */
  private lengthAt(at: number): number {
    const chars = this.chars;
    let length = 0;
    let shift = 0;
    for (;;) {
      const u = chars[at++]!;
      length += (u & 0x7f) * 2 ** shift;
      if (u < 0x80) {
        this.from = at;
        return length;
      }
      shift += 7;
    }
  }

  private text(from: number, length: number): string {
    let s = '';
    // In runs of at most 4,096 characters: an argument list has a limit.
    for (let i = from; i < from + length; i += 4096) s += String.fromCharCode(...this.chars.subarray(i, Math.min(i + 4096, from + length)));
    return s;
  }

  /** Writes `id` at the end; returns where its entry begins. */
  private append(id: string): number {
    let wide = this.chars instanceof Uint16Array;
    if (!wide) for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) > 0xff) wide = true;
    const need = this.end + id.length + 6;
    if (need > this.chars.length || (wide && !(this.chars instanceof Uint16Array))) {
      let size = this.chars.length;
      while (size < need) size *= 2;
      const grown = wide ? new Uint16Array(size) : new Uint8Array(size);
      grown.set(this.chars.subarray(0, this.end));
      this.chars = grown;
    }
    const at = this.end;
    let i = at;
    for (let n = id.length; ; n = Math.floor(n / 128)) {
      if (n < 0x80) {
        this.chars[i++] = n;
        break;
      }
      this.chars[i++] = (n % 128) | 0x80;
    }
    for (let k = 0; k < id.length; k++) this.chars[i++] = id.charCodeAt(k);
    this.end = i;
    return at;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let at = 0; at < this.end;) {
      const length = this.lengthAt(at);
      const from = this.from;
      let h = FNV_OFFSET;
      for (let k = 0; k < length; k++) h = Math.imul(h ^ this.chars[from + k]!, FNV_PRIME);
      let i = (h >>> 0) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = at + 1;
      at = from + length;
    }
    this.slots = slots;
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 units (rehash computes the same over the stored characters). */
function hash(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}
