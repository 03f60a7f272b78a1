/**
 * The editor's commands: user intents (canvas gestures, panel actions, keys) turned
 * into model ops on the store. Each names its undo label; none mutates anything.
 * Plain functions over a store (no React, no DOM): the editor and the unit tests
 * drive the same controller.
 */
import type { PageDocument, Point, RegionKind } from '../../../../electron/common/model/types.js';
import {
  addRegion, deleteElements, deletePoint, findLine, findRegion, insertPoint, mergeLines, moveLineToRegion, movePoint, newId, setLineText, setRegionOrder, setRegionType, splitLine, translate, type ShapeRef, reorderLines, setRegionSubtype,
} from '../../../../electron/common/model/ops.js';
import { allLines } from '../../../../electron/common/model/stats.js';
import { findInLines, replaceInDocument, type FindOptions } from '../../../../electron/common/transcription/find.js';
import { recordTextChanges, verifyLines } from '../../../../electron/common/model/provenance.js';
import { mergeLayout, mergeReadings } from '../../../../electron/common/model/job-results.js';
import type { LineAuthor } from '../../../../electron/common/model/provenance.js';
import { fixAll } from '../../../../electron/common/gt/gt-fixes.js';
import type { GtProblem } from '../../../../electron/common/gt/gt-checks.js';
import { addLineFromBaseline, addPolygonRegion, copySelection, pasteClip, setLineType, topmostSelected, type Clip } from '../drawing.js';
import { strings as t } from '../../i18n/strings.js';
import type { VertexRef } from './editor-state.js';
import type { EditorStore } from './editor-store.js';
import { lineText, linesInReadingOrder, moveItem, topRegionsInOrder } from '../reading.js';

export interface EditorCommands {
  select(id: string | null, additive: boolean, vertex?: VertexRef | null): void;
  dragVertex(vertex: VertexRef, to: Point, phase: 'move' | 'end'): void;
  nudgeVertex(dx: number, dy: number): void;
  insertVertex(ref: ShapeRef, index: number, at: Point): void;
  drawRegion(from: Point, to: Point, minSize: number): void;
  splitLine(lineId: string, x: number): void;
  mergeSelected(): void;
  deleteSelection(): void;
  moveRegion(from: number, to: number): void;
  commitText(lineId: string, text: string, move: -1 | 0 | 1): void;
  /** Moves a line one place up (-1) or down (1) among its region's lines, as one edit. */
  moveLineInRegion(lineId: string, step: -1 | 1): void;
  /** Replaces every hit of `query` in the page's line texts, as one edit. */
  replaceAll(query: string, replacement: string, opts: FindOptions): void;
  stepLine(step: -1 | 1): void;
  drawLine(baseline: readonly Point[]): void;
  drawPolygon(points: readonly Point[]): void;
  moveElements(ids: readonly string[], dx: number, dy: number, phase: 'move' | 'end'): void;
  setRegionType(regionId: string, kind: RegionKind, zone: string | null | undefined): void;
  setLineType(lineId: string, type: string | null): void;
  setRegionSubtype(regionId: string, type: string | null): void;
  /** Moves the selected lines (in reading order) to the end of a text region, as one edit. */
  moveLinesToRegion(regionId: string): void;
  /**
   * "Order by clicking": previews the reading order with `picked` (top-level region
   * ids, in click order) first and every other region after, in its previous order.
   */
  previewOrder(picked: readonly string[]): void;
  /** Ends "order by clicking": one undoable edit if anything was picked. */
  finishOrder(picked: readonly string[]): void;
  copy(): Clip | null;
  paste(clip: Clip): void;
  /** The checker's safe fixes, as one edit. */
  fixProblems(problems: readonly GtProblem[]): void;
  /** Ctrl+Enter: keeps `text` (the field's draft) and marks the line verified by this person, as one edit; the next line is selected. */
  verifyLine(lineId: string, text: string): void;
  /** Makes an earlier version's text the line's text again, as one edit (recorded as this person's). */
  restoreVersion(lineId: string, text: string): void;
  /** A job's result for this page: recognised text (of all or some lines) or a new layout, as one undoable edit. */
  applyResult(kind: 'recognize' | 'detect', result: PageDocument, lineIds: readonly string[] | null): void;
  undo(): void;
  redo(): void;
}

