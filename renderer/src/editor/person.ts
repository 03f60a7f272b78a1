/**
 * Who is correcting, as line history records it: the name the person gave in the
 * history panel (kept in this browser profile), else "a person". Nothing is sent
 * anywhere; the name is written only into the pages this person edits.
 */
import type { LineAuthor } from '../../../electron/common/model/provenance.js';

const KEY = 'htr-studio-person-name';

export function personName(): string {
  return localStorage.getItem(KEY) ?? '';
}

export function setPersonName(name: string): void {
  if (name.trim()) localStorage.setItem(KEY, name.trim());
  else localStorage.removeItem(KEY);
}

export function currentPerson(): LineAuthor {
  const name = personName().trim();
  return { kind: 'person', ...(name && { name }) };
}
