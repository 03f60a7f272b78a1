import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { YoloDetector } from '../../electron/node/layout/yolo.js';
import { parseOnnxMetadata, parsePythonNames, parseImgsz } from '../../electron/node/onnx/onnx-metadata.js';
import { letterbox } from '../../electron/common/layout/letterbox.js';
import { readZoomSettings, zoomFactor, zoomedSide, ZOOM_MIN_LINES } from '../../electron/common/layout/zoom.js';
import { traceLargestContour, simplifyPolygon } from '../../electron/common/layout/mask-contour.js';
import { bbox } from '../../electron/common/model/points.js';
import type { ModelManifest } from '../../electron/common/model-manifest/manifest.js';
import { runMain } from '../helpers/cli-in-process.js';
import { REPO } from '../helpers/corpus.js';

const MODELS = path.join(REPO, 'tests/fixtures/models');
const manifest = (file: string, layout: Record<string, unknown> = {}): ModelManifest => ({ id: file.replace('.onnx', ''), name: 'fixture', family: 'yolo', task: 'layout', licence: 'CC0-1.0', file, layout });
let page = '';
let square = '';

beforeAll(async () => {
  // A 640×320 page: letterboxed into 64×64 at scale 0.1 with 16 px of grey above and below.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-yolo-'));
  page = path.join(dir, 'page.png');
  await sharp({ create: { width: 640, height: 320, channels: 3, background: { r: 250, g: 245, b: 230 } } }).png().toFile(page);
  // A 640×640 page: no padding at any input size.
  square = path.join(dir, 'square.png');
  await sharp({ create: { width: 640, height: 640, channels: 3, background: { r: 250, g: 245, b: 230 } } }).png().toFile(square);
});

const boxOf = (pts: readonly { x: number; y: number }[]): number[] => {
  const b = bbox(pts)!;
  return [b.minX, b.minY, b.maxX, b.maxY].map((v) => Math.round(v));
};

describe('YOLO runner on models with known outputs', () => {
  it('detect head: threshold, class-aware NMS, letterbox undone into page pixels, names from ONNX metadata', async () => {
    const det = await YoloDetector.load(manifest('yolo-detect.onnx'), MODELS);
    expect(det.names).toEqual(['MainZone', 'DefaultLine', 'MarginTextZone']);
    const r = await det.detect(page);
    expect([r.width, r.height]).toEqual([640, 320]);
    expect(r.regions.map((d) => [d.label, d.conf, boxOf(d.polygon)])).toEqual([
      ['MainZone', 0.9, [120, 60, 520, 260]],
      ['MarginTextZone', 0.85, [120, 60, 520, 260]],
    ]);
    expect(r.lines.map((d) => [d.label, d.conf, boxOf(d.polygon)])).toEqual([
      ['DefaultLine', 0.95, [50, 100, 350, 140]],
      ['DefaultLine', 0.6, [150, 220, 450, 260]],
    ]);
    await det.dispose();
  });

  it('thresholds come from the manifest', async () => {
    const det = await YoloDetector.load(manifest('yolo-detect.onnx', { conf: 0.7 }), MODELS);
    const r = await det.detect(page);
    expect(r.lines.map((d) => d.conf)).toEqual([0.95]);
    expect(r.regions.map((d) => d.conf)).toEqual([0.9, 0.85]);
  });

  it('end-to-end export: boxes used as given, low scores dropped', async () => {
    const det = await YoloDetector.load(manifest('yolo-e2e.onnx'), MODELS);
    const r = await det.detect(page);
    expect(r.regions.map((d) => [d.label, boxOf(d.polygon)])).toEqual([['MainZone', [120, 60, 520, 260]]]);
    expect(r.lines.map((d) => [d.label, boxOf(d.polygon)])).toEqual([['DefaultLine', [50, 100, 350, 140]]]);
  });

  it('segment head: masks become polygons in page pixels', async () => {
    const det = await YoloDetector.load(manifest('yolo-seg.onnx'), MODELS);
    const r = await det.detect(page);
    const main = r.regions.find((d) => d.label === 'MainZone')!;
    // Prototype blob: proto cells x 4..11, y 6..9 → input 16..48 × 24..40 → page 160..480 × 80..240.
    expect(boxOf(main.polygon)).toEqual([160, 80, 480, 240]);
    expect(main.polygon.length).toBe(4);
  });

  it('a model without class names, or with an output that does not fit them, is a clear error', async () => {
    await expect(YoloDetector.load(manifest('yolo-no-names.onnx'), MODELS)).rejects.toThrow(/no class names/);
    // With names from the manifest it loads.
    await expect(YoloDetector.load(manifest('yolo-no-names.onnx', { names: ['MainZone', 'DefaultLine', 'MarginTextZone'] }), MODELS)).resolves.toBeInstanceOf(YoloDetector);
    await expect(YoloDetector.load(manifest('yolo-bad-shape.onnx'), MODELS)).rejects.toThrow(/output0 has shape \[1, 5, 8\].*3 classes/);
    const corrupt = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'htr-bad-')), 'model.onnx');
    fs.writeFileSync(corrupt, Buffer.from('this is not a protobuf at all, just text'));
    await expect(YoloDetector.load(manifest('model.onnx'), path.dirname(corrupt))).rejects.toThrow(/not a readable ONNX file/);
  });
});

