/**
 * XSD simple types: the built-in ones the PAGE, ALTO and XLink schemas use, and the
 * facets their own types restrict them with. A type checks one value and says why
 * it fails (undefined: valid), as libxml2 would judge it.
 */
import { NAME_CHARS, NAME_START_CHARS } from './xml-names.js';
import { xsdPattern } from './xsd-regex.js';

/** What an ID / IDREF / IDREFS value adds to the document-wide check. */
export type IdKind = 'ID' | 'IDREF' | 'IDREFS';

export interface SimpleType {
  readonly name: string;
  /** How the value's white space is treated before it is checked. */
  readonly whiteSpace: 'preserve' | 'replace' | 'collapse';
  readonly idKind?: IdKind;
  /** Why `value` (white space already treated) is not of this type; undefined when it is. */
  check(value: string): string | undefined;
  /** A list type: its item type (length facets then count items). */
  readonly item?: SimpleType;
  /** For min/max facets: the value as a number, where the type is numeric. */
  readonly numeric?: boolean;
}

const TO_REPLACE = /[\t\n\r]/;
const TO_COLLAPSE = /[\t\n\r]| {2}|^ | $/;

export function normalizeSpace(value: string, ws: SimpleType['whiteSpace']): string {
  // Most values need nothing done: one test, no copies.
  if (ws === 'preserve' || !(ws === 'replace' ? TO_REPLACE : TO_COLLAPSE).test(value)) return value;
  const replaced = value.replace(/[\t\n\r]/g, ' ');
  return ws === 'replace' ? replaced : replaced.replace(/ {2,}/g, ' ').replace(/^ | $/g, '');
}

/** Checks a raw value (as it stands in the document) against `type`. */
export function checkSimple(type: SimpleType, raw: string): string | undefined {
  return type.check(normalizeSpace(raw, type.whiteSpace));
}

/** A built-in type: its lexical form, and (`inRange`) what the form alone does not say (a day of the month, an int's bounds). */
function lexical(name: string, re: RegExp, ws: SimpleType['whiteSpace'] = 'collapse', inRange?: (v: string) => boolean, numeric = false): SimpleType {
  return {
    name,
    whiteSpace: ws,
    numeric,
    check: (v) => (re.test(v) && (!inRange || inRange(v)) ? undefined : `'${short(v)}' is not a valid value of the atomic type 'xs:${name}'`),
  };
}

export function short(v: string): string {
  return v.length > 60 ? `${v.slice(0, 57)}...` : v;
}

function intRange(min: bigint, max: bigint): (v: string) => boolean {
  return (v) => {
    const n = BigInt(v.replace(/^\+/, ''));
    return n >= min && n <= max;
  };
}

const TZ = '(?:Z|[+-](?:(?:0\\d|1[0-3]):[0-5]\\d|14:00))?';
const YEAR = '-?(?:[1-9]\\d{4,}|\\d{4})';

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function validDay(v: string): boolean {
  const m = /^(-?\d+)-(\d\d)-(\d\d)/.exec(v);
  return !m || Number(m[3]) <= daysIn(Number(m[1]), Number(m[2]));
}

/** NCName as XML 1.0 5th edition names it (no colon). */
const NCNAME = new RegExp(`^[${NAME_START_CHARS}][${NAME_CHARS}]*$`, 'u');

const anySimpleType: SimpleType = { name: 'anySimpleType', whiteSpace: 'preserve', check: () => undefined };
const string: SimpleType = { name: 'string', whiteSpace: 'preserve', check: () => undefined };
const normalizedString: SimpleType = { name: 'normalizedString', whiteSpace: 'replace', check: () => undefined };
const token: SimpleType = { name: 'token', whiteSpace: 'collapse', check: () => undefined };
const ncname = lexical('NCName', NCNAME);

const FLOAT = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|-?INF|NaN)$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const INTEGER = /^[+-]?\d+$/;

const idrefs: SimpleType = {
  name: 'IDREFS',
  whiteSpace: 'collapse',
  idKind: 'IDREFS',
  check: (v) => (v !== '' && v.split(' ').every((p) => NCNAME.test(p)) ? undefined : `'${short(v)}' is not a valid value of the list type 'xs:IDREFS'`),
};

