/**
 * validate checks a file against the schema its producer meant: an ALTO location
 * without a minor version means the newest minor of its major; a UTF-16 file is
 * decoded once, not read again as bytes by the schema step.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { altoVersionOf } from '../../electron/common/formats/alto-versions.js';
import { main } from '../../electron/cli/main.js';
import { SCHEMAS } from '../helpers/corpus.js';

const NS4 = 'http://www.loc.gov/standards/alto/ns-v4#';

describe('the ALTO version a file declares', () => {
  it('is the newest minor of its major where the location names none (Transkribus: .../v4/alto.xsd)', () => {
    expect(altoVersionOf(NS4, `${NS4} http://www.loc.gov/standards/alto/v4/alto.xsd`, undefined)).toBe('4.4');
    expect(altoVersionOf(NS4, undefined, undefined)).toBe('4.4');
    expect(altoVersionOf('http://www.loc.gov/standards/alto/ns-v2#', undefined, undefined)).toBe('2.1');
    expect(altoVersionOf('http://www.loc.gov/standards/alto/ns-v3#', 'http://www.loc.gov/standards/alto/ns-v3# http://www.loc.gov/alto/v3/alto.xsd', undefined)).toBe('3.1');
  });

  it('is the one it names where it names one', () => {
    expect(altoVersionOf(NS4, `${NS4} http://www.loc.gov/standards/alto/v4/alto-4-1.xsd`, undefined)).toBe('4.1');
    expect(altoVersionOf('http://www.loc.gov/standards/alto/ns-v2#', 'http://www.loc.gov/standards/alto/ns-v2# http://www.loc.gov/standards/alto/alto-v2.0.xsd', undefined)).toBe('2.0');
    expect(altoVersionOf(NS4, undefined, '4.2')).toBe('4.2');
  });
});

describe('a UTF-16 file', () => {
  it('passes the schema step as its UTF-8 twin does', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-16"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15 http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15/pagecontent.xsd">
  <Metadata><Creator>t</Creator><Created>2026-01-01T00:00:00</Created><LastChange>2026-01-01T00:00:00</LastChange></Metadata>
  <Page imageFilename="p.png" imageWidth="100" imageHeight="100">
    <TextRegion id="r"><Coords points="0,0 99,0 99,99 0,99"/><TextLine id="l"><Coords points="0,0 90,0 90,9 0,9"/><Baseline points="0,8 90,8"/><TextEquiv><Unicode>Grüße, ꝯ ſ — ελληνικά</Unicode></TextEquiv></TextLine></TextRegion>
  </Page>
</PcGts>
`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-utf16-'));
    const file = path.join(dir, 'page.xml');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]));
    const out: string[] = [];
    const code = await main(['validate', file, '--schemas', SCHEMAS], { out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(out.join('\n')).not.toMatch(/INVALID/);
    expect(code).toBe(0);
  });
});
