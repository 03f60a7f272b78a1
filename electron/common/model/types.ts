/**
 * HTR Studio's one document model: typed, immutable records for a page and what
 * is on it. Pure data: operations live in ops.ts, reading and writing in formats/.
 *
 * Losslessness: every record may carry a `Residue` with what its reader could not
 * map onto typed fields (attributes, unknown child elements, source spellings).
 * Writers put it back in place, so a file read and written in its own format and
 * version keeps its whole tree.
 */
import type { XmlElement, XmlNode } from '../xml/xml-node.js';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export type Points = readonly Point[];

/** An unknown child node, placed after `at` known children of its parent. */
export interface PlacedNode {
  readonly at: number;
  readonly node: XmlNode;
}

export type SourceFormat = 'page' | 'alto';

export interface Residue {
  /** Format the residue was read from; a writer of another format cannot use it. */
  readonly format: SourceFormat;
  /** Attributes with no typed field, by qualified name as in the source. */
  readonly attrs?: Readonly<Record<string, string>>;
  /** Child nodes the reader did not understand, in their source places. */
  readonly nodes?: readonly PlacedNode[];
  /** Source spellings of typed attributes (e.g. conf="1.0"), reused while the value is unchanged. */
  readonly spelling?: Readonly<Record<string, string>>;
  /**
   * Format-specific source elements that typed fields were derived from (e.g. an
   * ALTO `Shape`); written back verbatim while those fields are unchanged.
   */
  readonly kept?: Readonly<Record<string, XmlElement>>;
  /** Typed values as read, to tell whether a field changed since (compared by identity). */
  readonly snapshot?: Readonly<Record<string, unknown>>;
}

export interface Residual {
  readonly x?: Residue;
}

/** Coords, Baseline and the like: a polyline or polygon with an optional confidence. */
export interface Shape extends Residual {
  readonly points: Points;
  readonly conf?: number;
}

export interface TextEquiv extends Residual {
  readonly index?: number;
  readonly conf?: number;
  readonly unicode: string;
  readonly plainText?: string;
}

/** PAGE TextStyle: every attribute is presentational, kept by name. */
export interface TextStyle extends Residual {
  readonly attrs: Readonly<Record<string, string>>;
}

export interface UserAttribute {
  readonly name?: string;
  readonly value?: string;
  readonly type?: string;
  readonly description?: string;
}

export interface UserDefined extends Residual {
  readonly attributes: readonly UserAttribute[];
}

export interface Label {
  readonly value: string;
  readonly type?: string;
  readonly comments?: string;
}

export interface Labels extends Residual {
  readonly externalModel?: string;
  readonly externalId?: string;
  readonly prefix?: string;
  readonly comments?: string;
  readonly labels: readonly Label[];
}

export interface AlternativeImage extends Residual {
  readonly filename: string;
  readonly comments?: string;
  readonly conf?: number;
}

/** Fields shared by lines, words and glyphs. */
export interface TextElement extends Residual {
  readonly id: string;
  readonly custom?: string;
  readonly comments?: string;
  readonly coords?: Shape;
  readonly textEquivs: readonly TextEquiv[];
  readonly textStyle?: TextStyle;
  readonly userDefined?: UserDefined;
  readonly labels: readonly Labels[];
  readonly alternativeImages: readonly AlternativeImage[];
}

export interface Glyph extends TextElement {
  readonly kind: 'Glyph';
}

export interface Word extends TextElement {
  readonly kind: 'Word';
  readonly glyphs: readonly Glyph[];
}

export interface TextLine extends TextElement {
  readonly kind: 'TextLine';
  readonly baseline?: Shape;
  readonly words: readonly Word[];
}

export const REGION_KINDS = [
  'TextRegion', 'ImageRegion', 'LineDrawingRegion', 'GraphicRegion', 'TableRegion', 'ChartRegion',
  'MapRegion', 'SeparatorRegion', 'MathsRegion', 'ChemRegion', 'MusicRegion', 'AdvertRegion',
  'FormRegion', 'NoiseRegion', 'UnknownRegion', 'CustomRegion', 'FrameRegion',
  // Transkribus writes table cells as their own element; PAGE 2019 says TextRegion + TableCellRole.
  'TableCell',
] as const;

