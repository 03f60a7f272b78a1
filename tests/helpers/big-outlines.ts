/**
 * A PAGE 2019 file made for the tests of big outlines (BigPoints, #17 item 8): outlines
 * of ~9,000 points (over BIG_POINTS_CHARS of text) on the Border, the PrintSpace, regions
 * (a TableCell in a TableRegion among them), one in ALTO's "x y" notation, one with
 * fractions, one with points off the image, one a region's second Coords, one a line's
 * Baseline; and how many of them a conversion and the lossless write keep as text.
 */
const NS = 'http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15';
const SIZE = 6000;
const POINTS = 9000;

type Spelling = 'page' | 'alto' | 'fractions' | 'outside';

/** An outline of POINTS points around the box (x0, y0)–(x1, y1): along the top, back along the bottom. */
export function outline(x0: number, y0: number, x1: number, y1: number, spelling: Spelling = 'page'): string {
  const half = POINTS / 2;
  const out: string[] = [];
  for (let i = 0; i < POINTS; i++) {
    const t = (i % half) / half;
    let x = Math.round(i < half ? x0 + t * (x1 - x0) : x1 - t * (x1 - x0));
    const y = i < half ? y0 + (i % 3) : y1 - (i % 4);
    let ys = String(y);
    if (spelling === 'fractions' && i % 50 === 7) ys += '.5';
    if (spelling === 'outside' && i === 11) x = SIZE + 40;
    out.push(spelling === 'alto' ? `${x} ${ys}` : `${x},${ys}`);
  }
  return out.join(' ');
}

const line = (id: string, y: number, baseline?: string): string =>
  `        <TextLine id="${id}">\n          <Coords points="200,${y} 900,${y} 900,${y + 30} 200,${y + 30}"/>\n` +
  (baseline ? `          <Baseline points="${baseline}"/>\n` : '') +
  `          <TextEquiv>\n            <Unicode>ligne ${id}</Unicode>\n          </TextEquiv>\n        </TextLine>\n`;

export const bigOutlines = {
  text: `<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="${NS}">
  <Metadata>
    <Creator>tests/helpers/big-outlines.ts</Creator>
    <Created>2026-12-05T00:00:00</Created>
    <LastChange>2026-12-05T00:00:00</LastChange>
  </Metadata>
  <Page imageFilename="big.png" imageWidth="${SIZE}" imageHeight="${SIZE}">
    <Border>
      <Coords points="${outline(20, 20, 5980, 5980)}"/>
    </Border>
    <PrintSpace>
      <Coords points="${outline(100, 100, 5900, 5900)}"/>
    </PrintSpace>
    <ReadingOrder>
      <OrderedGroup id="ro" caption="regions">
        <RegionRefIndexed index="0" regionRef="r1"/>
        <RegionRefIndexed index="1" regionRef="t1"/>
        <RegionRefIndexed index="2" regionRef="r2"/>
      </OrderedGroup>
    </ReadingOrder>
    <TextRegion id="r1" type="paragraph">
      <Coords points="${outline(150, 150, 2000, 1000)}"/>
${line('l1', 200)}${line('l2', 300, outline(200, 320, 900, 330))}    </TextRegion>
    <ImageRegion id="img">
      <Coords points="${outline(2100, 150, 4000, 1000, 'alto')}"/>
    </ImageRegion>
    <GraphicRegion id="g1">
      <Coords points="${outline(150, 1100, 2000, 2000, 'fractions')}"/>
    </GraphicRegion>
    <SeparatorRegion id="sep">
      <Coords points="${outline(150, 2100, 5000, 2150, 'outside')}"/>
    </SeparatorRegion>
    <TableRegion id="t1">
      <Coords points="150,2200 3000,2200 3000,3000 150,3000"/>
      <TableCell id="c1" row="0" col="0" rowSpan="1" colSpan="1">
        <Coords points="${outline(160, 2210, 1500, 2900)}"/>
${line('l3', 2300)}      </TableCell>
    </TableRegion>
    <TextRegion id="r2">
      <Coords points="150,3100 2000,3100 2000,4000 150,4000"/>
      <Coords points="${outline(150, 3100, 2000, 4000)}"/>
${line('l4', 3200)}    </TextRegion>
  </Page>
</PcGts>
`,
  /** Kept as text by a conversion: the Border, PrintSpace, r1, img (ALTO's notation), c1; not g1 (fractions), sep (off the image), r2's second Coords, l2's Baseline. */
  keptByConversion: 5,
  /** Kept as text by the lossless write: those, g1 and sep too. */
  keptLossless: 7,
};
