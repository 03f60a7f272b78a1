import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { exportCmd } from '../../electron/cli/commands/export.js';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { allLines } from '../../electron/common/model/stats.js';
import { bbox } from '../../electron/common/model/points.js';
import type { Region } from '../../electron/common/model/types.js';
import { SEGMONTO_LINES, SEGMONTO_ZONES, segmontoType, yoloClassNames } from '../../electron/node/export/yolo-classes.js';
import { documentKey, splitPages } from '../../electron/node/export/yolo-split.js';
import { CORPUS } from '../helpers/corpus.js';

// Two Testaments de Poilus wills (two documents), ALTO with SegmOnto zones and lines.
const DIR = path.join(CORPUS, 'escriptorium-testaments-alto');
const PAGES = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => f.endsWith('.xml')).sort().map((f) => path.join(DIR, f)) : [];
const STEMS = PAGES.map((p) => path.basename(p, '.xml'));

async function run(args: string[]): Promise<{ code: number; err: string[] }> {
  const err: string[] = [];
  const code = await exportCmd.run(args, { out: () => {}, err: (l) => err.push(l) });
  return { code, err };
}

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'htr-yolo-export-'));
const readLabels = (file: string): number[][] => fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(' ').map(Number));
const labelFile = (out: string, stem: string): string => ['train', 'val'].map((s) => path.join(out, 'labels', s, `${stem}.txt`)).find((f) => fs.existsSync(f))!;

/** Minimal reader for the data.yaml we write (keys and the names mapping). */
function parseYaml(text: string): { keys: Record<string, string>; names: string[] } {
  const keys: Record<string, string> = {};
  const names: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const m = /^ {2}(\d+): (\S+)$/.exec(line);
    if (m) {
      expect(Number(m[1])).toBe(names.length);
      names.push(m[2]!);
    } else {
      const kv = /^(\w+):\s*(.*)$/.exec(line);
      expect(kv, `not YAML we expect: ${line}`).toBeTruthy();
      keys[kv![1]!] = kv![2]!;
    }
  }
  return { keys, names };
}

