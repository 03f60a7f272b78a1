import type { AltoVersion } from '../model/types.js';

export const ALTO_VERSIONS: readonly AltoVersion[] = ['2.0', '2.1', '3.0', '3.1', '4.0', '4.1', '4.2', '4.3', '4.4'];

/** The version HTR Studio writes when asked for ALTO 4. */
export const ALTO_WRITE_VERSION: AltoVersion = '4.4';

export function altoNamespace(v: AltoVersion): string {
  return `http://www.loc.gov/standards/alto/ns-v${v[0]}#`;
}

export function altoSchemaLocation(v: AltoVersion): string {
  const major = v[0]!;
  const file = major === '2' ? `alto-v${v}.xsd` : `v${major}/alto-${v.replace('.', '-')}.xsd`;
  return `${altoNamespace(v)} http://www.loc.gov/standards/alto/${file}`;
}

/**
 * The ALTO version of a root element: the namespace gives the major version, the
 * schemaLocation (or @SCHEMAVERSION) the minor one. A location without a minor
 * version (Transkribus: ".../alto/v4/alto.xsd", or none) means the newest minor of
 * that major: the one its producer wrote against, and the one whose schema accepts
 * what every older minor does.
 */
export function altoVersionOf(namespace: string, schemaLocation: string | undefined, schemaVersion: string | undefined): AltoVersion | undefined {
  const m = /^http:\/\/www\.loc\.gov\/standards\/alto\/ns-v(\d)#$/.exec(namespace);
  if (!m) return undefined;
  const major = m[1]!;
  const candidates = ALTO_VERSIONS.filter((v) => v[0] === major);
  if (!candidates.length) return undefined;
  if (schemaVersion && (candidates as readonly string[]).includes(schemaVersion)) return schemaVersion as AltoVersion;
  const loc = /alto-v?(\d)[.-](\d)\.xsd/.exec(schemaLocation ?? '');
  if (loc && loc[1] === major) {
    const v = `${loc[1]}.${loc[2]}`;
    if ((candidates as readonly string[]).includes(v)) return v as AltoVersion;
  }
  return candidates[candidates.length - 1];
}

/**
 * The enumerations that changed between ALTO versions (read from the official
 * XSDs 2.0 … 4.4): each list with the version that added each value. No value was
 * ever removed, so the newest minor accepts what every older one does, and a write
 * to ALTO_WRITE_VERSION keeps an older file's values as they are.
 */
export type AltoVocabularyName = 'fontStyle' | 'processingCategory' | 'baseDirection';

const ALTO_VOCABULARIES: Readonly<Record<AltoVocabularyName, Readonly<Partial<Record<AltoVersion, string>>>>> = {
  fontStyle: { '2.0': 'bold italics subscript superscript smallcaps underline', '4.2': 'strikethrough' },
  processingCategory: { '4.1': 'contentGeneration contentModification preOperation postOperation other' },
  baseDirection: { '4.3': 'ltr rtl ttb btt' },
};

/** The values of `vocab` that ALTO `v` accepts (empty where the version has no such attribute). */
export function altoVocabulary(v: AltoVersion, vocab: AltoVocabularyName): readonly string[] {
  return (Object.entries(ALTO_VOCABULARIES[vocab]) as [AltoVersion, string][])
    .filter(([since]) => since <= v)
    .flatMap(([, words]) => words.split(' '));
}

/** ALTO BASEDIRECTION (4.3+) and the PAGE readingDirection each stands for. */
export const ALTO_DIRECTIONS: Readonly<Record<string, string>> = {
  ltr: 'left-to-right', rtl: 'right-to-left', ttb: 'top-to-bottom', btt: 'bottom-to-top',
};
