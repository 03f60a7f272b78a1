/** A text region's PAGE @type: set and removed as one edit; dropped when the region becomes another kind. */
import { describe, expect, it } from 'vitest';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { findRegion, setRegionSubtype, setRegionType } from '../../electron/common/model/ops.js';

const doc = readDocument(`<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"><Metadata><Creator>t</Creator><Created>2026-01-01T00:00:00Z</Created><LastChange>2026-01-01T00:00:00Z</LastChange></Metadata>
<Page imageFilename="p.png" imageWidth="100" imageHeight="100"><TextRegion id="r" type="paragraph"><Coords points="0,0 99,0 99,99 0,99"/></TextRegion></Page></PcGts>`).doc;

describe("a region's PAGE type", () => {
  it('is set, written and removed', () => {
    const marg = setRegionSubtype(doc, 'r', 'marginalia');
    expect(writeDocument(marg).xml).toMatch(/<TextRegion id="r"[^>]*type="marginalia"/);
    expect(findRegion(setRegionSubtype(marg, 'r', null), 'r')!.type).toBeUndefined();
  });

  it('stays with its kind: a text type is dropped when the region becomes an image region', () => {
    expect(findRegion(setRegionType(doc, 'r', 'TextRegion', 'MainZone'), 'r')!.type).toBe('paragraph');
    expect(findRegion(setRegionType(doc, 'r', 'ImageRegion'), 'r')!.type).toBeUndefined();
  });
});
