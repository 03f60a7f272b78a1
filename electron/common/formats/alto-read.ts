/**
 * ALTO (v2–v4) onto the document model. What has a place in the model is mapped
 * (blocks → regions, TextLine → TextLine, String → Word, SegmOnto tags → custom);
 * everything else stays in each record's residue (format 'alto') so that an
 * ALTO → ALTO write gives back the same tree. Attributes derived into typed fields
 * keep their source text in `spelling`, with the derived value in `snapshot`:
 * the writer reuses the text while the field is unchanged.
 */
import type { XmlDocument, XmlElement, XmlNode } from '../xml/xml-node.js';
import { attr, textOf } from '../xml/xml-node.js';
import { bbox, boxPolygon, parsePoints, type Box } from '../model/points.js';
import type {
  AltoVersion, Glyph, Metadata, Outline, Page, PageDocument, PlacedNode, Region, RegionKind, Residue, Shape, TextEquiv,
  TextLine, Word,
} from '../model/types.js';
import { FormatError, MissingPageSizeError, type Warnings } from './format-error.js';
import { altoVersionOf } from './alto-versions.js';
import { readTags, structureCustom, structureFromRefs, type TagInfo } from './alto-tags.js';

/** Page spaces in schema order; blocks in them become the page's regions. */
export const ALTO_SPACES = ['TopMargin', 'LeftMargin', 'RightMargin', 'BottomMargin', 'PrintSpace'] as const;
export type AltoSpace = (typeof ALTO_SPACES)[number];

export const ALTO_BLOCKS: Readonly<Record<string, RegionKind>> = {
  TextBlock: 'TextRegion',
  Illustration: 'ImageRegion',
  GraphicalElement: 'GraphicRegion',
  ComposedBlock: 'TextRegion',
};

export function isBlock(local: string): boolean {
  return Object.hasOwn(ALTO_BLOCKS, local);
}

const BOX = ['HPOS', 'VPOS', 'WIDTH', 'HEIGHT'];

/** Reading state of one element: typed attributes taken (their text kept as spelling), the rest kept. */
class Reading {
  private known = 0;
  private readonly nodes: PlacedNode[] = [];
  private readonly attrs: Record<string, string> = {};
  readonly typed: Record<string, string> = {};
  readonly kept: Record<string, XmlElement> = {};
  readonly snapshot: Record<string, unknown> = {};

  constructor(readonly el: XmlElement, typedNames: readonly string[], isRoot = false) {
    for (const a of el.attrs) {
      if (a.uri === '' && typedNames.includes(a.local)) this.typed[a.local] = a.value;
      else this.attrs[a.name] = a.value;
    }
    // Prefixes declared here must stay declared for the attributes kept above (the root's are the document's rootNs).
    if (!isRoot) for (const [p, uri] of Object.entries(el.nsDecls)) if (p) this.attrs[`xmlns:${p}`] = uri;
  }

  num(name: string): number | undefined {
    const v = this.typed[name];
    if (v === undefined || v.trim() === '') return undefined;
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : undefined;
  }

  /** The HPOS/VPOS/WIDTH/HEIGHT box, if all four are numbers. */
  box(): Box | undefined {
    const [h, v, w, hh] = BOX.map((n) => this.num(n));
    if (h === undefined || v === undefined || w === undefined || hh === undefined) return undefined;
    return { minX: h, minY: v, maxX: h + w, maxY: v + hh };
  }

  took(): void {
    this.known++;
  }

  keep(node: XmlNode): void {
    this.nodes.push({ at: this.known, node });
  }

  residue(): Residue {
    const has = (o: object): boolean => Object.keys(o).length > 0;
    return {
      format: 'alto',
      ...(has(this.attrs) && { attrs: this.attrs }),
      ...(this.nodes.length && { nodes: this.nodes }),
      ...(has(this.typed) && { spelling: this.typed }),
      ...(has(this.kept) && { kept: this.kept }),
      ...(has(this.snapshot) && { snapshot: this.snapshot }),
    };
  }
}

