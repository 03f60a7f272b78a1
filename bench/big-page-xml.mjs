// Benchmark: big PAGE files. Generates (in a temporary folder, at run time) a
// Transkribus-like PAGE 2019 file of ~20 MB and one of ~200 MB (regions, lines,
// words and glyphs with Coords, Baseline, TextEquiv, custom attributes and
// UserDefined, plus one polygon of many points), then measures, each in its own
// child process under /usr/bin/time -v (wall time and peak RSS):
//   htr-studio info FILE
//   htr-studio convert FILE -o OUT            (identity, lossless)
//   htr-studio convert FILE -o OUT --to page-2013  (through the line spool, + the streaming
//                                                   XSD check as it is written; and without any XSD folder)
//   htr-studio convert FILE -o OUT --to alto-4
//   lxml (Debian's python3-lxml, /usr/bin/python3): parse, parse + write, and parse +
//   validate against the PAGE 2019 XSD + write (the like-for-like of --to with its check)
// in the same run, and prints JSON with the ratios to lxml and to the file size. Each
// command is also run on a file of ~10 kB (the same generator): its peak RSS there is the
// process's own baseline (Node and the CLI's code, Python and lxml), and the growth over
// it is given next to the absolute figure, as a multiple of the file size too.
// Usage: node bench/big-page-xml.mjs [--sizes 20,200] [--keep] | --generate FILE MB
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const sizesMb = (arg('--sizes') ?? '20,200').split(',').map(Number);
const keep = process.argv.includes('--keep');
const PYTHON = '/usr/bin/python3';
const bin = path.join(root, 'bin/htr-studio.cjs');
// The built CLI, run without bin's staleness check: a rebuild must never be timed.
const RUN_CLI = `require(${JSON.stringify(path.join(root, 'dist/cli.cjs'))}).main(process.argv.slice(1)).then((c) => process.exit(c), (e) => { console.error(e.message); process.exit(2); })`;

