/**
 * The editor's plain controller (renderer/src/editor/core): the store, the
 * commands, the key routing and the saver, driven on a real page (the TIME US
 * page, eScriptorium PAGE 2019, 48 lines transcribed by people) without React
 * or a browser — the same code the editor runs.
 */
import { describe, expect, it } from 'vitest';
import { readDocument, writeDocument } from '../../electron/common/formats/document-io.js';
import { findLine } from '../../electron/common/model/ops.js';
import { lineStatus, lineVersions } from '../../electron/common/model/provenance.js';
import { lineText } from '../../electron/common/model/stats.js';
import { ApiError } from '../../electron/common/api/errors.js';
import type { PageDocument } from '../../electron/common/model/types.js';
import { createEditorStore } from '../../renderer/src/editor/core/editor-store.js';
import { createEditorCommands, type EditorEnvironment } from '../../renderer/src/editor/core/editor-commands.js';
import { routeKey } from '../../renderer/src/editor/core/editor-keys.js';
import { PageSaver } from '../../renderer/src/editor/core/page-saver.js';
import { linesInReadingOrder } from '../../renderer/src/editor/reading.js';
import { TIMEUS_XML } from '../helpers/timeus-project.js';

const env: EditorEnvironment = { author: () => ({ kind: 'person', name: 'Ada' }), now: () => '2026-12-04T10:00:00.000Z', normalize: (s) => s.normalize('NFC') };

function open(): { store: ReturnType<typeof createEditorStore>; cmd: ReturnType<typeof createEditorCommands>; doc: PageDocument; order: string[] } {
  const doc = readDocument(TIMEUS_XML).doc;
  const store = createEditorStore(doc);
  return { store, cmd: createEditorCommands(store, env), doc, order: linesInReadingOrder(doc).map((l) => l.line.id) };
}

const textOf = (doc: PageDocument, id: string): string => lineText(findLine(doc, id)!.line);