interface Ctx {
  readonly ns: string;
  readonly version: AltoVersion;
  readonly warnings: Warnings;
  readonly tags: ReadonlyMap<string, TagInfo>;
  /** The size of the image the file names, where the caller read it (a page without one takes it). */
  readonly imageSize?: ImageSize;
  /** The image the Description names (it comes before the Layout), for a page-size error. */
  imageFilename: string;
}

export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

export interface AltoReadOptions {
  /** The named image's size: a first page without WIDTH/HEIGHT or a PrintSpace takes it. */
  readonly imageSize?: ImageSize;
}

/** Walks an element's children: ALTO elements `on` accepts are typed, everything else is kept in place. */
function eachChild(ctx: Ctx, r: Reading, on: (local: string, el: XmlElement) => boolean): void {
  for (const c of r.el.children) {
    if (c.type === 'text' && /^\s*$/.test(c.text)) continue;
    if (c.type === 'element' && c.uri === ctx.ns && on(c.local, c)) r.took();
    else r.keep(c);
  }
}

function child(ctx: Ctx, el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find((c): c is XmlElement => c.type === 'element' && c.uri === ctx.ns && c.local === local);
}

/** Coordinates: Shape/Polygon@POINTS when there is one, else the HPOS/VPOS/WIDTH/HEIGHT box. */
function coordsOf(ctx: Ctx, r: Reading): Shape | undefined {
  const shape = r.kept.Shape;
  const poly = shape && child(ctx, shape, 'Polygon');
  const text = poly && attr(poly, 'POINTS');
  if (text !== undefined) {
    const pts = parsePoints(text);
    if (pts && pts.length) return { points: pts };
    ctx.warnings.add(`unreadable Polygon POINTS "${text.slice(0, 40)}" (line ${poly!.line}): the box is used`);
  }
  const box = r.box();
  return box ? { points: boxPolygon(box) } : undefined;
}

/** Takes the first Shape child (kept verbatim for the writer); returns false for any other. */
function takeShape(r: Reading, local: string, el: XmlElement): boolean {
  if (local !== 'Shape' || r.kept.Shape) return false;
  r.kept.Shape = el;
  return true;
}

/**
 * ALTO 4.2+: "x1,y1 x2,y2 …" or "x1 y1 x2 y2 …"; before: one number, the y of a
 * horizontal baseline running from HPOS to HPOS+WIDTH.
 */
function baselineOf(ctx: Ctx, el: XmlElement, text: string, box: Box | undefined): Shape | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (!/[\s,]/.test(t)) {
    const y = Number(t);
    if (Number.isFinite(y) && box) return { points: [{ x: box.minX, y }, { x: box.maxX, y }] };
  } else {
    const pts = parsePoints(t);
    if (pts && pts.length) return { points: pts };
  }
  ctx.warnings.add(`unreadable BASELINE "${t.slice(0, 40)}" (line ${el.line}): kept as it is`);
  return undefined;
}

function customOf(ctx: Ctx, r: Reading): string | undefined {
  const s = structureFromRefs(r.typed.TAGREFS, ctx.tags);
  return s && structureCustom(s);
}

/**
 * ALTO 4 Glyph: CONTENT (and GC) is the first TextEquiv, each Variant (CONTENT, VC)
 * one more, ranked after it by index. The Variant elements are kept in the snapshot:
 * a same-version write gives them back verbatim while the TextEquivs are unchanged.
 */
function readGlyph(ctx: Ctx, el: XmlElement): Glyph {
  const r = new Reading(el, ['ID', ...BOX, 'CONTENT', 'GC']);
  const variants: XmlElement[] = [];
  eachChild(ctx, r, (local, c) => {
    if (local === 'Variant') {
      variants.push(c);
      return true;
    }
    return takeShape(r, local, c);
  });
  const coords = coordsOf(ctx, r);
  const conf = r.num('GC');
  const content = r.typed.CONTENT;
  const ranked = variants.length > 0;
  const textEquivs: TextEquiv[] = content === undefined && !ranked
    ? []
    : [{ unicode: content ?? '', ...(ranked && { index: 1 }), ...(conf !== undefined && { conf }) }];
  variants.forEach((v, i) => {
    const vc = Number(attr(v, 'VC')?.trim() || NaN);
    textEquivs.push({ unicode: attr(v, 'CONTENT') ?? '', index: i + 2, ...(Number.isFinite(vc) && { conf: vc }) });
  });
  Object.assign(r.snapshot, { coords, textEquivs, variants });
  return { kind: 'Glyph', id: r.typed.ID ?? '', ...(coords && { coords }), textEquivs, labels: [], alternativeImages: [], x: r.residue() };
}

