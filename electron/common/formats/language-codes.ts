/**
 * Language names as PAGE writes them (its LanguageSimpleType: English names, the
 * same list in every version from 2013; 2010 knows the 43 marked below) and the
 * ISO 639 codes that stand for each (639-1, 639-2/T and /B, a few 639-3 individual
 * languages franc and others write), so a code such as `de` or `deu` can be written
 * as the name a PAGE version wants, and a PAGE name as ALTO's xsd:language code.
 * HTR Studio's own table, made from the ISO 639 code lists.
 */

/** [PAGE name, its ISO 639 codes]; the first code is the shortest one (ALTO LANG). */
export const LANGUAGE_CODES: readonly (readonly [string, string])[] = [
  ['Abkhaz', 'ab abk'], ['Afar', 'aa aar'], ['Afrikaans', 'af afr'], ['Akan', 'ak aka'],
  ['Albanian', 'sq sqi alb als'], ['Amharic', 'am amh'], ['Arabic', 'ar ara arb'], ['Aragonese', 'an arg'],
  ['Armenian', 'hy hye arm'], ['Assamese', 'as asm'], ['Avaric', 'av ava'], ['Avestan', 'ae ave'],
  ['Aymara', 'ay aym'], ['Azerbaijani', 'az aze azj'], ['Bambara', 'bm bam'], ['Bashkir', 'ba bak'],
  ['Basque', 'eu eus baq'], ['Belarusian', 'be bel'], ['Bengali', 'bn ben'], ['Bihari', 'bh bih'],
  ['Bislama', 'bi bis'], ['Bosnian', 'bs bos'], ['Breton', 'br bre'], ['Bulgarian', 'bg bul'],
  ['Burmese', 'my mya bur'], ['Cambodian', ''], ['Cantonese', 'yue'], ['Catalan', 'ca cat'],
  ['Chamorro', 'ch cha'], ['Chechen', 'ce che'], ['Chichewa', 'ny nya'], ['Chinese', 'zh zho chi cmn'],
  ['Chuvash', 'cv chv'], ['Cornish', 'kw cor'], ['Corsican', 'co cos'], ['Cree', 'cr cre'], ['Croatian', 'hr hrv'],
  ['Czech', 'cs ces cze'], ['Danish', 'da dan'], ['Divehi', 'dv div'], ['Dutch', 'nl nld dut'],
  ['Dzongkha', 'dz dzo'], ['English', 'en eng'], ['Esperanto', 'eo epo'], ['Estonian', 'et est ekk'],
  ['Ewe', 'ee ewe'], ['Faroese', 'fo fao'], ['Fijian', 'fj fij'], ['Finnish', 'fi fin'], ['French', 'fr fra fre'],
  ['Fula', 'ff ful'], ['Gaelic', 'gd gla'], ['Galician', 'gl glg'], ['Ganda', 'lg lug'], ['Georgian', 'ka kat geo'],
  ['German', 'de deu ger'], ['Greek', 'el ell gre'], ['Guaraní', 'gn grn'], ['Gujarati', 'gu guj'],
  ['Haitian', 'ht hat'], ['Hausa', 'ha hau'], ['Hebrew', 'he heb'], ['Herero', 'hz her'], ['Hindi', 'hi hin'],
  ['Hiri Motu', 'ho hmo'], ['Hungarian', 'hu hun'], ['Icelandic', 'is isl ice'], ['Ido', 'io ido'],
  ['Igbo', 'ig ibo'], ['Indonesian', 'id ind'], ['Interlingua', 'ia ina'], ['Interlingue', 'ie ile'],
  ['Inuktitut', 'iu iku'], ['Inupiaq', 'ik ipk'], ['Irish', 'ga gle'], ['Italian', 'it ita'], ['Japanese', 'ja jpn'],
  ['Javanese', 'jv jav'], ['Kalaallisut', 'kl kal'], ['Kannada', 'kn kan'], ['Kanuri', 'kr kau'],
  ['Kashmiri', 'ks kas'], ['Kazakh', 'kk kaz'], ['Khmer', 'km khm'], ['Kikuyu', 'ki kik'], ['Kinyarwanda', 'rw kin'],
  ['Kirundi', 'rn run'], ['Komi', 'kv kom'], ['Kongo', 'kg kon'], ['Korean', 'ko kor'], ['Kurdish', 'ku kur'],
  ['Kwanyama', 'kj kua'], ['Kyrgyz', 'ky kir'], ['Lao', 'lo lao'], ['Latin', 'la lat'], ['Latvian', 'lv lav lvs'],
  ['Limburgish', 'li lim'], ['Lingala', 'ln lin'], ['Lithuanian', 'lt lit'], ['Luba-Katanga', 'lu lub'],
  ['Luxembourgish', 'lb ltz'], ['Macedonian', 'mk mkd mac'], ['Malagasy', 'mg mlg'], ['Malay', 'ms msa may zsm'],
  ['Malayalam', 'ml mal'], ['Maltese', 'mt mlt'], ['Manx', 'gv glv'], ['Māori', 'mi mri mao'], ['Marathi', 'mr mar'],
  ['Marshallese', 'mh mah'], ['Mongolian', 'mn mon'], ['Nauru', 'na nau'], ['Navajo', 'nv nav'],
  ['Ndonga', 'ng ndo'], ['Nepali', 'ne nep npi'], ['North Ndebele', 'nd nde'], ['Northern Sami', 'se sme'],
  ['Norwegian', 'no nor'], ['Norwegian Bokmål', 'nb nob'], ['Norwegian Nynorsk', 'nn nno'], ['Nuosu', 'ii iii'],
  ['Occitan', 'oc oci'], ['Ojibwe', 'oj oji'], ['Old Church Slavonic', 'cu chu'], ['Oriya', 'or ori'],
  ['Oromo', 'om orm'], ['Ossetian', 'os oss'], ['Pāli', 'pi pli'], ['Panjabi', 'pa pan'], ['Pashto', 'ps pus'],
  ['Persian', 'fa fas per pes'], ['Polish', 'pl pol'], ['Portuguese', 'pt por'], ['Punjabi', ''],
  ['Quechua', 'qu que quz'], ['Romanian', 'ro ron rum'], ['Romansh', 'rm roh'], ['Russian', 'ru rus'],
  ['Samoan', 'sm smo'], ['Sango', 'sg sag'], ['Sanskrit', 'sa san'], ['Sardinian', 'sc srd'], ['Serbian', 'sr srp'],
  ['Shona', 'sn sna'], ['Sindhi', 'sd snd'], ['Sinhala', 'si sin'], ['Slovak', 'sk slk slo'], ['Slovene', 'sl slv'],
  ['Somali', 'so som'], ['South Ndebele', 'nr nbl'], ['Southern Sotho', 'st sot'], ['Spanish', 'es spa'],
  ['Sundanese', 'su sun'], ['Swahili', 'sw swa swh'], ['Swati', 'ss ssw'], ['Swedish', 'sv swe'],
  ['Tagalog', 'tl tgl'], ['Tahitian', 'ty tah'], ['Tajik', 'tg tgk'], ['Tamil', 'ta tam'], ['Tatar', 'tt tat'],
  ['Telugu', 'te tel'], ['Thai', 'th tha'], ['Tibetan', 'bo bod tib'], ['Tigrinya', 'ti tir'], ['Tonga', 'to ton'],
  ['Tsonga', 'ts tso'], ['Tswana', 'tn tsn'], ['Turkish', 'tr tur'], ['Turkmen', 'tk tuk'], ['Twi', 'tw twi'],
  ['Uighur', 'ug uig'], ['Ukrainian', 'uk ukr'], ['Urdu', 'ur urd'], ['Uzbek', 'uz uzb uzn'], ['Venda', 've ven'],
  ['Vietnamese', 'vi vie'], ['Volapük', 'vo vol'], ['Walloon', 'wa wln'], ['Welsh', 'cy cym wel'],
  ['Western Frisian', 'fy fry'], ['Wolof', 'wo wol'], ['Xhosa', 'xh xho'], ['Yiddish', 'yi yid'],
  ['Yoruba', 'yo yor'], ['Zhuang', 'za zha'], ['Zulu', 'zu zul'],
];