/** What the commands take from their surroundings: who edits, the clock, and the project's text form. */
export interface EditorEnvironment {
  /** The person an edit is recorded for in the line history. */
  readonly author: () => LineAuthor;
  /** ISO time stamps for the line history. */
  readonly now: () => string;
  /** Text as the project stores it (its Unicode normalisation). */
  readonly normalize: (text: string) => string;
}

export function createEditorCommands(store: EditorStore, env: EditorEnvironment): EditorCommands {
  const dispatch = store.dispatch;
  // Commands read the latest state at call time, so one set serves the editor's whole life.
  const doc = (): PageDocument => store.getState().doc;
  const rawEdit = (label: string, fn: (d: PageDocument) => PageDocument, select?: readonly string[], vertex?: VertexRef | null): void =>
    dispatch({ type: 'edit', label, edit: fn, ...(select && { select }), ...(vertex !== undefined && { vertex }) });
  // Every person's edit goes through here, so any text it changes (typing, replace, merging lines) enters the line's history.
  const edit = (label: string, fn: (d: PageDocument) => PageDocument, select?: readonly string[], vertex?: VertexRef | null): void => {
    const by = env.author();
    const at = env.now();
    rawEdit(label, (d) => recordTextChanges(d, fn(d), by, at), select, vertex);
  };
  const neighbourLine = (id: string | undefined, step: number): string | undefined => {
    const lines = linesInReadingOrder(doc());
    if (!lines.length) return undefined;
    const i = lines.findIndex((l) => l.line.id === id);
    if (i < 0) return lines[step > 0 ? 0 : lines.length - 1]!.line.id;
    return lines[Math.max(0, Math.min(lines.length - 1, i + step))]!.line.id;
  };
  return {
    select(id, additive, vertex) {
      const cur = store.getState().selection;
      if (id === null) {
        if (!additive) dispatch({ type: 'select', ids: [] });
        return;
      }
      const ids = additive ? (cur.includes(id) ? cur.filter((x) => x !== id) : [...cur, id]) : [id];
      dispatch({ type: 'select', ids, ...(vertex !== undefined && { vertex }) });
    },
    dragVertex(vertex, to, phase) {
      dispatch({ type: 'preview', edit: (d) => movePoint(d, vertex.ref, vertex.index, to) });
      if (phase === 'end') dispatch({ type: 'commit', label: vertex.ref.shape === 'baseline' ? t.editMoveBaselinePoint : t.editMovePolygonPoint });
    },
    nudgeVertex(dx, dy) {
      const v = store.getState().vertex;
      if (!v) return;
      const d = doc();
      const line = findLine(d, v.ref.id)?.line;
      const pts = v.ref.shape === 'baseline' ? line?.baseline?.points : (line ?? findRegion(d, v.ref.id))?.coords?.points;
      const p = pts?.[v.index];
      if (!p) return;
      const to = { x: Math.max(0, Math.min(d.page.imageWidth, p.x + dx)), y: Math.max(0, Math.min(d.page.imageHeight, p.y + dy)) };
      edit(v.ref.shape === 'baseline' ? t.editMoveBaselinePoint : t.editMovePolygonPoint, (x) => movePoint(x, v.ref, v.index, to));
    },
    insertVertex(shapeRef, index, at) {
      edit(t.editInsertPoint, (d) => insertPoint(d, shapeRef, index, at), [shapeRef.id], { ref: shapeRef, index });
    },
    drawRegion(from, to, minSize) {
      const x0 = Math.round(Math.min(from.x, to.x));
      const y0 = Math.round(Math.min(from.y, to.y));
      const x1 = Math.round(Math.max(from.x, to.x));
      const y1 = Math.round(Math.max(from.y, to.y));
      if (x1 - x0 < minSize || y1 - y0 < minSize) return; // a click, not a rectangle
      const id = newId(doc(), 'r');
      const points = [{ x: x0, y: y0 }, { x: x1, y: y0 }, { x: x1, y: y1 }, { x: x0, y: y1 }];
      edit(t.editDrawRegion, (d) => addRegion(d, { kind: 'TextRegion', id, coords: { points } }), [id], null);
    },
    splitLine(lineId, x) {
      const id = newId(doc(), `${lineId}_`);
      edit(t.editSplitLine, (d) => splitLine(d, lineId, x, id), [id], null);
    },
    mergeSelected() {
      const order = linesInReadingOrder(doc()).map((l) => l.line.id);
      const ids = order.filter((id) => store.getState().selection.includes(id));
      if (ids.length < 2) return dispatch({ type: 'notice', kind: 'error', text: t.mergeNeedsTwo });
      edit(t.editMergeLines, (d) => mergeLines(d, ids), [ids[0]!], null);
    },
    deleteSelection() {
      const { vertex, selection } = store.getState();
      if (vertex) edit(t.editDeletePoint, (d) => deletePoint(d, vertex.ref, vertex.index), undefined, null);
      else if (selection.length) edit(t.editDelete, (d) => deleteElements(d, selection), [], null);
    },
    moveRegion(from, to) {
      const ids = topRegionsInOrder(doc()).map((r) => r.id);
      if (to < 0 || to >= ids.length || from === to) return;
      edit(t.editReorderRegions, (d) => setRegionOrder(d, moveItem(ids, from, to)), [ids[from]!]);
    },
    commitText(lineId, typed, move) {
      const text = env.normalize(typed);
      const next = move === 0 ? lineId : (neighbourLine(lineId, move) ?? lineId);
      const hit = findLine(doc(), lineId);
      if (hit && lineText(hit.line) !== text) {
        // Tags (abbreviation, unclear, person…) whose characters the edit removes are gone: say which
        // (found on the document before the edit: the store applies an edit at once).
        const dropped: string[] = [];
        setLineText(doc(), lineId, text, undefined, dropped);
        // Unchanged text returns the same document, which history does not record.
        edit(t.editText, (d) => (lineText(findLine(d, lineId)?.line ?? hit.line) === text ? d : setLineText(d, lineId, text)), move === 0 ? undefined : [next], null);
        if (dropped.length) dispatch({ type: 'notice', kind: 'info', text: t.tagsDropped(dropped.map((d) => d.split(/\s*\{/)[0]!)) });
      } else if (move !== 0) dispatch({ type: 'select', ids: [next] });
    },
    moveLineInRegion(lineId, step) {
      const hit = findLine(doc(), lineId);
      if (!hit) return;
      const ids = hit.region.lines.map((l) => l.id);
      const from = ids.indexOf(lineId);
      if (from + step < 0 || from + step >= ids.length) return;
      edit(t.editReorderLines, (d) => reorderLines(d, hit.region.id, moveItem(ids, from, from + step)), [lineId]);
    },
    replaceAll(query, typedReplacement, opts) {
      const replacement = env.normalize(typedReplacement);
      const apply = (d: PageDocument): PageDocument => replaceInDocument(d, query, replacement, opts).doc;
      const hits = findInLines(allLines(doc().page.regions), query, opts);
      if (hits instanceof Error || !hits.length) return;
      edit(t.editReplaceAll(hits.length), apply);
    },
    stepLine(step) {
      const next = neighbourLine(store.getState().selection[0], step);
      if (next) dispatch({ type: 'select', ids: [next] });
    },
    drawLine(baseline) {
      const base = doc();
      const r = addLineFromBaseline(base, baseline);
      edit(t.editDrawLine, (d) => (d === base ? r.doc : addLineFromBaseline(d, baseline).doc), [r.lineId], null);
    },
    drawPolygon(points) {
      const base = doc();
      const r = addPolygonRegion(base, points);
      edit(t.editDrawRegion, (d) => (d === base ? r.doc : addPolygonRegion(d, points).doc), [r.regionId], null);
    },
    moveElements(ids, dx, dy, phase) {
      const start = store.getState().gestureStart ?? doc();
      const top = topmostSelected(start, ids);
      if (phase === 'end' && dx === 0 && dy === 0) return dispatch({ type: 'cancel' });
      dispatch({ type: 'preview', edit: (d) => translate(d, top, dx, dy) });
      if (phase === 'end') {
        const label = top.length === 1 ? (findLine(start, top[0]!) ? t.editMoveLine : t.editMoveRegion) : t.editMove;
        dispatch({ type: 'commit', label });
      }
    },
    setRegionSubtype(regionId, type) {
      edit(t.editRegionType, (d) => setRegionSubtype(d, regionId, type));
    },
    setRegionType(regionId, kind, zone) {
      edit(t.editRegionType, (d) => setRegionType(d, regionId, kind, zone));
    },
    setLineType(lineId, type) {
      edit(t.editLineType, (d) => setLineType(d, lineId, type));
    },
    moveLinesToRegion(regionId) {
      const sel = store.getState().selection;
      const ids = linesInReadingOrder(doc()).map((l) => l.line.id).filter((id) => sel.includes(id));
      if (!ids.length) return dispatch({ type: 'notice', kind: 'error', text: t.moveNeedsLines });
      edit(t.editMoveToRegion, (d) => ids.reduce((acc, id) => moveLineToRegion(acc, id, regionId), d), ids, null);
    },
    previewOrder(picked) {
      dispatch({ type: 'preview', edit: (d) => setRegionOrder(d, [...picked, ...topRegionsInOrder(d).map((r) => r.id).filter((id) => !picked.includes(id))]) });
    },
    finishOrder(picked) {
      if (picked.length && store.getState().gestureStart) dispatch({ type: 'commit', label: t.editOrderByClicking });
      else {
        dispatch({ type: 'cancel' });
        dispatch({ type: 'notice', kind: 'info', text: t.orderUnchanged });
      }
    },
    copy() {
      return copySelection(doc(), store.getState().selection);
    },
    paste(clip) {
      const base = doc();
      const target = store.getState().selection.find((id) => findRegion(base, id)) ?? null;
      // Offset so the copy is visible beside its original: about a line's height.
      const offset = Math.max(10, Math.round(base.page.imageHeight / 100));
      const r = pasteClip(base, clip, offset, target);
      edit(t.editPaste, (d) => (d === base ? r.doc : pasteClip(d, clip, offset, target).doc), r.ids, null);
    },
    fixProblems(problems) {
      if (problems.length) edit(t.editFixProblems(problems.length), (d) => fixAll(d, problems));
    },
    verifyLine(lineId, typed) {
      const text = env.normalize(typed);
      const next = neighbourLine(lineId, 1) ?? lineId;
      const by = env.author();
      const at = env.now();
      rawEdit(t.editVerify, (d) => {
        const hit = findLine(d, lineId);
        if (!hit) return d;
        const typed = lineText(hit.line) === text ? d : recordTextChanges(d, setLineText(d, lineId, text), by, at);
        return verifyLines(typed, [lineId], by, at);
      }, [next], null);
    },
    restoreVersion(lineId, text) {
      edit(t.editRestoreVersion, (d) => (findLine(d, lineId) ? setLineText(d, lineId, text) : d), [lineId], null);
    },
    applyResult(kind, result, lineIds) {
      if (kind === 'detect') {
        const label = t.editDetectLayout;
        rawEdit(label, (d) => mergeLayout(d, result), []);
        return;
      }
      // Only text and confidence: geometry edited while the job ran stays as it is now.
      const keep = lineIds ? new Set(lineIds) : null;
      const at = env.now();
      rawEdit(lineIds ? t.editRecognizeLines : t.editRecognizePage, (d) => mergeReadings(d, result, { lineIds: keep, fallback: { kind: 'unknown' }, at }));
    },
    undo: () => dispatch({ type: 'undo' }),
    redo: () => dispatch({ type: 'redo' }),
  };
}