describe.skipIf(PAGES.length < 2)('export --format yolo on real eScriptorium pages', () => {
  let out = '';
  let res: { code: number; err: string[] };
  beforeAll(async () => {
    out = tmp();
    res = await run([...PAGES, '--format', 'yolo', '-o', out, '--imgsz', '640', '--val-fraction', '0.5', '-q']);
  });

  it('writes the Ultralytics layout and a valid data.yaml with the fixed class list', () => {
    expect(res.code, res.err.join('\n')).toBe(0);
    const { keys, names } = parseYaml(fs.readFileSync(path.join(out, 'data.yaml'), 'utf8'));
    expect(JSON.parse(keys.path!)).toBe(path.resolve(out));
    expect([keys.train, keys.val, keys.nc]).toEqual(['images/train', 'images/val', '21']);
    expect(names).toEqual([...SEGMONTO_LINES, ...SEGMONTO_ZONES]);
    // Stable indices: a model trained on one export reads another's labels.
    expect(names.slice(0, 4)).toEqual(['DefaultLine', 'HeadingLine', 'DropCapitalLine', 'InterlinearLine']);
    expect(names.indexOf('MainZone')).toBe(6);
    expect(names.indexOf('MarginTextZone')).toBe(7);
    for (const s of STEMS) {
      const split = ['train', 'val'].find((d) => fs.existsSync(path.join(out, 'images', d, `${s}.jpg`)));
      expect(split, s).toBeDefined();
      expect(fs.existsSync(path.join(out, 'labels', split!, `${s}.txt`))).toBe(true);
    }
  });

  it('splits by document: one will in train, the other in val', () => {
    expect(fs.readdirSync(path.join(out, 'images/train'))).toHaveLength(1);
    expect(fs.readdirSync(path.join(out, 'images/val'))).toHaveLength(1);
    expect(res.err.join('\n')).toMatch(/exported 1 train \/ 1 val page\(s\) \(1\/1 documents\)/);
  });

  it('downscales images to --imgsz on the long side, as JPEG', async () => {
    for (const s of STEMS) {
      const file = ['train', 'val'].map((d) => path.join(out, 'images', d, `${s}.jpg`)).find((f) => fs.existsSync(f))!;
      const m = await sharp(file).metadata();
      expect(m.format).toBe('jpeg');
      expect(Math.max(m.width!, m.height!)).toBe(640);
    }
  });

  it('labels are the boxes of the page: every line and every SegmOnto zone, normalised', () => {
    for (const [k, xml] of PAGES.entries()) {
      const { doc } = readDocument(fs.readFileSync(xml, 'utf8'));
      const W = doc.page.imageWidth, H = doc.page.imageHeight;
      const expected: number[][] = [];
      const walk = (rs: readonly Region[]): void => {
        for (const r of rs) {
          const zone = segmontoType(r.custom, 'zone');
          const b = r.coords && bbox(r.coords.points);
          if (zone && b) expected.push([names().indexOf(zone), b.minX, b.minY, b.maxX, b.maxY]);
          for (const l of r.lines) {
            const lb = bbox(l.coords!.points)!;
            expected.push([names().indexOf(segmontoType(l.custom, 'line') ?? 'DefaultLine'), lb.minX, lb.minY, lb.maxX, lb.maxY]);
          }
          walk(r.regions);
        }
      };
      walk(doc.page.regions);
      const got = readLabels(labelFile(out, STEMS[k]!));
      expect(got.length).toBe(expected.length);
      expect(got.filter((r) => r[0]! < 6).length).toBe(allLines(doc.page.regions).length);
      expect(got.some((r) => r[0] === 6)).toBe(true); // a MainZone
      for (const [i, [cls, x1, y1, x2, y2]] of expected.entries()) {
        const [c, cx, cy, w, h] = got[i]!;
        expect(c).toBe(cls);
        expect(cx).toBeCloseTo((x1! + x2!) / 2 / W, 5);
        expect(cy).toBeCloseTo((y1! + y2!) / 2 / H, 5);
        expect(w).toBeCloseTo((x2! - x1!) / W, 5);
        expect(h).toBeCloseTo((y2! - y1!) / H, 5);
      }
    }
  });

  it('a line checked by hand: its ALTO polygon box, normalised by the page size', () => {
    const { doc } = readDocument(fs.readFileSync(PAGES[0]!, 'utf8'));
    const first = allLines(doc.page.regions)[0]!;
    const b = bbox(first.coords!.points)!;
    const row = readLabels(labelFile(out, STEMS[0]!)).find((r) => r[0]! < 6)!;
    // Within a pixel of the page: the 6-decimal label reproduces the box.
    expect(Math.abs(row[1]! * doc.page.imageWidth - (b.minX + b.maxX) / 2)).toBeLessThan(0.01);
    expect(Math.abs(row[3]! * doc.page.imageWidth - (b.maxX - b.minX))).toBeLessThan(0.01);
    expect(Math.abs(row[4]! * doc.page.imageHeight - (b.maxY - b.minY))).toBeLessThan(0.01);
  });

  it('--classes lines / regions keep only their classes, numbered from 0', async () => {
    const lines = tmp();
    expect((await run([...PAGES, '--format', 'yolo', '-o', lines, '--classes', 'lines', '--imgsz', '320', '-q'])).code).toBe(0);
    expect(parseYaml(fs.readFileSync(path.join(lines, 'data.yaml'), 'utf8')).names).toEqual([...SEGMONTO_LINES]);
    const { doc } = readDocument(fs.readFileSync(PAGES[0]!, 'utf8'));
    expect(readLabels(labelFile(lines, STEMS[0]!)).length).toBe(allLines(doc.page.regions).length);
    const regions = tmp();
    expect((await run([...PAGES, '--format', 'yolo', '-o', regions, '--classes', 'regions', '--imgsz', '320', '-q'])).code).toBe(0);
    expect(parseYaml(fs.readFileSync(path.join(regions, 'data.yaml'), 'utf8')).names[0]).toBe('MainZone');
    const zones = readLabels(labelFile(regions, STEMS[0]!));
    expect(zones.length).toBeGreaterThan(0);
    expect(zones.every((r) => r[0]! >= 0 && r[0]! < SEGMONTO_ZONES.length)).toBe(true);
  });

  it('--val-list puts exactly the named pages in val; unknown names are reported', async () => {
    const o = tmp();
    const list = path.join(o, '..', `${path.basename(o)}-val.txt`);
    fs.writeFileSync(list, `# one will\n${STEMS[1]}\nno-such-page\n`);
    const r = await run([...PAGES, '--format', 'yolo', '-o', o, '--val-list', list, '--imgsz', '320', '-q']);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(o, 'images/val'))).toEqual([`${STEMS[1]}.jpg`]);
    expect(r.err.join('\n')).toMatch(/"no-such-page" names no exported page/);
  });

  it('a page whose image is missing is reported and skipped', async () => {
    const src = tmp();
    const lonely = path.join(src, 'lonely.xml');
    fs.copyFileSync(PAGES[0]!, lonely);
    const o = tmp();
    const r = await run([lonely, PAGES[1]!, '--format', 'yolo', '-o', o, '--imgsz', '320', '-q']);
    expect(r.code).toBe(0);
    expect(r.err.join('\n')).toMatch(/skipped .*lonely\.xml: image .* not found/);
    expect(r.err.join('\n')).toMatch(/1 page without its image/);
    expect(fs.readdirSync(path.join(o, 'images/train'))).toEqual([`${STEMS[1]}.jpg`]);
  });

  it('refuses options of the other format and a folder that is not an earlier export; replaces an earlier export', async () => {
    await expect(run([PAGES[0]!, '--format', 'lines', '-o', tmp(), '--imgsz', '640'])).rejects.toThrow(/--imgsz does not apply to --format lines/);
    await expect(run([PAGES[0]!, '--format', 'yolo', '-o', tmp(), '--height', '48'])).rejects.toThrow(/--height does not apply to --format yolo/);
    const busy = tmp();
    fs.writeFileSync(path.join(busy, 'notes.txt'), 'mine');
    await expect(run([PAGES[0]!, '--format', 'yolo', '-o', busy])).rejects.toThrow(/not empty/);
    expect((await run([PAGES[0]!, '--format', 'yolo', '-o', out, '--imgsz', '320', '-q'])).code).toBe(0);
    expect(fs.readdirSync(path.join(out, 'images/train'))).toEqual([`${STEMS[0]}.jpg`]);
    expect(fs.readdirSync(path.join(out, 'images/val'))).toEqual([]);
  });
});

