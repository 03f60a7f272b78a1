/**
 * The enumerated attribute values of each PAGE version, and how a value of one
 * version (or a common spelling no version accepts, such as the code `de`) is
 * written in another. Facts read from the PRImA PAGE XSDs 2010-03-19 … 2024-07-15:
 * a value the target's enumeration lacks fails its schema, so a conforming write
 * maps it where an equivalent exists and drops it otherwise, reporting either.
 * HTR Studio's own tables; the XSDs stay the judge in the tests.
 */
import type { PageVersion } from '../model/types.js';
import { LANGUAGE_CODES, LANGUAGES_2010, LANGUAGE_SYNONYMS } from './language-codes.js';

export type VocabularyName =
  | 'language' | 'script' | 'textType' | 'graphicsType' | 'chartType' | 'pageType' | 'groupType'
  | 'colour' | 'colourDepth' | 'production' | 'readingDirection' | 'textLineOrder' | 'align'
  | 'underlineStyle' | 'dataType' | 'mirrored';

/** Word lists: the values a version added to the enumeration (none is ever removed, except scripts). */
type Additions = Readonly<Partial<Record<PageVersion, string>>>;

const LISTS: Readonly<Record<Exclude<VocabularyName, 'language' | 'script'>, Additions>> = {
  textType: {
    '2010-03-19': 'paragraph heading caption header footer page-number drop-capital credit floating signature-mark catch-word marginalia footnote footnote-continued TOC-entry',
    '2013-07-15': 'endnote other',
    '2017-07-15': 'list-label',
  },
  graphicsType: {
    '2010-03-19': 'logo letterhead handwritten-annotation stamp signature paper-grow punch-hole other',
    '2013-07-15': 'decoration frame barcode',
  },
  chartType: { '2010-03-19': 'bar line pie scatter surface other' },
  pageType: { '2013-07-15': 'front-cover back-cover title table-of-contents index content blank other' },
  groupType: { '2017-07-15': 'paragraph list list-item figure article div other' },
  colour: {
    '2010-03-19': 'black blue brown cyan green grey indigo magenta orange pink red turquoise violet white yellow',
    '2013-07-15': 'other',
  },
  colourDepth: { '2010-03-19': 'bilevel greyscale colour', '2013-07-15': 'other' },
  production: { '2013-07-15': 'printed typewritten handwritten-cursive handwritten-printscript medieval-manuscript other' },
  readingDirection: { '2010-03-19': 'left-to-right right-to-left top-to-bottom bottom-to-top' },
  textLineOrder: { '2016-07-15': 'top-to-bottom bottom-to-top left-to-right right-to-left' },
  align: { '2013-07-15': 'left centre right justify' },
  underlineStyle: { '2019-07-15': 'singleLine doubleLine other' },
  dataType: { '2016-07-15': 'xsd:decimal xsd:float xsd:integer xsd:boolean xsd:date xsd:time xsd:dateTime xsd:string other' },
  mirrored: { '2024-07-15': 'not-mirrored horizontally vertically other' },
};

/** Attributes whose values come from a vocabulary, whatever the element. */
const BY_ATTRIBUTE: Readonly<Record<string, VocabularyName>> = {
  primaryLanguage: 'language', secondaryLanguage: 'language', language: 'language',
  primaryScript: 'script', secondaryScript: 'script', script: 'script',
  production: 'production', readingDirection: 'readingDirection', textLineOrder: 'textLineOrder', align: 'align',
  colour: 'colour', bgColour: 'colour', textColour: 'colour', penColour: 'colour', lineColour: 'colour',
  colourDepth: 'colourDepth', underlineStyle: 'underlineStyle', dataType: 'dataType', mirrored: 'mirrored',
};

/** `type` means a different vocabulary on each element (and is free text on the rest, e.g. UserAttribute). */
const TYPE_BY_ELEMENT: Readonly<Record<string, VocabularyName>> = {
  TextRegion: 'textType', GraphicRegion: 'graphicsType', ChartRegion: 'chartType', Page: 'pageType',
  OrderedGroup: 'groupType', UnorderedGroup: 'groupType', OrderedGroupIndexed: 'groupType', UnorderedGroupIndexed: 'groupType',
};

/**
 * Scripts: 2010 and 2013 name a few (`Latin`), 2016 on use ISO 15924 (`Latn - Latin`)
 * and no longer accept the names. Old name ↔ ISO value, plus ISO variants written
 * with the old name of their base script.
 */
const SCRIPTS: readonly (readonly [string, string])[] = [
  ['Arabic', 'Arab - Arabic'], ['Bengali', 'Beng - Bengali'], ['Chinese-simplified', 'Hans - Han (Simplified variant)'],
  ['Chinese-traditional', 'Hant - Han (Traditional variant)'], ['Cyrillic', 'Cyrl - Cyrillic'],
  ['Devangari', 'Deva - Devanagari (Nagari)'], ['Ethiopic', 'Ethi - Ethiopic'], ['Greek', 'Grek - Greek'],
  ['Gujarati', 'Gujr - Gujarati'], ['Gurmukhi', 'Guru - Gurmukhi'], ['Hebrew', 'Hebr - Hebrew'],
  ['Latin', 'Latn - Latin'], ['Thai', 'Thai - Thai'], ['other', 'other'],
];
const SCRIPT_VARIANTS: Readonly<Record<string, string>> = { Aran: 'Arabic', Latf: 'Latin', Latg: 'Latin' };
/** An ISO 15924 value as PAGE 2016+ spells it: the four-letter code, " - ", the English name. */
const ISO_SCRIPT = /^([A-Z][a-z]{3}) - \S/;

