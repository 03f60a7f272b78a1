/**
 * Language names as PAGE and library catalogues write them, kept apart from the
 * identifier so the editor can show names without loading trigram profiles.
 */
/** ISO 639-3 → the PAGE language name (LanguageSimpleType) and the MARC/MODS code (ISO 639-2/B). */
export const LANGUAGE_NAMES: Readonly<Record<string, { readonly page: string; readonly marc: string }>> = {
  fra: { page: 'French', marc: 'fre' },
  lat: { page: 'Latin', marc: 'lat' },
  ita: { page: 'Italian', marc: 'ita' },
  por: { page: 'Portuguese', marc: 'por' },
  spa: { page: 'Spanish', marc: 'spa' },
  cat: { page: 'Catalan', marc: 'cat' },
  oci: { page: 'Occitan', marc: 'oci' },
  deu: { page: 'German', marc: 'ger' },
  nld: { page: 'Dutch', marc: 'dut' },
  eng: { page: 'English', marc: 'eng' },
  dan: { page: 'Danish', marc: 'dan' },
  swe: { page: 'Swedish', marc: 'swe' },
  pol: { page: 'Polish', marc: 'pol' },
  ces: { page: 'Czech', marc: 'cze' },
  hun: { page: 'Hungarian', marc: 'hun' },
  ell: { page: 'Greek', marc: 'gre' },
  arb: { page: 'Arabic', marc: 'ara' },
  heb: { page: 'Hebrew', marc: 'heb' },
  rus: { page: 'Russian', marc: 'rus' },
  fin: { page: 'Finnish', marc: 'fin' },
  lit: { page: 'Lithuanian', marc: 'lit' },
};
