/**
 * Recognising every line of a page: cut each line from the page image the way
 * the model was trained, recognise in width-sorted batches, write the text and its
 * confidence into the line's TextEquiv (and Glyphs when asked). Everything else in
 * the document stays as it was.
 */
import type { Glyph, PageDocument, Point, TextLine, Word } from '../../common/model/types.js';
import { mapAllLines } from '../../common/model/ops.js';
import { allLines } from '../../common/model/stats.js';
import { bbox } from '../../common/model/points.js';
import { modelAuthor, recordChange, supportsLineHistory } from '../../common/model/provenance.js';
import type { Decoded } from '../../common/recognition/ctc.js';
import { loadGrey, type GreyImage } from '../images/page-image.js';
import { cutLine, polygonAroundBaseline, type LineImage } from '../images/line-cut.js';
import type { LineRecognizer, RecognizeOptions } from './recognizer.js';
import type { RecognitionInput } from '../../common/model-manifest/manifest.js';

export interface PageRecognition {
  readonly doc: PageDocument;
  readonly lines: number;
  readonly skipped: { readonly id: string; readonly reason: string }[];
}

export interface RecognizePageOptions extends RecognizeOptions {
  /** Write one Glyph per recognised character (in one Word spanning the line). */
  readonly glyphs?: boolean;
  /** The page already decoded in grey (same size as the document says), so it is not decoded again. */
  readonly page?: GreyImage;
}

/** The polygon to cut a line along: its Coords, else a band around its baseline. */
export function linePolygon(l: TextLine): readonly Point[] | undefined {
  if (l.coords && l.coords.points.length >= 3) return l.coords.points;
  if (l.baseline && l.baseline.points.length >= 2) return polygonAroundBaseline(l.baseline.points, 40, 12);
  return undefined;
}

/**
 * The one line cutter for a model: recognition feeds the network exactly this, and
 * `export --format lines --cut-as MODEL` writes exactly this for training, so a
 * model never sees lines cut differently from the ones it learnt on.
 */
export async function cutForInput(page: GreyImage, l: TextLine, inp: RecognitionInput): Promise<LineImage> {
  const poly = linePolygon(l);
  if (!poly) throw new Error('no polygon or baseline');
  return cutLine(page, poly, l.baseline?.points, {
    straighten: inp.straighten ?? 'dewarp',
    contrast: inp.contrast ?? true,
    ...(inp.height > 0 && { height: inp.height }),
    ...(inp.padding && { padding: inp.padding }),
  });
}

export async function cutForModel(page: GreyImage, l: TextLine, rec: LineRecognizer): Promise<LineImage> {
  return cutForInput(page, l, rec.input);
}

/**
 * A line image that is already cut (NAME.png of an export, a crop): the whole
 * image is the line, scaled and stretched as the model's manifest says.
 */
export async function cutWholeLine(img: GreyImage, input: RecognitionInput): Promise<LineImage> {
  const whole = [{ x: 0, y: 0 }, { x: img.width - 1, y: 0 }, { x: img.width - 1, y: img.height - 1 }, { x: 0, y: img.height - 1 }];
  return cutLine(img, whole, undefined, {
    straighten: 'none',
    contrast: input.contrast ?? true,
    ...(input.height > 0 && { height: input.height }),
    ...(input.padding && { padding: input.padding }),
  });
}

export async function recognizePage(doc: PageDocument, imageFile: string, rec: LineRecognizer, opts: RecognizePageOptions = {}): Promise<PageRecognition> {
  const page = opts.page ?? (await loadGrey(imageFile, { expectWidth: doc.page.imageWidth, expectHeight: doc.page.imageHeight }));
  const lines = allLines(doc.page.regions);
  const cut: LineImage[] = [];
  const ids: string[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (const l of lines) {
    try {
      cut.push(await cutForModel(page, l, rec));
      ids.push(l.id);
    } catch (e) {
      skipped.push({ id: l.id, reason: (e as Error).message });
    }
  }
  const results = await rec.recognize(cut, opts);
  const byId = new Map<string, Decoded>();
  ids.forEach((id, i) => byId.set(id, results[i]!));
  // Each reading is recorded in the line's history as this model's (PAGE 2016 and later).
  const history = supportsLineHistory(doc.format);
  const at = new Date().toISOString();
  const updated = mapAllLines(doc, (l) => {
    const r = byId.get(l.id);
    if (!r) return l;
    const conf = Math.round(r.conf * 10000) / 10000;
    const read: TextLine = {
      ...l,
      textEquivs: [{ unicode: r.text, conf }],
      ...(opts.glyphs && r.chars.length && { words: [glyphWord(l, r, cut[ids.indexOf(l.id)]!, rec)] }),
    };
    // Each character's confidence goes into the model's version (F8 to the next unsure character, colours).
    const chars = r.chars.flatMap((c) => Array<number>(c.char.length).fill(Math.round(c.conf * 1000) / 1000));
    return history ? recordChange(l, read, modelAuthor(rec.manifest), at, chars.length === r.text.length ? { chars } : {}) : read;
  });
  return { doc: updated, lines: ids.length, skipped };
}

/** One Word holding a Glyph per character, placed by the CTC frames it came from. */
function glyphWord(l: TextLine, r: Decoded, img: LineImage, rec: LineRecognizer): Word {
  const box = bbox(linePolygon(l)!)!;
  const pad = rec.input.padding ?? 0;
  const scale = (box.maxX - box.minX + 1) / Math.max(1, img.width - 2 * pad);
  const frames = Math.max(1, ...r.chars.map((c) => c.end + 1));
  const perFrame = img.width / frames;
  const x = (f: number): number => Math.round(Math.min(box.maxX, Math.max(box.minX, box.minX + (f * perFrame - pad) * scale)));
  const glyphs: Glyph[] = r.chars
    .filter((c) => c.char !== ' ')
    .map((c, i) => ({
      kind: 'Glyph',
      id: `${l.id}_g${i}`,
      coords: { points: [{ x: x(c.start), y: box.minY }, { x: Math.max(x(c.end + 1), x(c.start) + 1), y: box.minY }, { x: Math.max(x(c.end + 1), x(c.start) + 1), y: box.maxY }, { x: x(c.start), y: box.maxY }] },
      textEquivs: [{ unicode: c.char, conf: Math.round(c.conf * 10000) / 10000 }],
      labels: [],
      alternativeImages: [],
    }));
  return {
    kind: 'Word',
    id: `${l.id}_w`,
    coords: l.coords ?? { points: linePolygon(l)! },
    glyphs,
    textEquivs: [{ unicode: r.text, conf: Math.round(r.conf * 10000) / 10000 }],
    labels: [],
    alternativeImages: [],
  };
}