export type RegionKind = (typeof REGION_KINDS)[number];

export interface TableCellRole {
  readonly rowIndex: number;
  readonly columnIndex: number;
  readonly rowSpan?: number;
  readonly colSpan?: number;
  readonly header?: boolean;
}

export interface Region extends Residual {
  readonly kind: RegionKind;
  readonly id: string;
  readonly custom?: string;
  readonly comments?: string;
  /** Region @type (paragraph, heading, … for text; logo, stamp, … for graphics). */
  readonly type?: string;
  /** Optional only because real files omit it; writers repair it. */
  readonly coords?: Shape;
  readonly alternativeImages: readonly AlternativeImage[];
  readonly userDefined?: UserDefined;
  readonly labels: readonly Labels[];
  readonly tableCell?: TableCellRole;
  readonly regions: readonly Region[];
  /** Text lines: TextRegion and TableCell only. */
  readonly lines: readonly TextLine[];
  readonly textEquivs: readonly TextEquiv[];
  readonly textStyle?: TextStyle;
}

/** A reference to a region in the reading order. */
export interface RegionRef extends Residual {
  readonly kind: 'ref';
  readonly regionRef: string;
  readonly index?: number;
}

export interface OrderGroup extends Residual {
  readonly kind: 'group';
  readonly ordered: boolean;
  readonly id: string;
  readonly regionRef?: string;
  readonly caption?: string;
  readonly index?: number;
  readonly userDefined?: UserDefined;
  readonly labels: readonly Labels[];
  /** In source order; for ordered groups the semantic order is by `index` (see orderedItems). */
  readonly items: readonly OrderItem[];
}

export type OrderItem = RegionRef | OrderGroup;

export interface ReadingOrder extends Residual {
  readonly conf?: number;
  readonly root: OrderGroup;
}

/** Border and PrintSpace: an outline of the page. */
export interface Outline extends Residual {
  readonly coords?: Shape;
}

export interface MetadataItem extends Residual {
  readonly type?: string;
  readonly name?: string;
  readonly value?: string;
  readonly date?: string;
  readonly labels: readonly Labels[];
}

export interface Metadata extends Residual {
  readonly creator?: string;
  readonly created?: string;
  readonly lastChange?: string;
  readonly comments?: string;
  readonly userDefined?: UserDefined;
  readonly items: readonly MetadataItem[];
}

export interface Page extends Residual {
  readonly imageFilename: string;
  readonly imageWidth: number;
  readonly imageHeight: number;
  /** Page @type (front-cover, content, …), @orientation, … stay in the residue. */
  readonly alternativeImages: readonly AlternativeImage[];
  readonly border?: Outline;
  readonly printSpace?: Outline;
  readonly readingOrder?: ReadingOrder;
  readonly textStyle?: TextStyle;
  readonly userDefined?: UserDefined;
  readonly labels: readonly Labels[];
  readonly regions: readonly Region[];
}

export type PageVersion = '2010-03-19' | '2013-07-15' | '2016-07-15' | '2017-07-15' | '2018-07-15' | '2019-07-15' | '2024-07-15';
export type AltoVersion = '2.0' | '2.1' | '3.0' | '3.1' | '4.0' | '4.1' | '4.2' | '4.3' | '4.4';

export type DocumentFormat =
  | { readonly kind: 'page'; readonly version: PageVersion; readonly namespace: string }
  | { readonly kind: 'alto'; readonly version: AltoVersion; readonly namespace: string };

export interface PageDocument extends Residual {
  /** The format and version the document was read from (or is to be written in). */
  readonly format: DocumentFormat;
  readonly pcGtsId?: string;
  readonly metadata: Metadata;
  readonly page: Page;
  /**
   * The pages after `page`, in file order: only ALTO holds several pages in one file.
   * ALTO writes carry them all; a PAGE file holds one page, so PAGE writes take one
   * page at a time (document-io's splitPages). Absent for single-page documents.
   */
  readonly morePages?: readonly Page[];
  /** Comments and processing instructions before the root element. */
  readonly prolog?: readonly XmlNode[];
  /** Namespace declarations of the source root (prefix → URI), re-declared on write. */
  readonly rootNs?: Readonly<Record<string, string>>;
}
