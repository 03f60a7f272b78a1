/**
 * `htr-studio check`: the ground-truth checker finds every defect planted in a page
 * made for it, and none on a clean page (a real Transkribus page, a clean synthetic one).
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { checkGroundTruth, selfIntersects } from '../../electron/common/gt/gt-checks.js';
import { main } from '../../electron/cli/main.js';
import { CORPUS } from '../helpers/corpus.js';

const line = (id: string, coords: string, baseline: string | null, text: string): string =>
  `<TextLine id="${id}"><Coords points="${coords}"/>${baseline === null ? '' : `<Baseline points="${baseline}"/>`}<TextEquiv><Unicode>${text}</Unicode></TextEquiv></TextLine>`;

const box = (y: number) => `10,${y} 500,${y} 500,${y + 40} 10,${y + 40}`;
const base = (y: number) => `12,${y + 32} 498,${y + 32}`;

function page(lines: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
  <Metadata><Creator>t</Creator><Created>2026-01-01T00:00:00Z</Created><LastChange>2026-01-01T00:00:00Z</LastChange></Metadata>
  <Page imageFilename="p.png" imageWidth="1000" imageHeight="1000">
    <TextRegion id="r"><Coords points="0,0 999,0 999,999 0,999"/>${lines.join('')}</TextRegion>
  </Page>
</PcGts>`;
}

const planted = page([
  line('ok', box(0), base(0), 'a clean line'),
  line('empty', box(50), base(50), '  '),
  line('nobase', box(100), null, 'no baseline'),
  line('onepoint', box(150), '20,180', 'a one point baseline'),
  line('baseout', box(200), '12,600 498,600', 'baseline far below'),
  line('flat', '10,250 500,250', base(250), 'a polygon of two points'),
  line('bowtie', '10,300 500,345 500,300 10,330', base(300), 'a polygon crossing itself'),
  line('nfd', box(350), base(350), 'cafe\u0301 decomposed'),
  line('snow', box(400), base(400), 'a snowman ☃ here'),
  line('ok', box(450), base(450), 'the same id again'),
]);

describe('the ground-truth checker', () => {
  it('finds every planted defect, on its line, and nothing on the clean line', () => {
    const problems = checkGroundTruth(readDocument(planted).doc, { charset: new Set([...'abcdefghijklmnopqrstuvwxyzé ']) });
    const got = (rule: string) => problems.filter((p) => p.rule === rule).map((p) => p.id);
    expect(got('text-empty')).toEqual(['empty']);
    expect(got('baseline-missing')).toEqual(['nobase', 'onepoint']);
    expect(got('baseline-outside-line')).toEqual(['baseout']);
    expect(got('polygon-degenerate')).toEqual(['flat']);
    expect(got('polygon-self-intersecting')).toEqual(['bowtie']);
    expect(got('text-not-nfc')).toEqual(['nfd']);
    expect(got('char-outside-charset')).toEqual(['snow']);
    expect(problems.find((p) => p.rule === 'char-outside-charset')!.message).toContain('☃');
    expect(problems.filter((p) => p.rule === 'structure').map((p) => p.message)).toEqual([expect.stringContaining('id-duplicate')]);
    expect(problems.filter((p) => p.id === 'ok' && p.rule !== 'structure')).toEqual([]);
  });

  it('finds nothing on clean pages', () => {
    const clean = page([line('a', box(0), base(0), 'one'), line('b', box(50), base(50), 'two')]);
    expect(checkGroundTruth(readDocument(clean).doc)).toEqual([]);
    const real = path.join(CORPUS, 'transkribus-export-M_Otter_012', 'page', 'M_Otterskirchen_012_0006.xml');
    expect(checkGroundTruth(readDocument(fs.readFileSync(real, 'utf8')).doc)).toEqual([]);
  });

  it('tells a crossing polygon from a concave one', () => {
    expect(selfIntersects([{ x: 0, y: 0 }, { x: 10, y: 10 }, { x: 10, y: 0 }, { x: 0, y: 10 }])).toBe(true);
    expect(selfIntersects([{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 5, y: 5 }, { x: 10, y: 10 }, { x: 0, y: 10 }])).toBe(false);
  });

  it('runs as `htr-studio check`, with the model\'s charset, exit 1 on problems and 0 on a clean file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-check-'));
    const bad = path.join(dir, 'planted.xml');
    const good = path.join(dir, 'clean.xml');
    fs.writeFileSync(bad, planted);
    fs.writeFileSync(good, page([line('a', box(0), base(0), 'one')]));
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const code = await main(args, { out: (l) => out.push(l), err: (l) => out.push(l) });
      return { code, out };
    };
    const r = await run('check', bad, '--model', 'htr-default', '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out.join('\n'));
    expect(report.byRule).toMatchObject({ 'text-empty': 1, 'baseline-missing': 2, 'char-outside-charset': 1 });
    expect((await run('check', good)).code).toBe(0);
  });
});