/** The names PAGE 2010-03-19 knows (later versions know every name above). */
export const LANGUAGES_2010: ReadonlySet<string> = new Set([
  'Afrikaans', 'Albanian', 'Amharic', 'Arabic', 'Basque', 'Bengali', 'Bulgarian', 'Cambodian', 'Cantonese', 'Chinese',
  'Czech', 'Danish', 'Dutch', 'English', 'Estonian', 'Finnish', 'French', 'German', 'Greek', 'Gujarati', 'Hebrew',
  'Hindi', 'Hungarian', 'Icelandic', 'Gaelic', 'Italian', 'Japanese', 'Korean', 'Latin', 'Latvian', 'Malay',
  'Norwegian', 'Polish', 'Portuguese', 'Punjabi', 'Russian', 'Spanish', 'Swedish', 'Thai', 'Turkish', 'Urdu', 'Welsh',
]);

/** Two spellings of one language in the list: where a version lacks one, the other is written. */
export const LANGUAGE_SYNONYMS: Readonly<Record<string, string>> = {
  Khmer: 'Cambodian', Cambodian: 'Khmer', Panjabi: 'Punjabi', Punjabi: 'Panjabi',
};

/** The shortest ISO 639 code of a PAGE language name (ALTO's LANG is an xsd:language code), or undefined. */
export function languageCodeOf(name: string): string | undefined {
  const n = LANGUAGE_SYNONYMS[name] !== undefined && !LANGUAGE_CODES.find(([x]) => x === name)?.[1] ? LANGUAGE_SYNONYMS[name]! : name;
  const codes = LANGUAGE_CODES.find(([x]) => x === n)?.[1];
  return codes ? codes.split(' ')[0] : undefined;
}