function readString(ctx: Ctx, el: XmlElement): Word {
  const r = new Reading(el, ['ID', ...BOX, 'CONTENT', 'WC']);
  const glyphs: Glyph[] = [];
  eachChild(ctx, r, (local, c) => {
    if (local === 'Glyph') {
      glyphs.push(readGlyph(ctx, c));
      return true;
    }
    return takeShape(r, local, c);
  });
  const coords = coordsOf(ctx, r);
  const conf = r.num('WC');
  const content = r.typed.CONTENT;
  const te: TextEquiv[] = content === undefined ? [] : [{ unicode: content, ...(conf !== undefined && { conf }) }];
  Object.assign(r.snapshot, { coords, conf, glyphs });
  return {
    kind: 'Word', id: r.typed.ID ?? '', ...(coords && { coords }), textEquivs: te, glyphs, labels: [], alternativeImages: [],
    x: r.residue(),
  };
}

function readLine(ctx: Ctx, el: XmlElement): TextLine {
  const r = new Reading(el, ['ID', ...BOX, 'BASELINE', 'TAGREFS']);
  const words: Word[] = [];
  let hyp = '';
  eachChild(ctx, r, (local, c) => {
    if (local === 'String') {
      words.push(readString(ctx, c));
      return true;
    }
    // A hyphen is part of the line's text; the HYP element itself stays in place.
    if (local === 'HYP') hyp += attr(c, 'CONTENT') ?? '';
    return takeShape(r, local, c);
  });
  const coords = coordsOf(ctx, r);
  const box = r.box() ?? (coords && bbox(coords.points));
  const baseline = r.typed.BASELINE !== undefined ? baselineOf(ctx, el, r.typed.BASELINE, box) : undefined;
  const custom = customOf(ctx, r);
  const unicode = words.map((w) => w.textEquivs[0]?.unicode ?? '').join(' ') + hyp;
  Object.assign(r.snapshot, { coords, baseline, custom, words });
  return {
    kind: 'TextLine', id: r.typed.ID ?? '', ...(custom && { custom }), ...(coords && { coords }), ...(baseline && { baseline }),
    textEquivs: [{ unicode }], words, labels: [], alternativeImages: [], x: r.residue(),
  };
}

function readBlock(ctx: Ctx, el: XmlElement, container: AltoSpace | undefined): Region {
  const kind = ALTO_BLOCKS[el.local]!;
  const r = new Reading(el, ['ID', ...BOX, 'TAGREFS']);
  const lines: TextLine[] = [];
  const regions: Region[] = [];
  eachChild(ctx, r, (local, c) => {
    if (local === 'TextLine' && el.local === 'TextBlock') {
      lines.push(readLine(ctx, c));
      return true;
    }
    if (isBlock(local) && el.local === 'ComposedBlock') {
      regions.push(readBlock(ctx, c, undefined));
      return true;
    }
    return takeShape(r, local, c);
  });
  const coords = coordsOf(ctx, r);
  const custom = customOf(ctx, r);
  // element and container: where an ALTO write puts the region back.
  Object.assign(r.snapshot, { coords, custom, kind, element: el.local, ...(container && { container }) });
  return {
    kind, id: r.typed.ID ?? '', ...(custom && { custom }), ...(coords && { coords }), alternativeImages: [], labels: [],
    regions, lines, textEquivs: [], x: r.residue(),
  };
}

/** A page space (margin or PrintSpace): its outline, and its blocks appended to `regions`. */
function readSpace(ctx: Ctx, el: XmlElement, regions: Region[]): Outline {
  const name = el.local as AltoSpace;
  const r = new Reading(el, BOX);
  eachChild(ctx, r, (local, c) => {
    if (isBlock(local)) {
      regions.push(readBlock(ctx, c, name));
      return true;
    }
    return takeShape(r, local, c);
  });
  const coords = coordsOf(ctx, r);
  r.snapshot.coords = coords;
  return { ...(coords && { coords }), x: r.residue() };
}

