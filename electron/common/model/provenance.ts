/**
 * Per-line history and status: which texts a line has had, who or what made each
 * (a model with its id and version, or a person), when, and whether a person has
 * corrected or verified the current one.
 *
 * Stored in the PAGE file itself, inside the line's `UserDefined` (PAGE 2016 and
 * later), so the history travels with the page and every other tool still reads the
 * current text from the line's TextEquiv as before:
 *
 *   <UserAttribute name="htr-studio:version" type="xsd:string" value="TEXT"
 *                  description='{"by":"model","model":"htr-default","version":"step-24054","at":"…","conf":0.83}'/>
 *   <UserAttribute name="htr-studio:status" type="xsd:string" value="verified"/>
 *
 * The last version is the current text (when it still matches the TextEquiv). A
 * text that changed outside HTR Studio is recorded, when the line next changes, as a
 * version of unknown origin, so nothing is ever attributed to the wrong author.
 * PAGE 2010/2013 and ALTO have no place for this: their lines keep a status derived
 * from the text (machine text carries a confidence, a person's does not) and no history.
 */
import type { DocumentFormat, PageDocument, TextEquiv, TextLine, UserAttribute } from './types.js';
import { allLines, lineConf, lineText, mainTextEquiv } from './stats.js';
import { mapAllLines } from './ops.js';

export type LineAuthor =
  | { readonly kind: 'model'; readonly model: string; readonly version?: string }
  | { readonly kind: 'person'; readonly name?: string }
  /** Text found in the file, made before HTR Studio recorded anything. */
  | { readonly kind: 'unknown' };

export interface LineVersion {
  readonly text: string;
  readonly by: LineAuthor;
  /** ISO 8601 time the version was made. */
  readonly at?: string;
  /** The model's confidence in this text (model versions). */
  readonly conf?: number;
  /** A person confirmed this text as right without changing it. */
  readonly verified?: boolean;
  /** The model's confidence in each character of `text` (one per UTF-16 code unit), model versions. */
  readonly chars?: readonly number[];
}

/** machine: a model's text nobody changed; corrected: a person wrote or changed it; verified: a person confirmed it. */
export const LINE_STATUSES = ['machine', 'corrected', 'verified'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

const VERSION = 'htr-studio:version';
const STATUS = 'htr-studio:status';
/** Edits by the same person within this time are one version (a line fixed in two goes is one correction). */
const SAME_SITTING_MS = 10 * 60_000;
/** The oldest versions go first beyond this, except the very first (usually the model's reading). */
export const MAX_VERSIONS = 50;

/** Versions with UserDefined on lines: PAGE 2016 and later. */
export function supportsLineHistory(format: DocumentFormat): boolean {
  return format.kind === 'page' && format.version >= '2016-07-15';
}

function ours(a: UserAttribute): boolean {
  return a.name === VERSION || a.name === STATUS;
}

function parseAuthor(o: Record<string, unknown>): LineAuthor {
  if (o.by === 'model' && typeof o.model === 'string') return { kind: 'model', model: o.model, ...(typeof o.version === 'string' && { version: o.version }) };
  if (o.by === 'person') return { kind: 'person', ...(typeof o.name === 'string' && o.name && { name: o.name }) };
  return { kind: 'unknown' };
}

function parseVersion(a: UserAttribute): LineVersion {
  let o: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(a.description ?? '{}');
    if (parsed && typeof parsed === 'object') o = parsed as Record<string, unknown>;
  } catch {
    // A description another tool rewrote: the text is still a version, of unknown origin.
  }
  return {
    text: a.value ?? '',
    by: parseAuthor(o),
    ...(typeof o.at === 'string' && { at: o.at }),
    ...(typeof o.conf === 'number' && Number.isFinite(o.conf) && { conf: o.conf }),
    ...(o.verified === true && { verified: true }),
    ...(typeof o.chars === 'string' && decodeChars(o.chars, (a.value ?? '').length)),
  };
}

/** Character confidences stored compactly: two hex digits (0–255) per UTF-16 code unit of the text. */
function encodeChars(chars: readonly number[]): string {
  return chars.map((c) => Math.round(Math.max(0, Math.min(1, c)) * 255).toString(16).padStart(2, '0')).join('');
}

function decodeChars(hex: string, length: number): { chars: number[] } | Record<string, never> {
  if (hex.length !== 2 * length || !/^[0-9a-f]*$/i.test(hex)) return {};
  const chars: number[] = [];
  for (let i = 0; i < hex.length; i += 2) chars.push(parseInt(hex.slice(i, i + 2), 16) / 255);
  return { chars };
}

