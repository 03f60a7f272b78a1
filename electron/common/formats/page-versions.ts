import type { PageVersion } from '../model/types.js';

export const PAGE_VERSIONS: readonly PageVersion[] = ['2010-03-19', '2013-07-15', '2016-07-15', '2017-07-15', '2018-07-15', '2019-07-15', '2024-07-15'];

const NS_PREFIX = 'http://schema.primaresearch.org/PAGE/gts/pagecontent/';

export function pageNamespace(v: PageVersion): string {
  return NS_PREFIX + v;
}

/** The version a PAGE namespace names; tolerates the https:// spelling some exports use. */
export function pageVersionOf(namespace: string): PageVersion | undefined {
  const m = /^https?:\/\/schema\.primaresearch\.org\/PAGE\/gts\/pagecontent\/(\d{4}-\d{2}-\d{2})\/?$/.exec(namespace);
  if (!m) return undefined;
  return (PAGE_VERSIONS as readonly string[]).includes(m[1]!) ? (m[1] as PageVersion) : undefined;
}

export function pageSchemaLocation(v: PageVersion): string {
  return `${pageNamespace(v)} ${pageNamespace(v)}/pagecontent.xsd`;
}

/** 2010 writes points as <Point x y/> children; later versions as a points attribute. */
export function usesPointElements(v: PageVersion): boolean {
  return v === '2010-03-19';
}

/** Versions before 2016 allow one TextEquiv per element and know no Labels/UserDefined on regions. */
export function isModern(v: PageVersion): boolean {
  return v >= '2016-07-15';
}

/**
 * Attributes each element accepts, for the versions HTR Studio writes when asked to
 * conform (facts read from the PRImA PAGE XML schemas, Apache-2.0). Attributes of
 * other names are dropped with a warning when converting.
 */
const REGION_2013 = 'id custom comments';
const REGION_2019 = 'id custom comments continuation';
type AttrTable = Readonly<Record<string, string>>;

const ATTRS_2013: AttrTable = {
  PcGts: 'pcGtsId',
  Page: 'imageFilename imageWidth imageHeight custom type',
  TextRegion: `${REGION_2013} orientation type leading readingDirection readingOrientation indented align primaryLanguage secondaryLanguage primaryScript secondaryScript production`,
  TextLine: 'id primaryLanguage production custom comments',
  Word: 'id language production custom comments',
  Glyph: 'id ligature symbol production custom comments',
  TextEquiv: 'conf',
  Coords: 'points',
  Baseline: 'points',
  TextStyle: 'fontFamily serif monospace fontSize kerning textColour bgColour reverseVideo bold italic underlined subscript superscript strikethrough smallCaps letterSpaced',
  AlternativeImage: 'filename comments',
  ReadingOrder: '',
  OrderedGroup: 'id caption',
  UnorderedGroup: 'id caption',
  OrderedGroupIndexed: 'id index caption',
  UnorderedGroupIndexed: 'id index caption',
  RegionRefIndexed: 'index regionRef',
  RegionRef: 'regionRef',
  Metadata: '',
  ImageRegion: `${REGION_2013} orientation colourDepth bgColour embText`,
  LineDrawingRegion: `${REGION_2013} orientation penColour bgColour embText`,
  GraphicRegion: `${REGION_2013} orientation type numColours embText`,
  TableRegion: `${REGION_2013} orientation rows columns lineColour bgColour lineSeparators embText`,
  ChartRegion: `${REGION_2013} orientation type numColours bgColour embText`,
  SeparatorRegion: `${REGION_2013} orientation colour`,
  MathsRegion: `${REGION_2013} orientation bgColour`,
  ChemRegion: `${REGION_2013} orientation bgColour`,
  MusicRegion: `${REGION_2013} orientation bgColour`,
  AdvertRegion: `${REGION_2013} orientation bgColour`,
  NoiseRegion: REGION_2013,
  UnknownRegion: REGION_2013,
};

