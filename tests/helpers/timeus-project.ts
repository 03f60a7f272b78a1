/**
 * Temporary projects made of the real TIME US page (eScriptorium, PAGE 2019, 48 lines
 * transcribed by people) under several names, for tests of the engine's project
 * features. The corpus stays read-only: the page and its image are copied.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { writeDocument } from '../../electron/common/formats/document-io.js';
import type { PageDocument } from '../../electron/common/model/types.js';
import { pyramidBuildsSettled } from '../../electron/node/tiles/pyramid.js';
import { CORPUS } from './corpus.js';

export const TIMEUS_DIR = path.join(CORPUS, 'escriptorium-timeuscorpus', 'cph_paris_tissage_1858');
export const TIMEUS_NAME = 'PH 1858-535';
export const TIMEUS_XML = fs.readFileSync(path.join(TIMEUS_DIR, 'page', `${TIMEUS_NAME}.xml`), 'utf8');

/** A temporary folder for the test file, removed after it (tile builds settled first). */
export function tempRoot(prefix: string): () => string {
  let root = '';
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(async () => {
    await pyramidBuildsSettled();
    fs.rmSync(root, { recursive: true, force: true });
  });
  return () => root;
}

/**
 * A project under `root` with the page as `page/STEM.xml` + `STEM.jpg` for each stem;
 * `doc` gives a stem's page as a document instead of the file as it is.
 */
export function timeusProject(root: string, stems: readonly string[], doc?: (stem: string) => PageDocument): string {
  const dir = fs.mkdtempSync(path.join(root, 'project-'));
  fs.mkdirSync(path.join(dir, 'page'));
  for (const stem of stems) {
    fs.copyFileSync(path.join(TIMEUS_DIR, `${TIMEUS_NAME}.jpg`), path.join(dir, `${stem}.jpg`));
    const d = doc?.(stem);
    const xml = d ? writeDocument({ ...d, page: { ...d.page, imageFilename: `${stem}.jpg` } }).xml : TIMEUS_XML.replace(/imageFilename="[^"]*"/, `imageFilename="${stem}.jpg"`);
    fs.writeFileSync(path.join(dir, 'page', `${stem}.xml`), xml);
  }
  return dir;
}
