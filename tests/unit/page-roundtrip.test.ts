import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseXml } from '../../electron/common/xml/xml-parse.js';
import { readPage } from '../../electron/common/formats/page-read.js';
import { writePageXml } from '../../electron/common/formats/page-write.js';
import { Warnings } from '../../electron/common/formats/format-error.js';
import { corpusFiles, CORPUS } from '../helpers/corpus.js';
import { treeDiff, xmlTree } from '../helpers/xml-compare.js';

const pages = corpusFiles('page');

describe('PAGE-XML lossless round-trip on the real corpus', () => {
  it('finds the 16 corpus PAGE files', () => {
    expect(pages.length).toBe(16);
  });

  for (const file of pages) {
    it(`keeps the whole tree of ${path.relative(CORPUS, file)}`, () => {
      const src = fs.readFileSync(file, 'utf8');
      const w = new Warnings();
      const doc = readPage(parseXml(src), w);
      if (doc.format.kind !== 'page') throw new Error('not page');
      const out = writePageXml(doc, { version: doc.format.version, conform: false }, w);
      expect(treeDiff(xmlTree(src), xmlTree(out))).toBeUndefined();
    });
  }
});
