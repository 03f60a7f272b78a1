/**
 * A PAGE 2019 page made for the ground-truth checker: one clean line and one line
 * for each defect it must find (the unit tests and the editor's e2e test share it).
 * Image: p.png, 1000 × 1000.
 */
export const line = (id: string, coords: string, baseline: string | null, text: string): string =>
  `<TextLine id="${id}"><Coords points="${coords}"/>${baseline === null ? '' : `<Baseline points="${baseline}"/>`}<TextEquiv><Unicode>${text}</Unicode></TextEquiv></TextLine>`;

export const box = (y: number) => `10,${y} 500,${y} 500,${y + 40} 10,${y + 40}`;
export const base = (y: number) => `12,${y + 32} 498,${y + 32}`;

export function page(lines: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
  <Metadata><Creator>t</Creator><Created>2026-01-01T00:00:00Z</Created><LastChange>2026-01-01T00:00:00Z</LastChange></Metadata>
  <Page imageFilename="p.png" imageWidth="1000" imageHeight="1000">
    <TextRegion id="r"><Coords points="0,0 999,0 999,999 0,999"/>${lines.join('')}</TextRegion>
  </Page>
</PcGts>`;
}

export const planted = page([
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