const names = (): string[] => yoloClassNames('both');

describe('yolo export helpers', () => {
  it('SegmOnto types: subtypes dropped, eScriptorium defaults and missing suffixes accepted, others refused', () => {
    expect(segmontoType('structure {type:HeadingLine:rubric;}', 'line')).toBe('HeadingLine');
    expect(segmontoType('structure {type:default;}', 'line')).toBe('DefaultLine');
    expect(segmontoType('structure {type:Main;}', 'zone')).toBe('MainZone');
    expect(segmontoType('structure {type:text;}', 'zone')).toBeUndefined();
    expect(segmontoType('structure {type:printed;}', 'line')).toBeUndefined();
    expect(segmontoType(undefined, 'zone')).toBeUndefined();
  });

  it('document keys: folder + name without the trailing page number', () => {
    expect(path.basename(documentKey('/x/TestamentsDePoilus_will_AN_0155-0.xml'))).toBe('TestamentsDePoilus_will_AN_0155');
    expect(path.basename(documentKey('/x/PH 1858-535.xml'))).toBe('PH 1858');
    expect(documentKey('/x/PH 1858-535.xml')).toBe(documentKey('/x/PH 1858-10.xml'));
    expect(documentKey('/a/H318/10r.chocomufin.xml')).toBe(documentKey('/a/H318/11v.chocomufin.xml'));
    expect(documentKey('/a/iforal_1/2.xml')).not.toBe(documentKey('/a/iforal_2/2.xml'));
  });

  it('split: whole documents, deterministic, never everything, a big document not forced into val', () => {
    const pages = [
      ...Array.from({ length: 30 }, (_, i) => ({ name: `reg-${i}`, xml: `reg-${i}.xml`, document: 'register' })),
      ...Array.from({ length: 20 }, (_, i) => ({ name: `will-${i}`, xml: `will-${i}.xml`, document: `will-${i}` })),
    ];
    const val = splitPages(pages, 0.1, 'document');
    expect(val.size).toBeGreaterThanOrEqual(5);
    expect(val.size).toBeLessThanOrEqual(8);
    expect([...val].some((n) => n.startsWith('reg-'))).toBe(false);
    expect(splitPages([...pages].reverse(), 0.1, 'document')).toEqual(val);
    expect(splitPages(pages, 0.1, 'document', 7)).not.toEqual(val);
    expect(splitPages(pages.slice(0, 30), 0.5, 'document').size).toBe(0); // one document: nothing to hold out
    expect(splitPages(pages.slice(0, 30), 0.2, 'page').size).toBe(6);
  });
});
