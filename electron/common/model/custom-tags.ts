/**
 * Text tags in PAGE's `custom` attribute (Transkribus: `abbrev {offset:5; length:2;
 * expansion:und;}`, `unclear {…}`, `person {…}`, `textStyle {…}`) point at characters
 * of the line's text by offset and length. When the text changes they must move
 * with it, or they mark the wrong characters. The edit is taken as one replaced
 * stretch (what lies between the common start and the common end of the old and the
 * new text): tags before it stay, tags after it shift, a tag around it grows or
 * shrinks, and a tag whose characters were all replaced is dropped (and reported).
 * Every other part of the attribute is kept as written, in its order.
 */

export interface TagShift {
  readonly custom: string | undefined;
  /** Tags dropped because their characters are gone, as written (e.g. "abbrev {offset:5; length:2;}"). */
  readonly dropped: readonly string[];
}

const PART = /([\w.-]+)\s*\{([^}]*)\}/g;

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function commonSuffix(a: string, b: string, prefix: number): number {
  let i = 0;
  while (i < a.length - prefix && i < b.length - prefix && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

export function shiftCustomTags(custom: string | undefined, before: string, after: string): TagShift {
  if (!custom || before === after || !/offset\s*:/.test(custom)) return { custom, dropped: [] };
  // Offsets count UTF-16 code units, as Transkribus writes them (Java strings).
  const p = commonPrefix(before, after);
  const s = commonSuffix(before, after, p);
  const oldEnd = before.length - s; // the replaced stretch: [p, oldEnd) → [p, newEnd)
  const newEnd = after.length - s;
  const map = (pos: number, side: 'start' | 'end'): number => {
    if (pos <= p) return pos;
    if (pos >= oldEnd) return pos + (after.length - before.length);
    return side === 'start' ? p : newEnd; // inside the replaced stretch: its new bounds
  };
  const dropped: string[] = [];
  let out = '';
  let last = 0;
  for (const m of custom.matchAll(PART)) {
    const body = m[2]!;
    const offset = /(^|;)\s*offset\s*:\s*(\d+)\s*(?=;|$)/.exec(body);
    const length = /(^|;)\s*length\s*:\s*(\d+)\s*(?=;|$)/.exec(body);
    out += custom.slice(last, m.index);
    last = m.index! + m[0].length;
    if (!offset || !length) {
      out += m[0];
      continue;
    }
    const o = Number(offset[2]);
    const len = Number(length[2]);
    const start = map(o, 'start');
    const end = len === 0 ? start : map(o + len, 'end');
    if (end <= start && len > 0) {
      dropped.push(m[0]);
      out = out.replace(/\s+$/, '');
      continue;
    }
    const newBody = body.replace(/((?:^|;)\s*offset\s*:\s*)\d+/, `$1${start}`).replace(/((?:^|;)\s*length\s*:\s*)\d+/, `$1${end - start}`);
    out += `${m[1]} {${newBody}}`;
  }
  out += custom.slice(last);
  out = out.trim();
  return { custom: out === '' ? undefined : out, dropped };
}

export interface TextTag {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** The characters it marks in the line's text. */
  readonly text: string;
  /** Its other properties (expansion, firstname…), as written. */
  readonly props: Readonly<Record<string, string>>;
}

/** The offset/length tags of a line's `custom` attribute, with the characters each marks. */
export function textTags(custom: string | undefined, text: string): TextTag[] {
  const out: TextTag[] = [];
  for (const m of (custom ?? '').matchAll(PART)) {
    const props: Record<string, string> = {};
    for (const part of m[2]!.split(';')) {
      const i = part.indexOf(':');
      if (i > 0) props[part.slice(0, i).trim()] = part.slice(i + 1).trim();
    }
    const start = Number(props.offset);
    const length = Number(props.length);
    if (!Number.isInteger(start) || !Number.isInteger(length) || props.offset === undefined || props.length === undefined) continue;
    const { offset: _o, length: _l, ...rest } = props;
    out.push({ name: m[1]!, start, end: start + length, text: text.slice(start, start + length), props: rest });
  }
  return out;
}
