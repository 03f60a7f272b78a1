/**
 * What ALTO 4.4 accepts, for converting writes: valid, unique IDs (one xs:ID space
 * for the whole file) and the attributes each element may carry, with their value
 * types (facts read from altoxml/schema v4/alto-4-4.xsd, CC BY-SA 4.0). Source
 * attributes outside these rules are dropped with a warning rather than risking an
 * invalid file.
 */
import { ALTO_WRITE_VERSION, altoVocabulary } from './alto-versions.js';
import type { Warnings } from './format-error.js';
import { isValidId } from './page-repair.js';
import type { AttrList } from './xml-out.js';
import { IdSet } from '../xml/id-set.js';

/** Output IDs of a converting write: source IDs kept when valid and unique, others repaired. */
export class AltoIds {
  /** Every output ID. */
  private readonly used = new IdSet();
  /**
   * Output IDs that are no source ID's own (generated, repaired, reserved): every other
   * output ID is the ID of the first source element that holds it, written as it was.
   */
  private readonly madeUp = new IdSet();
  /** Source ID → output ID of its first holder, where that holder's is another. */
  private readonly renamed = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  constructor(private readonly warnings: Warnings) {}

  /** Marks an ID as taken without checks (IDs already in a file being kept). */
  reserve(id: string): void {
    if (this.used.add(id)) this.madeUp.add(id);
  }

  /** A new unused ID `prefix<n>`. */
  fresh(prefix: string): string {
    let n = this.counters.get(prefix) ?? 0;
    let id: string;
    do id = `${prefix}${++n}`;
    while (this.used.has(id));
    this.counters.set(prefix, n);
    this.take(id, id, true);
    return id;
  }

  /**
   * The output ID for an element whose source ID is `id`. Without one, an ID is
   * generated when the schema requires it (`prefix` given) and reported when `what` is.
   */
  claim(id: string | undefined, prefix: string | undefined, what?: string): string | undefined {
    if (!id) {
      if (prefix === undefined) return undefined;
      if (what) this.warnings.add(`${what} without an ID: one generated`);
      return this.fresh(prefix);
    }
    let out = id;
    if (!isValidId(out)) {
      const cleaned = id.replace(/[^\p{L}\p{N}._-]/gu, '_');
      out = /^[\p{L}_]/u.test(cleaned) ? cleaned : `_${cleaned}`;
      this.warnings.add(`${what ?? 'element'} ID "${id}" is not a valid xs:ID: written as "${out}"`);
    }
    if (this.used.has(out)) {
      let n = 2;
      while (this.used.has(`${out}_${n}`)) n++;
      this.warnings.add(`duplicate ID "${out}" on ${what ?? 'an element'}: written as "${out}_${n}"`);
      out = `${out}_${n}`;
    }
    this.take(id, out, false);
    return out;
  }

  /**
   * Takes a valid ID as it is, as `claim` would where it is free; false (nothing taken)
   * where claim would write another (not a valid xs:ID, or taken already).
   */
  takeAsIs(id: string): boolean {
    if (!isValidId(id) || this.used.has(id)) return false;
    this.take(id, id, false);
    return true;
  }

  /** `out` written for source ID `source` (none where `generated`). */
  private take(source: string, out: string, generated: boolean): void {
    this.used.add(out);
    if (!generated && out === source) return;
    this.madeUp.add(out);
    // The first holder of `source` only (taking `out`, another ID, changes nothing of ref(source)).
    if (!generated && this.ref(source) === undefined) this.renamed.set(source, out);
  }

  /** The output ID a source reference resolves to (its first holder's), or undefined when nothing written holds it. */
  ref(id: string): string | undefined {
    const renamed = this.renamed.get(id);
    if (renamed !== undefined) return renamed;
    return this.used.has(id) && !this.madeUp.has(id) ? id : undefined;
  }

  /** An IDREFS list with unresolved references removed; undefined when none is left. */
  refs(list: string | undefined): string | undefined {
    if (!list) return undefined;
    const out = list.split(/\s+/).filter(Boolean).map((r) => this.ref(r)).filter((r): r is string => r !== undefined);
    return out.length ? out.join(' ') : undefined;
  }
}

type Check = (v: string) => boolean;
/** A value check, or a reference that must be mapped to output IDs. */
type Rule = Check | 'IDREF' | 'IDREFS';

const STR: Check = () => true;
export const FLOAT: Check = (v) => /^\s*([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|-INF|NaN)\s*$/.test(v);
/** WC, PC, GC: a float from 0 to 1. */
export const UNIT: Check = (v) => FLOAT(v) && Number(v) >= 0 && Number(v) <= 1;
const BOOL: Check = (v) => /^\s*(true|false|1|0)\s*$/.test(v);
const LANG: Check = (v) => /^\s*[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*\s*$/.test(v);
const LANGS: Check = (v) => v.trim() !== '' && v.trim().split(/\s+/).every(LANG);
const oneOf = (...values: string[]): Check => (v) => values.includes(v.trim());
const listOf = (...values: string[]): Check => (v) => v.trim() !== '' && v.trim().split(/\s+/).every((p) => values.includes(p));
const FONT_STYLES = listOf(...altoVocabulary(ALTO_WRITE_VERSION, 'fontStyle'));
const DIRECTION = oneOf(...altoVocabulary(ALTO_WRITE_VERSION, 'baseDirection'));
const FLOAT_BOX: Record<string, Rule> = { HPOS: FLOAT, VPOS: FLOAT, WIDTH: FLOAT, HEIGHT: FLOAT };

/** xs:date, xs:dateTime, xs:gYear or xs:gYearMonth: ALTO's dateTimeType. */
export const DATE: Check = (v) => /^-?\d{4,}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?)?)?)?(Z|[+-]\d\d:\d\d)?$/.test(v.trim());
export const PROCESSING_CATEGORY: Check = listOf(...altoVocabulary(ALTO_WRITE_VERSION, 'processingCategory'));

