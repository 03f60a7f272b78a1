/**
 * XSD regular expressions as JavaScript ones. An XSD pattern matches the whole value,
 * has no anchors (`^` and `$` are plain characters) and no back-references; groups
 * become non-capturing (a polygon of a million points is a million repetitions, and
 * captures would only cost). Class subtraction (`[a-z-[aeiou]]`) is not translated:
 * such a schema is left to libxml2 (UnsupportedSchema).
 */
import { NAME_CHARS, NAME_START_CHARS } from './xml-names.js';
import { UnsupportedSchema } from './xsd-errors.js';

export interface XsdPattern {
  /** The pattern as the schema writes it. */
  readonly source: string;
  test(value: string): boolean;
}

// \i and \c: XML name characters, the colon included (XSD's names are QNames).
const NAME_START = `${NAME_START_CHARS}:`;
const NAME_CHAR = `${NAME_CHARS}:`;

/** Escapes XSD has and JavaScript spells otherwise (inside or outside a class). */
function escape(c: string, inClass: boolean): string {
  switch (c) {
    case 'i': return inClass ? NAME_START : `[${NAME_START}]`;
    case 'I': if (inClass) throw new UnsupportedSchema('\\I inside a class'); return `[^${NAME_START}]`;
    case 'c': return inClass ? NAME_CHAR : `[${NAME_CHAR}]`;
    case 'C': if (inClass) throw new UnsupportedSchema('\\C inside a class'); return `[^${NAME_CHAR}]`;
    case 'd': return '\\p{Nd}';
    case 'D': return '\\P{Nd}';
    case 'w': return inClass ? '\\p{L}\\p{M}\\p{N}\\p{S}\\p{Pc}' : '[^\\p{P}\\p{Z}\\p{C}]';
    case 'W': return inClass ? '\\p{P}\\p{Z}\\p{C}' : '[\\p{P}\\p{Z}\\p{C}]';
    case 's': return inClass ? ' \\t\\n\\r' : '[ \\t\\n\\r]';
    case 'S': return inClass ? (() => { throw new UnsupportedSchema('\\S inside a class'); })() : '[^ \\t\\n\\r]';
    default: return `\\${c}`;
  }
}

export function translateXsdRegex(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) throw new UnsupportedSchema(`a pattern ends in a backslash: ${src}`);
      if (n === 'p' || n === 'P') {
        const close = src.indexOf('}', i);
        const prop = src.slice(i + 3, close);
        // XSD names blocks as IsBasicLatin; JavaScript has no block escapes.
        if (prop.startsWith('Is')) throw new UnsupportedSchema(`block escape \\${n}{${prop}}`);
        out += `\\${n}{${prop}}`;
        i = close;
        continue;
      }
      out += escape(n, inClass);
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[') throw new UnsupportedSchema(`class subtraction in ${src}`);
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    switch (c) {
      case '[': inClass = true; out += c; break;
      case '(': out += '(?:'; break;
      case '^': case '$': case '/': out += `\\${c}`; break;
      case '.': out += '[^\\n\\r]'; break;
      default: out += c;
    }
  }
  return `^(?:${out})$`;
}

export function xsdPattern(source: string): XsdPattern {
  const re = new RegExp(translateXsdRegex(source), 'u');
  return { source, test: (v) => re.test(v) };
}