describe('editor controller: commands on the store', () => {
  it('a text edit is one undo step, recorded in the line history as the person, and moves on in reading order', () => {
    const { store, cmd, doc, order } = open();
    const [first, second] = order as [string, string];
    const before = textOf(doc, first);
    let renders = 0;
    store.subscribe(() => renders++);
    cmd.commitText(first, `${before} corrigé`, 1);
    const s = store.getState();
    expect(textOf(s.doc, first)).toBe(`${before} corrigé`);
    expect(s.selection).toEqual([second]);
    expect(s.doc).not.toBe(s.saved);
    expect(renders).toBe(1);
    const versions = lineVersions(findLine(s.doc, first)!.line);
    expect(versions.at(-1)).toMatchObject({ text: `${before} corrigé`, by: { kind: 'person', name: 'Ada' }, at: '2026-12-04T10:00:00.000Z' });
    expect(lineStatus(findLine(s.doc, first)!.line)).toBe('corrected');
    // The same text again changes nothing and records nothing.
    cmd.commitText(first, `${before} corrigé`, 0);
    expect(store.getState().history.done).toHaveLength(1);
    cmd.undo();
    expect(textOf(store.getState().doc, first)).toBe(before);
    expect(store.getState().doc).toBe(doc);
    cmd.redo();
    expect(textOf(store.getState().doc, first)).toBe(`${before} corrigé`);
  });

  it("stores the project's normalisation: decomposed input is kept composed", () => {
    const { store, cmd, order } = open();
    cmd.commitText(order[0]!, 'pre\u0301fet', 0);
    expect(textOf(store.getState().doc, order[0]!)).toBe('pr\u00e9fet');
  });

  it('a drag previews many documents and records one undo step when it ends', () => {
    const { store, cmd, doc, order } = open();
    const id = order[3]!;
    cmd.select(id, false);
    for (const dx of [2, 5, 9]) cmd.moveElements([id], dx, 1, 'move');
    expect(store.getState().gestureStart).toBe(doc);
    expect(store.getState().history.done).toHaveLength(0);
    cmd.moveElements([id], 9, 1, 'end');
    const moved = findLine(store.getState().doc, id)!.line.baseline!.points[0]!;
    const was = findLine(doc, id)!.line.baseline!.points[0]!;
    expect([moved.x - was.x, moved.y - was.y]).toEqual([9, 1]);
    expect(store.getState().history.done).toHaveLength(1);
    cmd.undo();
    expect(store.getState().doc).toBe(doc);
  });

  it('merging needs two lines (a notice, no edit); two selected lines become one, in reading order', () => {
    const { store, cmd, order } = open();
    const [a, b] = order as [string, string];
    cmd.select(a, false);
    cmd.mergeSelected();
    expect(store.getState().notice).toMatchObject({ kind: 'error' });
    expect(store.getState().history.done).toHaveLength(0);
    const expected = `${textOf(store.getState().doc, a)} ${textOf(store.getState().doc, b)}`;
    cmd.select(b, true);
    cmd.mergeSelected();
    const s = store.getState();
    expect(findLine(s.doc, b)).toBeUndefined();
    expect(textOf(s.doc, a)).toBe(expected);
    expect(s.selection).toEqual([a]);
  });

  it('Ctrl+Enter keeps the draft, marks the line verified by the person and goes to the next line', () => {
    const { store, cmd, order } = open();
    cmd.verifyLine(order[5]!, 'texte vérifié');
    const s = store.getState();
    const line = findLine(s.doc, order[5]!)!.line;
    expect(lineText(line)).toBe('texte vérifié');
    expect(lineStatus(line)).toBe('verified');
    expect(s.selection).toEqual([order[6]]);
  });

  it("a recognition result replaces the text of the lines it names only, as one undo step", () => {
    const { store, cmd, doc, order } = open();
    const [a, b] = order as [string, string];
    const result = readDocument(TIMEUS_XML).doc;
    const read = readDocument(writeDocument(result).xml.replace(/<Unicode>[^<]*<\/Unicode>/g, '<Unicode>lu par le modèle</Unicode>')).doc;
    cmd.applyResult('recognize', read, [b]);
    const s = store.getState();
    expect(textOf(s.doc, b)).toBe('lu par le modèle');
    expect(textOf(s.doc, a)).toBe(textOf(doc, a));
    expect(s.history.done).toHaveLength(1);
    cmd.undo();
    expect(store.getState().doc).toBe(doc);
  });

  it('stepping through lines follows the reading order and stops at the ends', () => {
    const { store, cmd, order } = open();
    cmd.stepLine(1);
    expect(store.getState().selection).toEqual([order[0]]);
    cmd.stepLine(-1);
    expect(store.getState().selection).toEqual([order[0]]);
    cmd.select(order.at(-1)!, false);
    cmd.stepLine(1);
    expect(store.getState().selection).toEqual([order.at(-1)]);
  });
});

describe('editor controller: keys', () => {
  const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
  const page = { inText: false, desktop: false, tool: 'select' as const };
  const field = { ...page, inText: true };

  it('single-key shortcuts never fire in a text field, and never type into one', () => {
    expect(routeKey(key('0'), page)).toEqual({ kind: 'command', id: 'zoom-fit' });
    expect(routeKey(key('0'), field)).toEqual({ kind: 'pass' });
    expect(routeKey(key('M'), field)).toEqual({ kind: 'pass' });
    // F8 types nothing: it works in the line's text too.
    expect(routeKey(key('F8'), field)).toEqual({ kind: 'command', id: 'next-uncertain' });
    expect(routeKey(key('F8', { shiftKey: true }), field)).toEqual({ kind: 'command', id: 'previous-uncertain' });
  });

  it("undo in a text field is the field's; the desktop menu owns the accelerators", () => {
    expect(routeKey(key('z', { ctrlKey: true }), page)).toEqual({ kind: 'command', id: 'undo' });
    expect(routeKey(key('z', { ctrlKey: true }), field)).toEqual({ kind: 'pass' });
    expect(routeKey(key('s', { ctrlKey: true }), field)).toEqual({ kind: 'command', id: 'save' });
    expect(routeKey(key('s', { ctrlKey: true }), { ...page, desktop: true })).toEqual({ kind: 'pass' });
  });

  it('Esc leaves a tool or clears the selection; Enter and Esc end ordering by clicking', () => {
    expect(routeKey(key('Escape'), page)).toEqual({ kind: 'escape' });
    expect(routeKey(key('Escape'), field)).toEqual({ kind: 'pass' });
    expect(routeKey(key('Enter'), { ...page, tool: 'order' })).toEqual({ kind: 'end-order' });
    expect(routeKey(key('Escape'), { ...page, tool: 'order' })).toEqual({ kind: 'end-order' });
    expect(routeKey(key('Enter'), page)).toEqual({ kind: 'pass' });
  });
});