const BLOCK: Record<string, Rule> = { STYLEREFS: 'IDREFS', PROCESSINGREFS: 'IDREFS', ROTATION: FLOAT, IDNEXT: 'IDREF', CS: BOOL };
const SPACE: Record<string, Rule> = { STYLEREFS: 'IDREFS', PROCESSINGREFS: 'IDREFS' };

/** Attributes a converting write may carry over from the source, beyond those it writes itself. */
const RULES: Readonly<Record<string, Readonly<Record<string, Rule>>>> = {
  Page: {
    PAGECLASS: STR, STYLEREFS: 'IDREFS', PROCESSINGREFS: 'IDREFS', PRINTED_IMG_NR: STR, QUALITY_DETAIL: STR,
    QUALITY: oneOf('OK', 'Missing', 'Missing in original', 'Damaged', 'Retained', 'Target', 'As in original'),
    POSITION: oneOf('Left', 'Right', 'Foldout', 'Single', 'Cover'), PROCESSING: 'IDREF', ACCURACY: FLOAT, PC: UNIT,
    ROTATION: FLOAT, LANG, OTHERLANGS: LANGS,
  },
  TopMargin: SPACE, LeftMargin: SPACE, RightMargin: SPACE, BottomMargin: SPACE, PrintSpace: SPACE,
  TextBlock: { ...BLOCK, language: LANG, LANG, BASEDIRECTION: DIRECTION },
  Illustration: { ...BLOCK, TYPE: STR, FILEID: STR },
  ComposedBlock: { ...BLOCK, TYPE: STR, FILEID: STR },
  GraphicalElement: BLOCK,
  TextLine: { STYLEREFS: 'IDREFS', PROCESSINGREFS: 'IDREFS', LANG, CS: BOOL, BASEDIRECTION: DIRECTION },
  String: {
    STYLEREFS: 'IDREFS', TAGREFS: 'IDREFS', PROCESSINGREFS: 'IDREFS', STYLE: FONT_STYLES, SUBS_CONTENT: STR, CC: STR, CS: BOOL, LANG,
    SUBS_TYPE: oneOf('HypPart1', 'HypPart2', 'Abbreviation'),
  },
  SP: FLOAT_BOX,
  HYP: { ...FLOAT_BOX, CONTENT: STR },
  ALTERNATIVE: { PURPOSE: STR },
  TextStyle: {
    FONTFAMILY: STR, FONTTYPE: oneOf('serif', 'sans-serif'), FONTWIDTH: oneOf('proportional', 'fixed'), FONTSIZE: FLOAT,
    FONTCOLOR: (v) => /^\s*([0-9a-fA-F]{2})*\s*$/.test(v), FONTSTYLE: FONT_STYLES,
  },
  ParagraphStyle: { ALIGN: oneOf('Left', 'Right', 'Center', 'Block'), LEFT: FLOAT, RIGHT: FLOAT, LINESPACE: FLOAT, FIRSTLINE: FLOAT },
  Tag: { TYPE: STR, DESCRIPTION: STR, URI: (v) => !/\s/.test(v.trim()) },
  OrderedGroup: { TAGREFS: 'IDREFS', REF: 'IDREFS' },
  UnorderedGroup: { TAGREFS: 'IDREFS', REF: 'IDREFS' },
  ElementRef: { TAGREFS: 'IDREFS' },
};

/**
 * Source attributes of `element` that ALTO 4.4 accepts there, references mapped to
 * output IDs; each one dropped is reported. `skip` names attributes the writer sets itself.
 */
export function allowedAttrs(
  element: string, attrs: Readonly<Record<string, string>> | undefined, ids: AltoIds, warnings: Warnings, skip: readonly string[] = [],
): AttrList {
  const out: AttrList = [];
  if (!attrs) return out;
  const rules = RULES[element] ?? {};
  for (const [k, v] of Object.entries(attrs)) {
    if (skip.includes(k) || k === 'xmlns' || k.startsWith('xmlns:')) continue;
    const rule = Object.hasOwn(rules, k) ? rules[k] : undefined;
    if (rule === 'IDREF' || rule === 'IDREFS') {
      const mapped = rule === 'IDREF' ? ids.ref(v.trim()) : ids.refs(v);
      if (mapped !== undefined) out.push([k, mapped]);
      else warnings.add(`attribute ${k} on <${element}> refers to nothing written: dropped`);
    } else if (rule && rule(v)) out.push([k, v]);
    else warnings.add(`attribute ${k}${rule ? ` with an invalid value` : ''} on <${element}> is not valid in ALTO 4.4: dropped`);
  }
  return out;
}
