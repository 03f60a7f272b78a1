// Benchmark: parse + serialise PAGE-XML with HTR Studio's reader/writer, next to a
// bare DOM round-trip (@xmldom/xmldom parse + serialise) of the same text in the
// same run. Prints JSON. Usage: node bench/page-xml-roundtrip.mjs [--runs N]
import { build } from 'esbuild';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 20;
const out = path.join(root, '.cache/bench/document-io.mjs');
await build({ entryPoints: [path.join(root, 'electron/common/formats/document-io.ts')], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'warning' });
const { readDocument, writeDocument } = await import(pathToFileURL(out).href);

function syntheticPage(lines) {
  const parts = [];
  for (let i = 0; i < lines; i++) {
    const y = 40 + i * 30;
    parts.push(`      <TextLine id="l${i}" custom="structure {type:DefaultLine;}">
        <Coords points="100,${y} 900,${y} 900,${y + 25} 100,${y + 25}"/>
        <Baseline points="100,${y + 20} 500,${y + 21} 900,${y + 20}"/>
        <TextEquiv conf="0.93"><Unicode>Ligne ${i} : le testament de Jean, fait à Paris</Unicode></TextEquiv>
      </TextLine>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
  <Metadata><Creator>bench</Creator><Created>2026-01-01T00:00:00</Created><LastChange>2026-01-01T00:00:00</LastChange></Metadata>
  <Page imageFilename="synthetic.png" imageWidth="1000" imageHeight="${lines * 30 + 100}">
    <TextRegion id="r1"><Coords points="90,30 910,30 910,${lines * 30 + 70} 90,${lines * 30 + 70}"/>
${parts.join('\n')}
    </TextRegion>
  </Page>
</PcGts>
`;
}

function time(fn) {
  fn(); // warm-up
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

const cases = [];
const aletheia = path.resolve(root, '../shared/corpus/prima-aletheia/aletheiaexamplepage.xml');
if (fs.existsSync(aletheia)) cases.push({ name: 'aletheiaexamplepage (537 words, 94 glyphs)', text: fs.readFileSync(aletheia, 'utf8') });
cases.push({ name: 'synthetic 2,000-line page', text: syntheticPage(2000) });

const results = cases.map(({ name, text }) => {
  const mb = Buffer.byteLength(text) / 1e6;
  const ours = time(() => writeDocument(readDocument(text).doc).xml);
  const dom = time(() => new XMLSerializer().serializeToString(new DOMParser().parseFromString(text, 'text/xml')));
  return {
    page: name,
    bytes: Buffer.byteLength(text),
    htrStudio: { msPerPage: +ours.toFixed(2), mbPerS: +(mb / (ours / 1000)).toFixed(1) },
    xmldomRoundTrip: { msPerPage: +dom.toFixed(2), mbPerS: +(mb / (dom / 1000)).toFixed(1) },
    ratio: +(ours / dom).toFixed(2),
  };
});
console.log(JSON.stringify({ machine: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`, runs, results }, null, 2));