function versionAttribute(v: LineVersion): UserAttribute {
  const by = v.by.kind === 'model' ? { by: 'model', model: v.by.model, ...(v.by.version && { version: v.by.version }) }
    : v.by.kind === 'person' ? { by: 'person', ...(v.by.name && { name: v.by.name }) }
    : { by: 'unknown' };
  const meta = { ...by, ...(v.at && { at: v.at }), ...(v.conf !== undefined && { conf: v.conf }), ...(v.verified && { verified: true }), ...(v.chars && { chars: encodeChars(v.chars) }) };
  return { name: VERSION, type: 'xsd:string', value: v.text, description: JSON.stringify(meta) };
}

/** The line's recorded versions, oldest first. */
export function lineVersions(l: TextLine): LineVersion[] {
  return (l.userDefined?.attributes ?? []).filter((a) => a.name === VERSION).map(parseVersion);
}

function storedStatus(l: TextLine): LineStatus | undefined {
  const v = l.userDefined?.attributes.find((a) => a.name === STATUS)?.value;
  return (LINE_STATUSES as readonly string[]).includes(v ?? '') ? (v as LineStatus) : undefined;
}

/** The line's status: as recorded, else from its text (none for a line without text). */
export function lineStatus(l: TextLine): LineStatus | undefined {
  const stored = storedStatus(l);
  if (stored) return stored;
  if (!lineText(l)) return undefined;
  return lineConf(l) === undefined ? 'corrected' : 'machine';
}

function withOurs(l: TextLine, versions: readonly LineVersion[], status: LineStatus | undefined): TextLine {
  const others = (l.userDefined?.attributes ?? []).filter((a) => !ours(a));
  const attributes = [...others, ...versions.map(versionAttribute), ...(status ? [{ name: STATUS, type: 'xsd:string', value: status }] : [])];
  if (!attributes.length) {
    const { userDefined: _u, ...rest } = l;
    return rest;
  }
  return { ...l, userDefined: { ...(l.userDefined ?? {}), attributes } };
}

function sameAuthor(a: LineAuthor, b: LineAuthor): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'person' && b.kind === 'person') return (a.name ?? '') === (b.name ?? '');
  if (a.kind === 'model' && b.kind === 'model') return a.model === b.model && a.version === b.version;
  return true;
}

/**
 * `after` (the line with its new text) with the change from `before` recorded:
 * a version for the text `before` had if nobody recorded it yet, then one for the
 * new text. A person's further edits within minutes of their last one replace that
 * version. The status follows: a person's text is corrected (or verified), a model's is machine.
 */
export function recordChange(before: TextLine, after: TextLine, by: LineAuthor, at: string, opts: { verified?: boolean; chars?: readonly number[] } = {}): TextLine {
  const versions = lineVersions(before);
  const old = lineText(before);
  const last = versions[versions.length - 1];
  if (old && (!last || last.text !== old)) {
    const conf = lineConf(before);
    versions.push({ text: old, by: { kind: 'unknown' }, ...(conf !== undefined && { conf }) });
  }
  const text = lineText(after);
  const conf = lineConf(after);
  const chars = by.kind === 'model' && opts.chars?.length === text.length && text.length > 0 ? opts.chars : undefined;
  const next: LineVersion = { text, by, at, ...(conf !== undefined && by.kind === 'model' && { conf }), ...(opts.verified && { verified: true }), ...(chars && { chars }) };
  const prev = versions[versions.length - 1];
  const sameSitting = prev && by.kind === 'person' && sameAuthor(prev.by, by) && prev.at && Date.parse(at) - Date.parse(prev.at) < SAME_SITTING_MS
    && !prev.verified;
  if (sameSitting) versions[versions.length - 1] = next;
  else if (!(prev && prev.text === text && sameAuthor(prev.by, by) && !!prev.verified === !!opts.verified)) versions.push(next);
  while (versions.length > MAX_VERSIONS) versions.splice(1, 1);
  const status: LineStatus | undefined = by.kind !== 'person' ? undefined : opts.verified ? 'verified' : 'corrected';
  return withOurs(after, versions, status);
}

/** The line with only its status changed (e.g. back to corrected when a verified line's text is questioned). */
export function withStatus(l: TextLine, status: LineStatus | undefined): TextLine {
  return withOurs(l, lineVersions(l), status);
}