describe('zoom for small writing', () => {
  // yolo-free-size.onnx: free input size, ten lines 4 input pixels tall at (x 17–47, y 4+6i – 8+6i) whatever the size.
  const lineBoxes = (r: { lines: readonly { polygon: readonly { x: number; y: number }[] }[] }): number[][] => r.lines.map((d) => boxOf(d.polygon));

  it('runs a page whose lines are shorter than the model reads best again, larger, and keeps that answer', async () => {
    const plain = await YoloDetector.load(manifest('yolo-free-size.onnx'), MODELS);
    const once = await plain.detect(square);
    // 640 px into 64: scale 0.1.
    expect(once.zoom).toBeUndefined();
    expect(lineBoxes(once)[0]).toEqual([170, 40, 470, 80]);
    await plain.dispose();

    const det = await YoloDetector.load(manifest('yolo-free-size.onnx', { zoom: { lineHeight: 8, max: 3, min: 1.2 } }), MODELS);
    const r = await det.detect(square);
    // Lines 4 px tall against the 8 it reads best: twice the size, 128 px, scale 0.2.
    expect(r.zoom).toBe(2);
    expect(lineBoxes(r)).toHaveLength(10);
    expect(lineBoxes(r)[0]).toEqual([85, 20, 235, 40]);
    expect(lineBoxes(r)[9]).toEqual([85, 290, 235, 310]);
    await det.dispose();

    // Capped at max; no second pass below min.
    const capped = await YoloDetector.load(manifest('yolo-free-size.onnx', { zoom: { lineHeight: 16, max: 1.5, min: 1.2 } }), MODELS);
    const c = await capped.detect(square);
    expect(c.zoom).toBe(1.5);
    expect(lineBoxes(c)[0]).toEqual([170 / 1.5, 40 / 1.5, 470 / 1.5, 80 / 1.5].map(Math.round));
    await capped.dispose();
    const tall = await YoloDetector.load(manifest('yolo-free-size.onnx', { zoom: { lineHeight: 4.4, max: 2, min: 1.2 } }), MODELS);
    expect((await tall.detect(square)).zoom).toBeUndefined();
    await tall.dispose();
  });

  it('segment --json reports the zoom a page was run at, and none where it was not', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-zoom-'));
    const modelDir = (name: string, layout: Record<string, unknown>): string => {
      const d = path.join(dir, name);
      fs.mkdirSync(d);
      fs.copyFileSync(path.join(MODELS, 'yolo-free-size.onnx'), path.join(d, 'yolo-free-size.onnx'));
      fs.writeFileSync(path.join(d, 'model.json'), JSON.stringify({ ...manifest('yolo-free-size.onnx', layout), id: name }));
      return d;
    };
    const run = async (model: string): Promise<Record<string, unknown>> => {
      const r = await runMain('segment', square, '-o', path.join(dir, `out-${path.basename(model)}`), '--model', model, '--json', '-q');
      expect(r.code, r.err.join('\n')).toBe(0);
      return JSON.parse(r.out.join('\n')).results[0];
    };
    try {
      expect(await run(modelDir('zoomed', { zoom: { lineHeight: 8, max: 3, min: 1.2 } }))).toMatchObject({ zoom: 2, lines: 10 });
      expect(await run(modelDir('plain', {}))).not.toHaveProperty('zoom');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a zoom setting on a model of fixed input size, or a malformed one, is a clear error at load', async () => {
    await expect(YoloDetector.load(manifest('yolo-detect.onnx', { zoom: { lineHeight: 30, max: 2, min: 1.2 } }), MODELS)).rejects.toThrow(/layout.zoom needs an ONNX whose input height and width are free/);
    await expect(YoloDetector.load(manifest('yolo-free-size.onnx', { zoom: { lineHeight: 30 } }), MODELS)).rejects.toThrow(/layout.zoom.max must be/);
    await expect(YoloDetector.load(manifest('yolo-free-size.onnx', { zoom: 2 }), MODELS)).rejects.toThrow(/layout.zoom must be an object/);
  });

  it('the factor: the median line against the height the model reads best, from min to max, none from too few lines', () => {
    const z = { lineHeight: 30, max: 2, min: 1.2 };
    const many = (h: number, n = ZOOM_MIN_LINES): number[] => Array.from({ length: n }, () => h);
    expect(zoomFactor(many(20), z)).toBe(1.5);
    expect(zoomFactor(many(10), z)).toBe(2);
    expect(zoomFactor(many(26), z)).toBe(1); // 1.15: not worth a second pass
    expect(zoomFactor(many(40), z)).toBe(1);
    expect(zoomFactor(many(10, ZOOM_MIN_LINES - 1), z)).toBe(1);
    // The median, not the mean: a few tall boxes (zones, a heading) do not hide small writing.
    expect(zoomFactor([...many(15), 200, 300, 400], z)).toBe(2);
    expect(zoomedSide(1024, 1.71)).toBe(1760);
    expect(zoomedSide(1024, 1)).toBe(1024);
    expect(readZoomSettings(undefined)).toBeUndefined();
    expect(readZoomSettings({ lineHeight: 30, max: 2 })).toEqual({ lineHeight: 30, max: 2, min: 1.2 });
    expect(readZoomSettings({ lineHeight: 30, max: 2, min: 3 })).toMatch(/min must be/);
    expect(readZoomSettings({ lineHeight: -1, max: 2 })).toMatch(/lineHeight must be/);
  });
});