/** Writes a PAGE 2019 file of about `targetMb` MB; returns its counts. */
function generate(file, targetMb) {
  const fd = fs.openSync(file, 'w');
  let buf = '';
  let bytes = 0;
  const put = (s) => {
    buf += s;
    if (buf.length > 1 << 20) flush();
  };
  const flush = () => {
    bytes += fs.writeSync(fd, buf);
    buf = '';
  };
  const words = ['Item', 'der', 'Herr', 'Johann', 'hat', 'verkauft', 'ſein', 'Hauß', 'zu', 'Nürnberg', 'für', '200', 'Gulden', 'æquitas', 'und', 'Zeugen'];
  // One polygon of many points (a border traced pixel by pixel): ~10 bytes a point.
  const hugePoints = Math.round(targetMb * 10_000);
  const lineCount = Math.round(((targetMb * 1e6) - hugePoints * 10) / 8_900);
  const linesPerRegion = 25;
  const regionCount = Math.ceil(lineCount / linesPerRegion);
  const width = 5000;
  const height = 40 * lineCount + 200;
  put(`<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15 http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15/pagecontent.xsd">
  <Metadata>
    <Creator>bench/big-page-xml.mjs</Creator>
    <Created>2026-01-01T00:00:00</Created>
    <LastChange>2026-01-01T00:00:00</LastChange>
    <TranskribusMetadata docId="1" pageId="2" pageNr="1" status="IN_PROGRESS"/>
  </Metadata>
  <Page imageFilename="big.jpg" imageWidth="${width}" imageHeight="${height}">
`);
  put('    <ReadingOrder>\n      <OrderedGroup id="ro_1" caption="Regions reading order">\n');
  for (let r = 0; r < regionCount; r++) put(`        <RegionRefIndexed index="${r}" regionRef="r${r}"/>\n`);
  put('      </OrderedGroup>\n    </ReadingOrder>\n');
  // The huge polygon: a wavy outline around the whole page.
  const pts = [];
  for (let i = 0; i < hugePoints; i++) {
    const t = i / hugePoints;
    pts.push(i < hugePoints / 2 ? `${Math.round(10 + t * 2 * (width - 20))},${10 + (i % 7)}` : `${Math.round(width - 10 - (t - 0.5) * 2 * (width - 20))},${height - 10 - (i % 5)}`);
  }
  put(`    <ImageRegion id="border_huge" custom="structure {type:decoration;}">\n      <Coords points="${pts.join(' ')}"/>\n    </ImageRegion>\n`);
  let line = 0;
  let glyphs = 0;
  let wordCount = 0;
  for (let r = 0; r < regionCount; r++) {
    const y0 = 100 + r * linesPerRegion * 40;
    put(`    <TextRegion id="r${r}" custom="readingOrder {index:${r};} structure {type:paragraph;}" type="paragraph">
      <Coords points="90,${y0} ${width - 90},${y0} ${width - 90},${y0 + linesPerRegion * 40} 90,${y0 + linesPerRegion * 40}"/>
      <UserDefined>
        <UserAttribute name="source" type="xsd:string" value="bench"/>
      </UserDefined>
`);
    const regionText = [];
    for (let l = 0; l < linesPerRegion && line < lineCount; l++, line++) {
      const y = y0 + l * 40;
      const top = [];
      const bottom = [];
      for (let k = 0; k <= 10; k++) {
        top.push(`${100 + k * 480},${y + (k % 3)}`);
        bottom.unshift(`${100 + k * 480},${y + 34 - (k % 2)}`);
      }
      put(`      <TextLine id="r${r}l${l}" custom="readingOrder {index:${l};} abbrev {offset:5; length:3;expansion:und;}">
        <Coords points="${top.join(' ')} ${bottom.join(' ')}"/>
        <Baseline points="100,${y + 28} 1300,${y + 29} 2500,${y + 28} 3700,${y + 29} 4900,${y + 28}"/>
`);
      const lineWords = [];
      for (let w = 0; w < 8; w++, wordCount++) {
        const word = words[(line * 8 + w) % words.length];
        const x = 100 + w * 600;
        put(`        <Word id="r${r}l${l}w${w}" custom="readingOrder {index:${w};}">
          <Coords points="${x},${y} ${x + 560},${y} ${x + 560},${y + 34} ${x},${y + 34}"/>
`);
        const chars = [...word].slice(0, 4);
        for (const [g, ch] of chars.entries()) {
          const gx = x + g * 140;
          put(`          <Glyph id="r${r}l${l}w${w}g${g}">
            <Coords points="${gx},${y} ${gx + 130},${y} ${gx + 130},${y + 34} ${gx},${y + 34}"/>
            <TextEquiv conf="0.9${g}">
              <Unicode>${ch}</Unicode>
            </TextEquiv>
          </Glyph>
`);
          glyphs++;
        }
        put(`          <TextEquiv conf="0.87">
            <Unicode>${word}</Unicode>
          </TextEquiv>
        </Word>
`);
        lineWords.push(word);
      }
      const text = lineWords.join(' ');
      regionText.push(text);
      put(`        <TextEquiv conf="0.912">
          <Unicode>${text}</Unicode>
        </TextEquiv>
      </TextLine>
`);
    }
    put(`      <TextEquiv>
        <Unicode>${regionText.join('\n')}</Unicode>
      </TextEquiv>
    </TextRegion>
`);
  }
  put('  </Page>\n</PcGts>\n');
  flush();
  fs.closeSync(fd);
  return { bytes, regions: regionCount + 1, lines: lineCount, words: wordCount, glyphs, hugePolygonPoints: hugePoints };
}

/** Runs a command under /usr/bin/time -v: wall seconds and peak RSS in MB, or the failure. */
function measure(cmd, args, env = process.env) {
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env });
  const field = (name) => new RegExp(`${name}: (.+)`).exec(r.stderr)?.[1]?.trim();
  const wall = field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)') ?? '';
  const seconds = wall.split(':').reduce((s, p) => s * 60 + Number(p), 0);
  const rssMb = Number(field('Maximum resident set size \\(kbytes\\)')) / 1024;
  const cpu = Number(field('User time \\(seconds\\)')) + Number(field('System time \\(seconds\\)'));
  const ok = r.status === 0;
  // CPU seconds beside wall seconds: on a shared machine the wall time includes waiting for a core.
  return { ok, s: +seconds.toFixed(2), cpuS: +cpu.toFixed(2), peakRssMb: Math.round(rssMb), ...(!ok && { error: r.stderr.split('\n').filter((l) => l && !/^\t/.test(l)).slice(0, 3).join(' | ') }) };
}