const versionsOf = (a: Additions): [PageVersion, string][] => Object.entries(a) as [PageVersion, string][];
const cache = new Map<string, ReadonlySet<string>>();

function listValues(name: Exclude<VocabularyName, 'language' | 'script'>, v: PageVersion): ReadonlySet<string> {
  const key = `${name}/${v}`;
  let set = cache.get(key);
  if (!set) {
    set = new Set(versionsOf(LISTS[name]).filter(([since]) => since <= v).flatMap(([, words]) => words.split(' ')));
    cache.set(key, set);
  }
  return set;
}

const LANGUAGE_NAMES = new Set(LANGUAGE_CODES.map(([n]) => n));

/** The vocabulary an attribute's value belongs to, or undefined for free text. */
export function vocabularyOf(element: string, attribute: string): VocabularyName | undefined {
  if (attribute === 'type') return TYPE_BY_ELEMENT[element];
  return Object.hasOwn(BY_ATTRIBUTE, attribute) ? BY_ATTRIBUTE[attribute] : undefined;
}

/** Whether PAGE `v`'s schema accepts `value` in `vocab`. */
export function acceptsValue(v: PageVersion, vocab: VocabularyName, value: string): boolean {
  if (vocab === 'language') return value === 'other' || (v < '2013-07-15' ? LANGUAGES_2010.has(value) : LANGUAGE_NAMES.has(value));
  if (vocab === 'script') return v < '2016-07-15' ? SCRIPTS.some(([old]) => old === value) : value === 'other' || ISO_SCRIPT.test(value);
  return listValues(vocab, v).has(value);
}

/** Whether any PAGE version knows the value: what a target without it calls `other`. */
function knownSomewhere(vocab: VocabularyName, value: string): boolean {
  return acceptsValue('2024-07-15', vocab, value) || acceptsValue('2010-03-19', vocab, value) || acceptsValue('2013-07-15', vocab, value);
}

const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function languageFor(v: PageVersion, value: string): string | undefined {
  const allowed = (n: string | undefined): string | undefined => {
    if (n === undefined) return undefined;
    if (acceptsValue(v, 'language', n)) return n;
    const other = LANGUAGE_SYNONYMS[n];
    return other !== undefined && acceptsValue(v, 'language', other) ? other : undefined;
  };
  const f = fold(value.trim());
  const byName = LANGUAGE_CODES.find(([n]) => fold(n) === f)?.[0];
  if (byName) return allowed(byName);
  // A code, or a BCP 47 tag (de-AT, la-Latn): its language subtag.
  const code = f.split(/[-_]/)[0]!;
  return allowed(LANGUAGE_CODES.find(([, codes]) => codes.split(' ').includes(code))?.[0]);
}

function scriptFor(v: PageVersion, value: string): string | undefined {
  const modern = v >= '2016-07-15';
  const pair = SCRIPTS.find(([old, iso]) => old === value || iso === value || iso.slice(0, 4) === value);
  if (pair) return modern ? pair[1] : pair[0];
  const code = ISO_SCRIPT.exec(value)?.[1] ?? (/^[A-Z][a-z]{3}$/.test(value) ? value : undefined);
  if (!modern && code && SCRIPT_VARIANTS[code]) return SCRIPT_VARIANTS[code];
  return undefined;
}

/** A value no version of its own vocabulary knows, mapped by its spelling (codes, case), else undefined. */
function translate(v: PageVersion, vocab: VocabularyName, value: string): string | undefined {
  if (vocab === 'language') return languageFor(v, value);
  if (vocab === 'script') return scriptFor(v, value);
  const exact = [...listValues(vocab, '2024-07-15')].find((w) => w.toLowerCase() === value.trim().toLowerCase());
  return exact !== undefined && acceptsValue(v, vocab, exact) ? exact : undefined;
}

export type ValueOutcome =
  | { readonly action: 'keep' }
  | { readonly action: 'map'; readonly value: string; readonly message: string }
  | { readonly action: 'drop'; readonly message: string };

/**
 * How attribute `attribute`=`value` of `element` is written in PAGE `v`: as it is,
 * mapped to the target's spelling (ISO code → language name, script name ↔ ISO
 * 15924, a value the target lacks → its `other`), or dropped, with the message to report.
 */
export function conformValue(v: PageVersion, element: string, attribute: string, value: string): ValueOutcome {
  const vocab = vocabularyOf(element, attribute);
  if (!vocab || acceptsValue(v, vocab, value)) return { action: 'keep' };
  const where = `${attribute}="${value}" on <${element}>`;
  const mapped = translate(v, vocab, value);
  if (mapped !== undefined) return { action: 'map', value: mapped, message: `${where} written as "${mapped}" (the ${vocab} value PAGE ${v} uses)` };
  if (knownSomewhere(vocab, value) && acceptsValue(v, vocab, 'other')) {
    return { action: 'map', value: 'other', message: `${where} written as "other": PAGE ${v} has no such ${vocab} value` };
  }
  return { action: 'drop', message: `${where} is not a ${vocab} value of PAGE ${v} and has no equivalent: dropped` };
}