describe('editor controller: saving', () => {
  /** A service whose saves wait until released, recording what was written and whether two overlapped. */
  function slowService(fail?: Error) {
    const writes: string[] = [];
    let active = 0;
    let overlapped = false;
    const pending: (() => void)[] = [];
    return {
      writes,
      overlapped: () => overlapped,
      release: () => pending.splice(0).forEach((f) => f()),
      savePage: async (_id: string, xml: string) => {
        active++;
        overlapped ||= active > 1;
        await new Promise<void>((r) => pending.push(r));
        active--;
        if (fail) throw fail;
        writes.push(xml);
        return { revision: `r${writes.length}`, xmlPath: 'page/p.xml' };
      },
    };
  }
  const hooks = (over: Partial<ConstructorParameters<typeof PageSaver>[4]> = {}) => ({ blocked: () => false, refused: async () => undefined, onBusy: () => undefined, onError: () => undefined, onSaved: () => undefined, ...over });
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it('writes one save at a time, always the newest document, and marks it saved', async () => {
    const { store, cmd, order } = open();
    const svc = slowService();
    const saver = new PageSaver(store, svc, 'p', { current: 'r0' }, hooks());
    cmd.commitText(order[0]!, 'un', 0);
    const first = saver.save('manual');
    await tick();
    cmd.commitText(order[0]!, 'deux', 0);
    const second = saver.save('auto');
    await tick();
    expect(svc.writes).toHaveLength(0);
    svc.release();
    await tick();
    svc.release();
    expect(await first).toBe(true);
    expect(await second).toBe(true);
    expect(svc.overlapped()).toBe(false);
    expect(svc.writes).toHaveLength(2);
    expect(svc.writes[1]).toContain('deux');
    expect(store.getState().saved).toBe(store.getState().doc);
    expect(saver.revision.current).toBe('r2');
  });

  it('autosave writes nothing while a drag is in progress, or when nothing changed', async () => {
    const { store, cmd, order } = open();
    const svc = slowService();
    const saver = new PageSaver(store, svc, 'p', { current: null }, hooks());
    expect(await saver.save('auto')).toBe(true);
    cmd.moveElements([order[0]!], 4, 0, 'move');
    expect(await saver.save('auto')).toBe(false);
    expect(svc.writes).toHaveLength(0);
  });

  it('a refused save (saved elsewhere) keeps the edits unsaved and hands both versions to the conflict resolution', async () => {
    const { store, cmd, doc, order } = open();
    const svc = slowService(new ApiError('conflict', 'saved elsewhere'));
    const refused: [PageDocument, PageDocument][] = [];
    const errors: (string | null)[] = [];
    const saver = new PageSaver(store, svc, 'p', { current: 'r0' }, hooks({ refused: async (b, o) => void refused.push([b, o]), onError: (m) => errors.push(m) }));
    cmd.commitText(order[0]!, 'mien', 0);
    const mine = store.getState().doc;
    const run = saver.save('manual');
    await tick();
    svc.release();
    expect(await run).toBe(false);
    expect(refused).toEqual([[doc, mine]]);
    expect(errors).toEqual(['saved elsewhere']);
    expect(store.getState().saved).toBe(doc);
    expect(store.getState().doc).toBe(mine);
    expect(saver.revision.current).toBe('r0');
  });

  it('writes nothing while a conflict waits for the person', async () => {
    const { store, cmd, order } = open();
    const svc = slowService();
    const saver = new PageSaver(store, svc, 'p', { current: null }, hooks({ blocked: () => true }));
    cmd.commitText(order[0]!, 'x', 0);
    expect(await saver.save('manual')).toBe(false);
    expect(svc.writes).toHaveLength(0);
  });
});