const LXML_PARSE = 'import sys\nfrom lxml import etree\np = etree.XMLParser(huge_tree=True)\nt = etree.parse(sys.argv[1], p)\nprint(sum(1 for _ in t.iter()))';
// The like-for-like of `convert --to` with its XSD check: parse, validate against the PAGE
// schema (the input's version: lxml converts nothing, the work is the same size), write.
const LXML_VALIDATING = 'import sys\nfrom lxml import etree\np = etree.XMLParser(huge_tree=True)\nt = etree.parse(sys.argv[1], p)\ns = etree.XMLSchema(etree.parse(sys.argv[3]))\ns.validate(t)\nt.write(sys.argv[2], xml_declaration=True, encoding="UTF-8")';
const LXML_ROUNDTRIP = 'import sys\nfrom lxml import etree\np = etree.XMLParser(huge_tree=True)\nt = etree.parse(sys.argv[1], p)\nt.write(sys.argv[2], xml_declaration=True, encoding="UTF-8")';

// --generate FILE MB: only write the file (for profiling by hand).
if (arg('--generate')) {
  console.log(JSON.stringify(generate(arg('--generate'), Number(process.argv[process.argv.indexOf('--generate') + 2]))));
  process.exit(0);
}

// Build the CLI once, outside the timings.
execFileSync(process.execPath, [bin, '--help'], { stdio: 'ignore' });
const lxmlVersion = spawnSync(PYTHON, ['-c', 'from lxml import etree; print(".".join(map(str, etree.LXML_VERSION[:3])), ".".join(map(str, etree.LIBXML_VERSION)))'], { encoding: 'utf8' }).stdout.trim();
if (!lxmlVersion) throw new Error(`${PYTHON} has no lxml: apt-get install python3-lxml`);