/** `before`: the page before it in the file, whose size a later page without one takes. */
function readPage(ctx: Ctx, el: XmlElement, before?: Page): Page {
  const r = new Reading(el, ['WIDTH', 'HEIGHT']);
  const regions: Region[] = [];
  const spaces: Partial<Record<AltoSpace, Outline>> = {};
  const order: AltoSpace[] = [];
  eachChild(ctx, r, (local, c) => {
    const name = local as AltoSpace;
    if (!ALTO_SPACES.includes(name) || spaces[name]) return false;
    spaces[name] = readSpace(ctx, c, regions);
    order.push(name);
    return true;
  });
  let width = r.num('WIDTH');
  let height = r.num('HEIGHT');
  if (!(width! > 0 && height! > 0)) {
    // No page size: the PrintSpace's extent from the origin is the best estimate.
    const ps = spaces.PrintSpace?.coords && bbox(spaces.PrintSpace.coords.points);
    if ((!ps || !(ps.maxX > 0 && ps.maxY > 0)) && before) {
      // A later page of a multi-page file must not make the whole file unreadable.
      ctx.warnings.add('ALTO <Page> without WIDTH/HEIGHT or a PrintSpace after the first: given the size of the page before it');
      width = before.imageWidth;
      height = before.imageHeight;
    } else if ((!ps || !(ps.maxX > 0 && ps.maxY > 0)) && ctx.imageSize) {
      ctx.warnings.add('ALTO <Page> without WIDTH/HEIGHT or a PrintSpace: the page size is taken from its image');
      width = ctx.imageSize.width;
      height = ctx.imageSize.height;
    } else if (!ps || !(ps.maxX > 0 && ps.maxY > 0)) {
      throw new MissingPageSizeError('ALTO <Page> has no valid WIDTH/HEIGHT and no PrintSpace to take them from: the image size is required to place regions on the page', el.line, ctx.imageFilename);
    } else {
      ctx.warnings.add('ALTO <Page> without WIDTH/HEIGHT: the image size is taken from its PrintSpace');
      width = ps!.maxX;
      height = ps!.maxY;
    }
  }
  const { PrintSpace: printSpace, ...margins } = spaces;
  // The model has no margins: they ride in the residue for an ALTO write.
  Object.assign(r.snapshot, { imageWidth: width, imageHeight: height, margins, order });
  return {
    imageFilename: '', imageWidth: width!, imageHeight: height!, alternativeImages: [], ...(printSpace && { printSpace }),
    labels: [], regions, x: r.residue(),
  };
}

interface Description {
  readonly metadata: Metadata;
  readonly imageFilename: string;
}

/** Description: MeasurementUnit and sourceImageInformation are kept whole; processing steps name the creator. */
function readDescription(ctx: Ctx, el: XmlElement | undefined): Description {
  if (!el) return { metadata: { items: [] }, imageFilename: '' };
  const r = new Reading(el, []);
  const order: string[] = [];
  eachChild(ctx, r, (local, c) => {
    if ((local !== 'MeasurementUnit' && local !== 'sourceImageInformation') || r.kept[local]) return false;
    r.kept[local] = c;
    order.push(local);
    return true;
  });
  const unit = r.kept.MeasurementUnit ? textOf(r.kept.MeasurementUnit).trim() : 'pixel';
  if (unit !== 'pixel') {
    ctx.warnings.add(`ALTO MeasurementUnit "${unit}": coordinates are kept in that unit, not converted to pixels (the file gives no image resolution)`);
  }
  const file = r.kept.sourceImageInformation && child(ctx, r.kept.sourceImageInformation, 'fileName');
  const imageFilename = file ? textOf(file).trim() : '';
  const step = el.children.find((c): c is XmlElement => c.type === 'element' && c.uri === ctx.ns && (c.local === 'OCRProcessing' || c.local === 'Processing'));
  const software = step && findDeep(ctx, step, 'processingSoftware');
  const creator = software && ['softwareName', 'softwareVersion'].map((n) => child(ctx, software, n)).filter((c) => c).map((c) => textOf(c!).trim()).join(' ');
  const date = step && findDeep(ctx, step, 'processingDateTime');
  const created = date && textOf(date).trim();
  Object.assign(r.snapshot, { imageFilename, order });
  return {
    imageFilename,
    metadata: {
      ...(creator && { creator }),
      // PAGE's Created is an xs:dateTime; an ALTO date alone is not one.
      ...(created && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(created) && { created }),
      items: [],
      x: r.residue(),
    },
  };
}