/** A version's author in words, for the history list ("htr-default step-24054", "Marie", "a person"). */
export function authorLabel(v: LineVersion): string {
  if (v.by.kind === 'model') return v.by.version ? `${v.by.model} ${v.by.version}` : v.by.model;
  if (v.by.kind === 'person') return v.by.name ?? 'a person';
  return v.conf !== undefined ? 'a model (before HTR Studio)' : 'from the file';
}

/**
 * `after` with every line whose text differs from its `before` self recorded as
 * made by `by`. Any edit can go through this (typing, find and replace, a merge of
 * two lines), so no text change escapes the history; a document whose format has no
 * place for history comes back as it is.
 */
export function recordTextChanges(before: PageDocument, after: PageDocument, by: LineAuthor, at: string): PageDocument {
  if (after === before || !supportsLineHistory(after.format)) return after;
  const old = new Map(allLines(before.page.regions).map((l) => [l.id, l]));
  return mapAllLines(after, (l) => {
    const b = old.get(l.id);
    return b && b !== l && lineText(b) !== lineText(l) ? recordChange(b, l, by, at) : l;
  });
}

/**
 * A person confirms the lines' text as right (Ctrl+Enter): the text loses its model
 * confidence (it is now a person's, which jobs leave alone) and the line is
 * verified. Lines without text are left as they are.
 */
export function verifyLines(doc: PageDocument, lineIds: readonly string[], by: LineAuthor, at: string): PageDocument {
  const ids = new Set(lineIds);
  const history = supportsLineHistory(doc.format);
  return mapAllLines(doc, (l) => {
    if (!ids.has(l.id) || !lineText(l)) return l;
    const i = mainTextEquiv(l);
    const unconfident = i < 0 ? l : { ...l, textEquivs: l.textEquivs.map((t, k) => (k === i ? withoutConf(t) : t)) };
    if (!history) return unconfident === l || lineConf(l) === undefined ? l : unconfident;
    if (lineStatus(l) === 'verified') return l;
    return recordChange(l, unconfident, by, at, { verified: true });
  });
}

function withoutConf(t: TextEquiv): TextEquiv {
  const { conf: _c, ...rest } = t;
  return rest;
}

/**
 * A recogniser's reading of a line taken into the line as it is now: its text and
 * confidence replace the line's, and the change is recorded as the model's (the
 * author the recogniser recorded on `read`, else `fallback`). Geometry, words and
 * everything else stay as they are now. The one way job results reach a document,
 * in the engine (pages written by a job) and in the editor (the open page).
 */
export function takeReading(now: TextLine, read: TextLine, format: DocumentFormat, fallback: LineAuthor, at: string): TextLine {
  if (read.textEquivs === now.textEquivs) return now;
  const updated: TextLine = { ...now, textEquivs: read.textEquivs };
  if (!supportsLineHistory(format) || lineText(updated) === lineText(now) && lineConf(updated) === lineConf(now)) return updated;
  const mine = lineVersions(read);
  const last = mine[mine.length - 1];
  const by = last && last.by.kind === 'model' ? last.by : fallback;
  return recordChange(now, updated, by, last?.at ?? at, last?.chars ? { chars: last.chars } : {});
}

/**
 * The model's confidence in each character of the line's current text (one per
 * UTF-16 code unit), while that text is still the model's reading: undefined once a
 * person changed or confirmed it, or where the reading recorded none.
 */
export function charConfidences(l: TextLine): readonly number[] | undefined {
  const last = lineVersions(l).at(-1);
  const text = lineText(l);
  return last?.by.kind === 'model' && last.chars && last.text === text && last.chars.length === text.length && lineStatus(l) === 'machine' ? last.chars : undefined;
}

/** The model a recogniser manifest stands for, as line history records it. */
export function modelAuthor(manifest: { readonly id: string; readonly version?: string }): LineAuthor {
  return { kind: 'model', model: manifest.id, ...(manifest.version && { version: manifest.version }) };
}

/** The line without HTR Studio's history and status (what stays when only its text changed). */
export function withoutHistory(l: TextLine): TextLine {
  return l.userDefined?.attributes.some(ours) ? withOurs(l, [], undefined) : l;
}

/** `to` with the history and status of `from` (the same line in another version of the page). */
export function copyHistory(to: TextLine, from: TextLine): TextLine {
  return withOurs(to, lineVersions(from), storedStatus(from));
}
