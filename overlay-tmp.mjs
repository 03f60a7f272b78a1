import sharp from 'sharp';
import fs from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
const [xmlFile, img, out] = process.argv.slice(2);
const doc = new DOMParser().parseFromString(fs.readFileSync(xmlFile, 'utf8'), 'text/xml');
const meta = await sharp(img).metadata();
let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${meta.width}" height="${meta.height}">`;
const els = doc.getElementsByTagName('*');
for (let i = 0; i < els.length; i++) {
  const e = els[i];
  if (e.localName !== 'Coords' && e.localName !== 'Baseline') continue;
  const parent = e.parentNode.localName;
  const pts = e.getAttribute('points');
  const color = e.localName === 'Baseline' ? 'red' : parent === 'TextLine' ? 'blue' : 'green';
  svg += `<polyline points="${pts}${e.localName === 'Coords' ? ' ' + pts.split(' ')[0] : ''}" fill="none" stroke="${color}" stroke-width="3"/>`;
}
svg += '</svg>';
await sharp(img).composite([{ input: Buffer.from(svg) }]).resize(1000).png().toFile(out);