const ATTRS_2019: AttrTable = {
  PcGts: 'pcGtsId',
  Page: 'imageFilename imageWidth imageHeight imageXResolution imageYResolution imageResolutionUnit custom orientation type primaryLanguage secondaryLanguage primaryScript secondaryScript readingDirection textLineOrder conf',
  TextRegion: `${REGION_2019} orientation type leading readingDirection textLineOrder readingOrientation indented align primaryLanguage secondaryLanguage primaryScript secondaryScript production`,
  TextLine: 'id primaryLanguage primaryScript secondaryScript readingDirection production custom comments index',
  Word: 'id language primaryScript secondaryScript readingDirection production custom comments',
  Glyph: 'id ligature symbol script production custom comments',
  TextEquiv: 'index conf dataType dataTypeDetails comments',
  Coords: 'points conf',
  Baseline: 'points conf',
  TextStyle: 'fontFamily serif monospace fontSize xHeight kerning textColour textColourRgb bgColour bgColourRgb reverseVideo bold italic underlined underlineStyle subscript superscript strikethrough smallCaps letterSpaced',
  AlternativeImage: 'filename comments conf',
  ReadingOrder: 'conf',
  OrderedGroup: 'id regionRef caption type continuation custom comments',
  UnorderedGroup: 'id regionRef caption type continuation custom comments',
  OrderedGroupIndexed: 'id regionRef index caption type continuation custom comments',
  UnorderedGroupIndexed: 'id regionRef index caption type continuation custom comments',
  RegionRefIndexed: 'index regionRef',
  RegionRef: 'regionRef',
  MetadataItem: 'type name value date',
  Labels: 'externalModel externalId prefix comments',
  Label: 'value type comments',
  UserAttribute: 'name description type value',
  TableCellRole: 'rowIndex columnIndex rowSpan colSpan header',
  Metadata: 'externalRef',
  ImageRegion: `${REGION_2019} orientation colourDepth bgColour embText`,
  LineDrawingRegion: `${REGION_2019} orientation penColour bgColour embText`,
  GraphicRegion: `${REGION_2019} orientation type numColours embText`,
  TableRegion: `${REGION_2019} orientation rows columns lineColour bgColour lineSeparators embText`,
  ChartRegion: `${REGION_2019} orientation type numColours bgColour embText`,
  MapRegion: `${REGION_2019} orientation`,
  SeparatorRegion: `${REGION_2019} orientation colour`,
  MathsRegion: `${REGION_2019} orientation bgColour`,
  ChemRegion: `${REGION_2019} orientation bgColour`,
  MusicRegion: `${REGION_2019} orientation bgColour`,
  AdvertRegion: `${REGION_2019} orientation bgColour`,
  NoiseRegion: REGION_2019,
  UnknownRegion: REGION_2019,
  CustomRegion: `${REGION_2019} type`,
};

const cache = new Map<string, ReadonlySet<string> | null>();

/** Attribute names `element` accepts in `v`, or null where HTR Studio has no table (accept all). */
export function allowedAttributes(v: PageVersion, element: string): ReadonlySet<string> | null {
  const key = `${v}/${element}`;
  if (cache.has(key)) return cache.get(key)!;
  const table = v === '2013-07-15' ? ATTRS_2013 : v === '2019-07-15' ? ATTRS_2019 : undefined;
  const spec = table?.[element];
  const set = spec === undefined ? (table ? new Set<string>() : null) : new Set(spec.split(' ').filter(Boolean));
  cache.set(key, set);
  return set;
}

/** Region elements each version knows; others are mapped (see page-write) when converting. */
export function knowsRegion(v: PageVersion, kind: string): boolean {
  if (kind === 'TableCell') return false;
  if (kind === 'FrameRegion') return v === '2010-03-19';
  if (kind === 'MapRegion' || kind === 'CustomRegion') return v >= '2016-07-15';
  if (kind === 'FormRegion') return v >= '2024-07-15';
  if (kind === 'ChemRegion' || kind === 'MusicRegion' || kind === 'AdvertRegion') return v >= '2013-07-15';
  return true;
}