/** The built-in types by local name (namespace http://www.w3.org/2001/XMLSchema). */
export const BUILT_IN: ReadonlyMap<string, SimpleType> = new Map<string, SimpleType>([
  ['anySimpleType', anySimpleType],
  ['string', string],
  ['normalizedString', normalizedString],
  ['token', token],
  ['language', lexical('language', /^[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*$/)],
  ['NMTOKEN', lexical('NMTOKEN', new RegExp(`^[${NAME_CHARS}:]+$`, 'u'))],
  ['Name', lexical('Name', new RegExp(`^[${NAME_START_CHARS}:][${NAME_CHARS}:]*$`, 'u'))],
  ['NCName', ncname],
  ['ID', { ...ncname, name: 'ID', idKind: 'ID' }],
  ['IDREF', { ...ncname, name: 'IDREF', idKind: 'IDREF' }],
  ['IDREFS', idrefs],
  ['boolean', lexical('boolean', /^(?:true|false|1|0)$/)],
  ['float', lexical('float', FLOAT, 'collapse', undefined, true)],
  ['double', lexical('double', FLOAT, 'collapse', undefined, true)],
  ['decimal', lexical('decimal', DECIMAL, 'collapse', undefined, true)],
  ['integer', lexical('integer', INTEGER, 'collapse', undefined, true)],
  ['long', lexical('long', INTEGER, 'collapse', intRange(-(2n ** 63n), 2n ** 63n - 1n), true)],
  ['int', lexical('int', INTEGER, 'collapse', intRange(-(2n ** 31n), 2n ** 31n - 1n), true)],
  ['short', lexical('short', INTEGER, 'collapse', intRange(-32768n, 32767n), true)],
  ['nonNegativeInteger', lexical('nonNegativeInteger', INTEGER, 'collapse', intRange(0n, 2n ** 512n), true)],
  ['positiveInteger', lexical('positiveInteger', INTEGER, 'collapse', intRange(1n, 2n ** 512n), true)],
  ['dateTime', lexical('dateTime', new RegExp(`^${YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])T(?:(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?|24:00:00(?:\\.0+)?)${TZ}$`), 'collapse', validDay)],
  ['date', lexical('date', new RegExp(`^${YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])${TZ}$`), 'collapse', validDay)],
  ['gYear', lexical('gYear', new RegExp(`^${YEAR}${TZ}$`))],
  ['gYearMonth', lexical('gYearMonth', new RegExp(`^${YEAR}-(?:0[1-9]|1[0-2])${TZ}$`))],
  ['anyURI', { name: 'anyURI', whiteSpace: 'collapse', check: () => undefined }],
  ['hexBinary', lexical('hexBinary', /^(?:[0-9a-fA-F]{2})*$/)],
]);

export interface Facets {
  enumeration?: string[];
  patterns?: string[];
  minInclusive?: string;
  maxInclusive?: string;
  minExclusive?: string;
  maxExclusive?: string;
  length?: number;
  minLength?: number;
  maxLength?: number;
  whiteSpace?: SimpleType['whiteSpace'];
}

/** Length as XSD counts it: items of a list, characters (code points) of anything else. */
function lengthOf(base: SimpleType, v: string): number {
  if (base.item) return v === '' ? 0 : v.split(' ').length;
  let n = 0;
  for (const _ of v) n++;
  return n;
}

/** A type restricting `base` with `facets`. */
export function restrict(name: string, base: SimpleType, facets: Facets): SimpleType {
  const patterns = (facets.patterns ?? []).map(xsdPattern);
  const enumeration = facets.enumeration && new Set(facets.enumeration.map((e) => normalizeSpace(e, facets.whiteSpace ?? base.whiteSpace)));
  const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));
  const minI = num(facets.minInclusive);
  const maxI = num(facets.maxInclusive);
  const minE = num(facets.minExclusive);
  const maxE = num(facets.maxExclusive);
  const hasLength = facets.length !== undefined || facets.minLength !== undefined || facets.maxLength !== undefined;
  const hasRange = minI !== undefined || maxI !== undefined || minE !== undefined || maxE !== undefined;
  return {
    name,
    whiteSpace: facets.whiteSpace ?? base.whiteSpace,
    idKind: base.idKind,
    item: base.item,
    numeric: base.numeric,
    check(v) {
      const baseError = base.check(v);
      if (baseError) return baseError;
      if (hasLength) {
        const n = lengthOf(base, v);
        if (facets.length !== undefined && n !== facets.length) return `'${short(v)}' has the length ${n}; this differs from the allowed length of ${facets.length}`;
        if (facets.minLength !== undefined && n < facets.minLength) return `'${short(v)}' has the length ${n}; this underruns the allowed minimum length of ${facets.minLength}`;
        if (facets.maxLength !== undefined && n > facets.maxLength) return `'${short(v)}' has the length ${n}; this exceeds the allowed maximum length of ${facets.maxLength}`;
      }
      if (hasRange) {
        const x = Number(v);
        if (minI !== undefined && !(x >= minI)) return `the value '${short(v)}' is less than the minimum value allowed ('${facets.minInclusive}')`;
        if (maxI !== undefined && !(x <= maxI)) return `the value '${short(v)}' is greater than the maximum value allowed ('${facets.maxInclusive}')`;
        if (minE !== undefined && !(x > minE)) return `the value '${short(v)}' must be greater than '${facets.minExclusive}'`;
        if (maxE !== undefined && !(x < maxE)) return `the value '${short(v)}' must be less than '${facets.maxExclusive}'`;
      }
      if (enumeration && !enumeration.has(v)) return `the value '${short(v)}' is not an element of the set {${[...enumeration].map((e) => `'${e}'`).join(', ')}}`;
      for (const p of patterns) if (!p.test(v)) return `the value '${short(v)}' is not accepted by the pattern '${p.source}'`;
      return undefined;
    },
  };
}

/** A list of `item`s separated by white space. */
export function listOf(name: string, item: SimpleType): SimpleType {
  return {
    name,
    whiteSpace: 'collapse',
    item,
    idKind: item.idKind === 'IDREF' ? 'IDREFS' : undefined,
    check(v) {
      if (v === '') return undefined;
      for (const part of v.split(' ')) {
        const e = item.check(normalizeSpace(part, item.whiteSpace));
        if (e) return `'${short(v)}' is not a valid value of the list type '${name}' (${e})`;
      }
      return undefined;
    },
  };
}

/** Valid where any member type accepts the value. */
export function unionOf(name: string, members: SimpleType[]): SimpleType {
  return {
    name,
    whiteSpace: 'collapse',
    check(v) {
      for (const m of members) if (!m.check(normalizeSpace(v, m.whiteSpace))) return undefined;
      return `'${short(v)}' is not a valid value of the union type '${name}'`;
    },
  };
}
