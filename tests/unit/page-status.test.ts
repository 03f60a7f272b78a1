/**
 * Page statuses (new, in progress, done, ground truth) in the project's
 * htr-studio.json: listed with the pages, set by people, "in progress" on the first
 * save of a person's text, kept across restarts, and a damaged manifest is set aside,
 * never lost or fatal.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { dispatch } from '../../electron/common/api/methods.js';
import { readDocument } from '../../electron/common/formats/document-io.js';
import { mapAllLines } from '../../electron/common/model/ops.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';
import { MANIFEST_NAME } from '../../electron/node/project/project-manifest.js';
import { tempRoot, timeusProject, TIMEUS_XML } from '../helpers/timeus-project.js';

const root = tempRoot('htr-status-');

/** Page a: the real page with machine text only (every line has a confidence); page b: the real page as people wrote it. */
function makeProject(): string {
  const source = readDocument(TIMEUS_XML).doc;
  const machine = mapAllLines(source, (l) => ({ ...l, textEquivs: l.textEquivs.map((t) => ({ ...t, conf: 0.4 })) }));
  return timeusProject(root(), ['a', 'b'], (stem) => (stem === 'a' ? machine : source));
}

const statuses = async (s: LocalProjectService) => Object.fromEntries((await s.listPages()).map((p) => [p.id, p.status]));

describe('page statuses', () => {
  it('are new at first; a save with a person\'s text makes a page in progress, machine text alone does not', async () => {
    const dir = makeProject();
    const service = new LocalProjectService(dir, { cacheDir: path.join(root(), 'cache') });
    expect(await statuses(service)).toEqual({ 'a.jpg': 'new', 'b.jpg': 'new' });
    expect(fs.existsSync(path.join(dir, MANIFEST_NAME))).toBe(false);
    const a = await service.openPage('a.jpg');
    await service.savePage('a.jpg', a.xml, a.revision);
    expect(await statuses(service)).toEqual({ 'a.jpg': 'new', 'b.jpg': 'new' });
    const b = await service.openPage('b.jpg');
    await service.savePage('b.jpg', b.xml, b.revision);
    expect(await statuses(service)).toEqual({ 'a.jpg': 'new', 'b.jpg': 'in-progress' });
  });

  it('are set by people, kept in htr-studio.json across restarts, and a later save does not lower them', async () => {
    const dir = makeProject();
    const service = new LocalProjectService(dir, { cacheDir: path.join(root(), 'cache') });
    await service.setPageStatus('b.jpg', 'ground-truth');
    await service.setPageStatus('a.jpg', 'done');
    const b = await service.openPage('b.jpg');
    await service.savePage('b.jpg', b.xml, b.revision);
    const again = new LocalProjectService(dir, { cacheDir: path.join(root(), 'cache') });
    expect(await statuses(again)).toEqual({ 'a.jpg': 'done', 'b.jpg': 'ground-truth' });
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_NAME), 'utf8'));
    expect(manifest.htrStudioProject).toBe(1);
    expect(manifest.pages['b.jpg']).toMatchObject({ status: 'ground-truth' });
    expect(Date.parse(manifest.pages['b.jpg'].changed)).toBeGreaterThan(0);
  });

  it('keeps what else the manifest holds, and sets a damaged one aside instead of failing or losing it', async () => {
    const dir = makeProject();
    const file = path.join(dir, MANIFEST_NAME);
    fs.writeFileSync(file, JSON.stringify({ htrStudioProject: 1, note: 'kept', pages: { 'a.jpg': { status: 'done', reviewer: 'M.' }, 'b.jpg': { status: 'bogus' } } }));
    const service = new LocalProjectService(dir, { cacheDir: path.join(root(), 'cache') });
    expect(await statuses(service)).toEqual({ 'a.jpg': 'done', 'b.jpg': 'new' });
    await service.setPageStatus('b.jpg', 'done');
    const kept = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(kept.note).toBe('kept');
    expect(kept.pages['a.jpg']).toEqual({ status: 'done', reviewer: 'M.' });

    fs.writeFileSync(file, '{"pages": {"a.jpg": {"status": "done"'); // cut off mid-write by another program
    expect(await statuses(service)).toEqual({ 'a.jpg': 'new', 'b.jpg': 'new' });
    await service.setPageStatus('a.jpg', 'in-progress');
    expect(await statuses(service)).toEqual({ 'a.jpg': 'in-progress', 'b.jpg': 'new' });
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith(`${MANIFEST_NAME}.unreadable-`));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe('{"pages": {"a.jpg": {"status": "done"');
  });

  it('refuses an unknown page or status', async () => {
    const dir = makeProject();
    const service = new LocalProjectService(dir, { cacheDir: path.join(root(), 'cache') });
    expect(await dispatch(service, 'setPageStatus', ['nope.jpg', 'done'])).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await dispatch(service, 'setPageStatus', ['a.jpg', 'finished'])).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await dispatch(service, 'setPageStatus', ['a.jpg', 'done'])).toMatchObject({ ok: true });
    expect(await statuses(service)).toEqual({ 'a.jpg': 'done', 'b.jpg': 'new' });
  });
});
