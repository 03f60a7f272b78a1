/**
 * The fast XML reader (electron/common/xml/xml-scan.ts) against saxes (#17 item 8): on every
 * corpus file and fixture it gives saxes' tree, to the line number, whole and in pieces, and
 * never gives way on a file saxes reads; where saxes refuses, parseXml's refusal is saxes' own,
 * word for word. A document using every construct the fast reader reads, mutated a character at
 * a time (deleted, doubled, replaced), gives saxes' tree or saxes' refusal. Where it gives way
 * half-way, onClose is still called once per element and saxes takes its answers.
 * Time is measured in bench/big-page-xml.mjs, not here.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_LIMITS, parseWithSaxes, parseXml, type OnClose } from '../../electron/common/xml/xml-parse.js';
import { scanXml } from '../../electron/common/xml/xml-scan.js';
import type { XmlDocument, XmlElement } from '../../electron/common/xml/xml-node.js';
import { decodeXml, readXmlPieces } from '../../electron/node/io/files.js';
import { cut, shownName, XML_FILES } from '../helpers/xml-files.js';



type Outcome = XmlDocument | { error: string };

function outcome(read: () => XmlDocument): Outcome {
  try {
    return read();
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

const fast = (source: string | string[]): XmlDocument | undefined =>
  scanXml(typeof source === 'string' ? [source] : source, DEFAULT_LIMITS, undefined, { closes: 0, standIns: new Map() }, typeof source !== 'string');


const name = shownName;

describe('the fast XML reader gives what saxes gives', () => {
  it('finds the corpus and the fixtures', () => expect(XML_FILES.length).toBeGreaterThanOrEqual(50));

  for (const file of XML_FILES) {
    it(`${name(file)}: saxes' tree, or saxes' refusal`, () => {
      const text = decodeXml(fs.readFileSync(file));
      const bySaxes = outcome(() => parseWithSaxes(text));
      if ('error' in bySaxes) {
        // The refusal word for word, whole and read from the file in pieces.
        expect(outcome(() => parseXml(text))).toEqual(bySaxes);
        expect(outcome(() => parseXml(readXmlPieces(file)))).toEqual(outcome(() => parseWithSaxes(readXmlPieces(file))));
        expect(fast(text)).toBeUndefined();
        return;
      }
      // Read by the fast reader itself (it does not give way), whole and in pieces.
      expect(fast(text)).toEqual(bySaxes);
      expect(fast([...readXmlPieces(file)])).toEqual(bySaxes);
      if (text.length < 300_000) expect(fast(cut(text, 7))).toEqual(bySaxes);
    });
  }

  // Every construct the fast reader reads itself: a declaration, comments and PIs around the root,
  // default and prefixed namespaces (redeclared, undeclared), xml:lang, attributes in both quotes
  // with tabs, newlines, CR LF and references, text with every reference, CDATA, a tag over lines.
  const SAMPLE =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<!-- head -->\n<?pi-before some body ?>\n' +
    '<r xmlns="urn:a" xmlns:p="urn:p" a="1" p:b=\'2\' xml:lang="de">\r\n' +
    '  <p:e c="x&amp;y&lt;&gt;&quot;&apos;&#65;&#x1D504;" d="tab\there\nnl\r\ncr\rend&#10;&#9;">t&amp;u &#xE9;&#233; ]] &gt; ſ 𝔄</p:e>\n' +
    '  <s xmlns="" x="1"/><q xmlns:p="urn:p2"><p:w p:k="v"/></q>\n' +
    '  <c><![CDATA[<not a tag> & ]] ]>]]>after<!-- in - side --><?pi inside?><e2\n    a="1"\n    b="2"\n  /></c>\n' +
    '  <m>one\r\ntwo\rthree</m ></r>\n<!-- tail --><?pi-after?>\n';

  it('the sample is read by the fast reader, as saxes reads it, whole and in pieces of every size up to 12', () => {
    const expected = parseWithSaxes(SAMPLE);
    expect(fast(SAMPLE)).toEqual(expected);
    for (let n = 1; n <= 12; n++) expect(fast(cut(SAMPLE, n))).toEqual(expected);
    expect(fast('\uFEFF' + SAMPLE)).toEqual(parseWithSaxes('\uFEFF' + SAMPLE));
  });

  it('every mutation of the sample by one character: saxes\' tree or saxes\' refusal, whole and in pieces', () => {
    const inserts = ['<', '>', '&', '"', "'", '/', '!', '?', ':', '=', ' ', '\r', '\n', '\t', '-', ']', 'x', '\u0001', '\uD835', '\uFFFE', 'é', ';', '#'];
    let mutations = 0;
    let gaveWay = 0;
    for (let i = 0; i < SAMPLE.length; i++) {
      const variants = [SAMPLE.slice(0, i) + SAMPLE.slice(i + 1), SAMPLE.slice(0, i) + SAMPLE[i] + SAMPLE.slice(i)];
      for (const c of inserts) variants.push(SAMPLE.slice(0, i) + c + SAMPLE.slice(i + 1));
      for (const v of variants) {
        mutations++;
        const expected = outcome(() => parseWithSaxes(v));
        const got = outcome(() => parseXml(v));
        if (JSON.stringify(got) !== JSON.stringify(expected)) expect({ at: i, text: v, got }).toEqual({ at: i, text: v, got: expected });
        if (!fast(v)) gaveWay++;
        // In pieces: saxes itself may name another of several faults where a piece ends, so only the outcome's kind is compared.
        const inPieces = outcome(() => parseXml(cut(v, 5)));
        const sameKind = 'error' in expected ? 'error' in inPieces : JSON.stringify(inPieces) === JSON.stringify(expected);
        if (!sameKind) expect({ at: i, text: v, inPieces }).toEqual({ at: i, text: v, inPieces: expected });
      }
    }
    expect(mutations).toBeGreaterThan(10_000);
    // Most mutations are refusals or names the fast reader leaves to saxes; many are read fast.
    expect(gaveWay).toBeLessThan(mutations);
  });

  it('gives way half-way (a name outside ASCII, valid): onClose is called once per element, saxes takes its answers', () => {
    let text = '<r xmlns="urn:a">';
    for (let i = 0; i < 500; i++) text += `<l id="${i}"><w>${i}</w></l>`;
    text += '<wörd/><l id="last"/></r>';
    const calls: string[] = [];
    const standIns = new Set<XmlElement>();
    const onClose: OnClose = (el) => {
      calls.push(`${el.local}${el.attrs[0]?.value ?? ''}`);
      if (el.local !== 'l') return undefined;
      const s: XmlElement = { ...el, children: [] };
      standIns.add(s);
      return s;
    };
    expect(fast(text)).toBeUndefined();
    const doc = parseXml(cut(text, 64), DEFAULT_LIMITS, onClose);
    const once: string[] = [];
    for (let i = 0; i < 500; i++) once.push(`w`, `l${i}`);
    expect(calls).toEqual([...once, 'wörd', 'llast']);
    // The stand-ins onClose gave are the ones in the tree, the same objects.
    const lines = doc.root.children.filter((c): c is XmlElement => c.type === 'element' && c.local === 'l');
    expect(lines).toHaveLength(501);
    for (const l of lines) expect(standIns.has(l)).toBe(true);
    expect(doc).toEqual(parseWithSaxes(text, DEFAULT_LIMITS, (el) => (el.local === 'l' ? { ...el, children: [] } : undefined)));
  });

  it('an error thrown by onClose is refused as saxes refuses it, onClose called again only for that element', () => {
    const text = '<r><a/><a/><b/><a/></r>';
    let calls = 0;
    const onClose: OnClose = (el) => {
      calls++;
      if (el.local === 'b') throw new Error('no b here');
      return undefined;
    };
    expect(outcome(() => parseXml(text, DEFAULT_LIMITS, onClose))).toEqual({ error: 'XmlError: not well-formed XML: no b here (line 1)' });
    expect(calls).toBe(4);
  });

  it('an attribute of 10 MB over hundreds of pieces (a traced outline) is read by the fast reader', () => {
    const points = Array.from({ length: 1_000_000 }, (_, i) => `${i % 5000},${i % 3000}`).join(' ');
    const text = `<r><Coords points="${points}"/><!-- a > b --></r>`;
    const doc = fast(cut(text, 1 << 15));
    expect(doc).toEqual(parseWithSaxes(text));
  });

  it('readXmlPieces reads the file again from the start each time it is iterated', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-scan-'));
    try {
      const file = path.join(dir, 'a.xml');
      fs.writeFileSync(file, '<a>' + 'x'.repeat(100_000) + '</a>');
      const pieces = readXmlPieces(file);
      const first = [...pieces];
      expect(first.length).toBeGreaterThan(1);
      expect([...pieces]).toEqual(first);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