const PAGE_2019_XSD = path.join(root, 'dist/schemas/page/2019-07-15/pagecontent.xsd');
if (!fs.existsSync(PAGE_2019_XSD)) throw new Error(`${PAGE_2019_XSD} is missing: node build/build.mjs copies the schemas`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-big-page-'));
// No XSD folder at all (the built-in one named by HTR_STUDIO_SCHEMAS is empty): convert --to without its check.
const noSchemas = path.join(tmp, 'no-schemas');
fs.mkdirSync(noSchemas);
const NO_XSD_ENV = { ...process.env, HTR_STUDIO_SCHEMAS: noSchemas, XDG_CONFIG_HOME: noSchemas };

/** Every command on `file`, each in its own process. */
function runAll(file, tag) {
  const out = (name) => path.join(tmp, `${name}-${tag}.xml`);
  const cli = (...args) => measure(process.execPath, ['-e', RUN_CLI, ...args]);
  const runs = {
    info: cli('info', file),
    convertIdentity: cli('convert', file, '-o', out('identity')),
    convertPage2013: cli('convert', file, '-o', out('page2013'), '--to', 'page-2013'),
    convertPage2013NoXsd: measure(process.execPath, ['-e', RUN_CLI, 'convert', file, '-o', out('page2013-noxsd'), '--to', 'page-2013'], NO_XSD_ENV),
    convertAlto: cli('convert', file, '-o', out('alto'), '--to', 'alto-4'),
    lxmlParse: measure(PYTHON, ['-c', LXML_PARSE, file]),
    lxmlParseWrite: measure(PYTHON, ['-c', LXML_ROUNDTRIP, file, out('lxml')]),
    lxmlParseValidateWrite: measure(PYTHON, ['-c', LXML_VALIDATING, file, out('lxml-xsd'), PAGE_2019_XSD]),
  };
  return { runs, out };
}

const results = [];
try {
  // The baseline: each command on a file of ~10 kB (one line, a 100-point outline).
  const tiny = path.join(tmp, 'tiny.xml');
  const tinyMade = generate(tiny, 0.01);
  const baseline = runAll(tiny, 'tiny').runs;
  const lxmlImport = measure(PYTHON, ['-c', 'from lxml import etree']);
  for (const mb of sizesMb) {
    const file = path.join(tmp, `big-${mb}mb.xml`);
    const made = generate(file, mb);
    const { runs, out } = runAll(file, `${mb}`);
    // The writer formats as the generator does: only LastChange (now) differs.
    const lastChange = (f) => fs.readFileSync(f, 'utf8').replace(/<LastChange>[^<]*<\/LastChange>/, '');
    const identical = runs.convertIdentity.ok && lastChange(out('identity')) === lastChange(file);
    const fileMb = made.bytes / 1e6;
    const fileMiB = made.bytes / 1048576;
    const ratio = (a, b) => (a.ok && b.ok && b.cpuS > 0 ? +(a.cpuS / b.cpuS).toFixed(2) : null);
    const perRun = (f) => Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.ok ? f(k, v) : null]));
    results.push({
      file: { mb: +fileMb.toFixed(1), ...made },
      runs,
      identityByteIdenticalButLastChange: identical,
      cpuTimeVsLxml: {
        info: ratio(runs.info, runs.lxmlParse),
        convertIdentity: ratio(runs.convertIdentity, runs.lxmlParseWrite),
        convertPage2013: ratio(runs.convertPage2013, runs.lxmlParseWrite),
        convertPage2013NoXsd: ratio(runs.convertPage2013NoXsd, runs.lxmlParseWrite),
        convertAlto: ratio(runs.convertAlto, runs.lxmlParseWrite),
        // With the XSD check on both sides (the CLI's streaming check reads an output of any size).
        convertPage2013VsLxmlValidating: ratio(runs.convertPage2013, runs.lxmlParseValidateWrite),
        convertAltoVsLxmlValidating: ratio(runs.convertAlto, runs.lxmlParseValidateWrite),
      },
      // The same, each side's CPU time on the ~10 kB file taken off first (the CLI's start, Python's and lxml's import).
      cpuTimeVsLxmlOverBaseline: Object.fromEntries(['info', 'convertIdentity', 'convertPage2013', 'convertPage2013NoXsd', 'convertAlto'].map((k) => {
        const lx = k === 'info' ? 'lxmlParse' : 'lxmlParseWrite';
        const ok = runs[k].ok && runs[lx].ok;
        return [k, ok ? +((runs[k].cpuS - baseline[k].cpuS) / (runs[lx].cpuS - baseline[lx].cpuS)).toFixed(2) : null];
      })),
      peakRssVsFileSize: perRun((k, v) => +(v.peakRssMb / fileMiB).toFixed(2)),
      // Peak RSS over the same command's on the ~10 kB file: what reading this file added.
      rssGrowthOverBaselineMb: perRun((k, v) => v.peakRssMb - baseline[k].peakRssMb),
      rssGrowthVsFileSize: perRun((k, v) => +((v.peakRssMb - baseline[k].peakRssMb) / fileMiB).toFixed(2)),
    });
    for (const f of fs.readdirSync(tmp)) if (!keep && f.includes(`-${mb}`)) fs.rmSync(path.join(tmp, f), { force: true });
  }
  results.unshift({ baseline: { file: { kb: +(tinyMade.bytes / 1024).toFixed(1) }, runs: baseline, lxmlImportOnly: lxmlImport } });
} finally {
  if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
  else console.error(`files kept in ${tmp}`);
}
console.log(JSON.stringify({
  machine: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  lxml: `lxml ${lxmlVersion.split(' ')[0]} (libxml2 ${lxmlVersion.split(' ')[1]}), ${PYTHON}`,
  goals: 'peak RSS ≤ 4× the file size; time ≤ 3× lxml (info vs lxml parse, convert vs lxml parse+write, and convert --to with its XSD check vs lxml parse+validate+write; CPU seconds, as the machine is shared)',
  results,
}, null, 2));
