/** Version N of a small synthetic PAGE file, each a different size (so a torn write shows). */
export function pageVersion(n: number): string {
  const lines = Array.from({ length: 1 + (n % 7) }, (_, i) => `      <TextLine id="l${i}"><Coords points="10,${20 * i + 10} 900,${20 * i + 10} 900,${20 * i + 25} 10,${20 * i + 25}"/><TextEquiv><Unicode>version ${n} line ${i} ${'x'.repeat((n * 37) % 4000)}</Unicode></TextEquiv></TextLine>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
  <Metadata><Creator>kill test</Creator><Created>2026-01-01T00:00:00Z</Created><LastChange>2026-01-01T00:00:00Z</LastChange></Metadata>
  <Page imageFilename="page.png" imageWidth="1000" imageHeight="1000">
    <TextRegion id="r0"><Coords points="0,0 999,0 999,999 0,999"/>
${lines.join('\n')}
    </TextRegion>
  </Page>
</PcGts>
`;
}

/** The version a file holds, or null when it is no whole version (torn, empty, foreign). */
export function versionOf(text: string): number | null {
  const m = /version (\d+) line 0/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return pageVersion(n) === text ? n : null;
}