function findDeep(ctx: Ctx, el: XmlElement, local: string): XmlElement | undefined {
  for (const c of el.children) {
    if (c.type !== 'element') continue;
    if (c.uri === ctx.ns && c.local === local) return c;
    const d = findDeep(ctx, c, local);
    if (d) return d;
  }
  return undefined;
}

/** ALTO 1.x files carry no namespace (or the CCS one); they are read as ALTO 2.0, their closest kin. */
function versionOf(root: XmlElement, warnings: Warnings): AltoVersion | undefined {
  const loc = root.attrs.find((a) => a.local === 'schemaLocation')?.value;
  const v = altoVersionOf(root.uri, loc, attr(root, 'SCHEMAVERSION'));
  if (v) return v;
  if (root.uri === '' || /schema\.ccs-gmbh\.com\/ALTO/.test(root.uri)) {
    warnings.add(`ALTO without a versioned namespace ("${root.uri}"): read as ALTO 2.0`);
    return '2.0';
  }
  return undefined;
}

/** Maps a parsed ALTO document onto the document model. */
export function readAlto(xml: XmlDocument, warnings: Warnings, opts: AltoReadOptions = {}): PageDocument {
  const root = xml.root;
  const version = root.local === 'alto' ? versionOf(root, warnings) : undefined;
  if (!version) {
    throw new FormatError(
      `not an ALTO file: root element <${root.name}> in namespace "${root.uri || '(none)'}" (expected alto in http://www.loc.gov/standards/alto/ns-v2#, ns-v3# or ns-v4#)`,
      root.line,
    );
  }
  const find = (local: string): XmlElement | undefined =>
    root.children.find((c): c is XmlElement => c.type === 'element' && c.uri === root.uri && c.local === local);
  const ctx: Ctx = { ns: root.uri, version, warnings, tags: readTags(find('Tags'), root.uri), imageFilename: '', ...(opts.imageSize && { imageSize: opts.imageSize }) };
  const r = new Reading(root, [], true);
  let desc: Description | undefined;
  let page: Page | undefined;
  let morePages: Page[] = [];
  eachChild(ctx, r, (local, c) => {
    if (local === 'Description' && !desc) {
      desc = readDescription(ctx, c);
      ctx.imageFilename = desc.imageFilename;
      return true;
    }
    if (local !== 'Layout' || page) return false;
    // Layout is kept whole: its attributes and other children go back around the pages written from the model.
    const pages = c.children.filter((p): p is XmlElement => p.type === 'element' && p.uri === ctx.ns && p.local === 'Page');
    if (!pages.length) throw new FormatError('ALTO <Layout> without a <Page>', c.line);
    r.kept.Layout = c;
    const read: Page[] = [];
    for (const p of pages) read.push(readPage(ctx, p, read[read.length - 1]));
    [page, ...morePages] = read;
    return true;
  });
  if (!page) throw new FormatError('ALTO file without <Layout><Page>', root.line);
  const d = desc ?? readDescription(ctx, undefined);
  if (!d.imageFilename) warnings.add('ALTO file without sourceImageInformation/fileName: no image is named');
  r.snapshot.description = desc !== undefined;
  // ALTO names one image for the whole file (a multi-page TIFF, say): every page carries its name.
  return {
    format: { kind: 'alto', version, namespace: root.uri },
    metadata: d.metadata,
    page: { ...page, imageFilename: d.imageFilename },
    ...(morePages.length && { morePages: morePages.map((p) => ({ ...p, imageFilename: d.imageFilename })) }),
    ...(xml.prolog.length && { prolog: xml.prolog }),
    rootNs: root.nsDecls,
    x: r.residue(),
  };
}