describe('ONNX metadata and Ultralytics conventions', () => {
  it('reads metadata_props from the protobuf', () => {
    const meta = parseOnnxMetadata(fs.readFileSync(path.join(MODELS, 'yolo-detect.onnx')));
    expect(meta).toMatchObject({ names: "{0: 'MainZone', 1: 'DefaultLine', 2: 'MarginTextZone'}", imgsz: '[64, 64]', task: 'detect' });
  });

  it('parses Python dict names and imgsz', () => {
    expect(parsePythonNames(`{0: 'a', 1: "b'c", 2: 'd\\'e'}`)).toEqual(['a', "b'c", "d'e"]);
    expect(parsePythonNames('{0: "a", 2: "c"}')).toBeUndefined();
    expect(parseImgsz('[1024, 768]')).toEqual([1024, 768]);
    expect(parseImgsz('640')).toEqual([640, 640]);
  });

  it('letterboxes like Ultralytics', () => {
    expect(letterbox(640, 320, 64, 64)).toMatchObject({ scale: 0.1, padX: 0, padY: 16, innerW: 64, innerH: 32 });
    expect(letterbox(1000, 3000, 640, 640)).toMatchObject({ innerW: 213, innerH: 640, padX: 213, padY: 0 });
  });

  it('traces mask contours and simplifies them', () => {
    // An L shape: 3×1 bar plus one cell below its left end.
    const w = 5, h = 4;
    const m = new Uint8Array(w * h);
    for (const [x, y] of [[1, 1], [2, 1], [3, 1], [1, 2]]) m[y! * w + x!] = 1;
    expect(traceLargestContour(m, w, h)).toEqual([{ x: 1, y: 1 }, { x: 4, y: 1 }, { x: 4, y: 2 }, { x: 2, y: 2 }, { x: 2, y: 3 }, { x: 1, y: 3 }]);
    const noisy = [{ x: 0, y: 0 }, { x: 5, y: 0.2 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 5, y: 9.9 }, { x: 0, y: 10 }];
    expect(simplifyPolygon(noisy, 0.5)).toEqual([{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 10 }]);
  });
});
