import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseXml } from '../../electron/common/xml/xml-parse.js';
import { readPage } from '../../electron/common/formats/page-read.js';
import { writePageXml } from '../../electron/common/formats/page-write.js';
import { repairForSchema } from '../../electron/common/formats/page-repair.js';
import { Warnings } from '../../electron/common/formats/format-error.js';
import { allLines, lineText } from '../../electron/common/model/stats.js';
import type { PageDocument, PageVersion } from '../../electron/common/model/types.js';
import { validateAgainstXsd } from '../../electron/node/xsd/xsd-validate.js';
import { corpusFiles, CORPUS, SCHEMAS } from '../helpers/corpus.js';

const pages = corpusFiles('page');

function read(text: string): PageDocument {
  return readPage(parseXml(text), new Warnings());
}

function conform(doc: PageDocument, version: PageVersion): { xml: string; warnings: string[] } {
  const w = new Warnings();
  const xml = writePageXml(repairForSchema(doc, w), { version, conform: true, now: '2026-11-28T00:00:00Z' }, w);
  return { xml, warnings: w.list() };
}

describe.each(['2019-07-15', '2013-07-15'] as const)('PAGE %s output from every corpus PAGE file', (version) => {
  for (const file of pages) {
    it(`${path.relative(CORPUS, file)} → schema-valid PAGE ${version}, lines kept`, async () => {
      const src = read(fs.readFileSync(file, 'utf8'));
      const { xml } = conform(src, version);
      const out = read(xml);
      expect(out.format.version).toBe(version);
      const res = await validateAgainstXsd(xml, SCHEMAS, out.format);
      expect(res.errors.slice(0, 5)).toEqual([]);
      expect(res.valid).toBe(true);
      // Every line's text, polygon and baseline survive (ids may be repaired, order is kept).
      const before = allLines(src.page.regions);
      const after = allLines(out.page.regions);
      expect(after.length).toBe(before.length);
      before.forEach((l, i) => {
        const a = after[i]!;
        expect(lineText(a)).toBe(lineText(l));
        if (l.coords && l.coords.points.length >= 3) expect(a.coords!.points.length).toBe(l.coords.points.length);
        if (l.baseline && l.baseline.points.length >= 2 && version === '2019-07-15') {
          expect(a.baseline!.points.map((p) => [p.x, p.y])).toEqual(
            l.baseline.points.map((p) => [Math.min(Math.max(Math.round(p.x), 0), src.page.imageWidth), Math.min(Math.max(Math.round(p.y), 0), src.page.imageHeight)]),
          );
        }
      });
    });
  }
});

describe('points made to fit the schema', () => {
  const NS = 'http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15';
  const page = (points: string) => `<PcGts xmlns="${NS}"><Metadata><Creator>t</Creator><Created>2026-12-05T10:00:00</Created><LastChange>2026-12-05T10:00:00</LastChange></Metadata><Page imageFilename="p.png" imageWidth="100" imageHeight="80"><TextRegion id="r1"><Coords points="${points}"/></TextRegion></Page></PcGts>`;
  const repaired = (points: string) => {
    const doc = read(page(points));
    const w = new Warnings();
    return { before: doc.page.regions[0]!.coords!.points, after: repairForSchema(doc, w).page.regions[0]!.coords!.points, warnings: w.list() };
  };

  it('leaves a list that fits as it is (the same list, not a copy), and says nothing', () => {
    const r = repaired('0,0 100,0 100,80 0,80');
    expect(r.after).toBe(r.before);
    expect(r.warnings).toEqual([]);
  });

  it('rounds fractions and moves points outside the image onto its edge, saying which', () => {
    const r = repaired('-5,0.4 100.4,0 120,80 0,80');
    expect(r.after).toEqual([{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 100, y: 80 }, { x: 0, y: 80 }]);
    expect(r.after[3]).toBe(r.before[3]); // a point that fits is kept
    expect(r.warnings.join('\n')).toMatch(/fractions rounded to whole pixels[^]*outside the 100×80 image moved onto its edge/);
    const onlyFractions = repaired('0.2,0 99.6,0 100,80 0,80');
    expect(onlyFractions.warnings.join('\n')).not.toMatch(/outside/);
  });
});
