/**
 * The journal of unsaved edits (electron/node/project/edit-journal.ts): what the
 * editor hands the engine before saving is offered back when the page is opened
 * again after a crash, and cleared by a save.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { setLineText } from '../../electron/common/model/ops.js';
import { allLines } from '../../electron/common/model/stats.js';
import { dispatch } from '../../electron/common/api/methods.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';
import { JOURNAL_DIR } from '../../electron/node/project/edit-journal.js';
import { tempRoot, timeusProject } from '../helpers/timeus-project.js';

const root = tempRoot('htr-journal-');
const project = (): string => timeusProject(root(), ['a']);

describe('the journal of unsaved edits', () => {
  it('offers edits back after the engine stopped before saving them, and a save clears it', async () => {
    const dir = project();
    const first = new LocalProjectService(dir, { cacheDir: path.join(root(), 'cache') });
    const opened = await first.openPage('a.jpg');
    expect(opened.journal).toBeUndefined();
    const doc = readDocument(opened.xml).doc;
    const edited = writeDocument(setLineText(doc, allLines(doc.page.regions)[0]!.id, 'journalled text')).xml;
    await first.journalPage('a.jpg', edited, opened.revision);
    // "Crash": a new engine on the same folder.
    const second = new LocalProjectService(dir, { cacheDir: path.join(root(), 'cache') });
    const again = await second.openPage('a.jpg');
    expect(again.xml).toBe(opened.xml);
    expect(again.journal?.xml).toBe(edited);
    expect(Date.parse(again.journal!.savedAt)).toBeGreaterThan(0);
    // Saved: gone.
    await second.savePage('a.jpg', edited, again.revision);
    expect((await second.openPage('a.jpg')).journal).toBeUndefined();
    expect(fs.readdirSync(path.join(dir, JOURNAL_DIR))).toEqual([]);
  });

  it('drops a journal that holds what the file holds, and one cleared by the editor', async () => {
    const dir = project();
    const s = new LocalProjectService(dir, { cacheDir: path.join(root(), 'cache') });
    const opened = await s.openPage('a.jpg');
    await s.journalPage('a.jpg', opened.xml, opened.revision);
    expect((await s.openPage('a.jpg')).journal).toBeUndefined();
    await s.journalPage('a.jpg', opened.xml.replace('</PcGts>', '<!-- x --></PcGts>'), opened.revision);
    await s.journalPage('a.jpg', null, opened.revision);
    expect((await s.openPage('a.jpg')).journal).toBeUndefined();
  });

  it('ignores a journal cut off by a crash of the machine, and refuses unknown pages', async () => {
    const dir = project();
    const s = new LocalProjectService(dir, { cacheDir: path.join(root(), 'cache') });
    const opened = await s.openPage('a.jpg');
    await s.journalPage('a.jpg', opened.xml.replace('</PcGts>', '<!-- y --></PcGts>'), opened.revision);
    const [file] = fs.readdirSync(path.join(dir, JOURNAL_DIR));
    fs.writeFileSync(path.join(dir, JOURNAL_DIR, file!), '{"pageId": "a.jpg", "xml": "<PcG');
    expect((await s.openPage('a.jpg')).journal).toBeUndefined();
    expect(await dispatch(s, 'journalPage', ['nope.jpg', '<x/>', null])).toMatchObject({ ok: false, error: { code: 'not-found' } });
    // The journal folder is not taken for pages.
    expect((await s.listPages()).map((p) => p.id)).toEqual(['a.jpg']);
  });
});
