/**
 * The manifest (`model.json`) beside every `model.onnx`: what the model is and
 * exactly how to feed it. Line cutting, normalisation and decoding are driven by
 * it, never hard-coded, so models of several families run side by side.
 * The JSON schema is docs/model-manifest.schema.json; keep the two in step.
 */

export type ModelTask = 'recognition' | 'layout';
export type ModelFamily = 'crnn-ctc' | 'kraken' | 'pylaia' | 'paddleocr' | 'loghi' | 'yolo' | 'db' | 'tesseract' | 'other';

export interface ContrastStretch {
  /** Percentiles (0–100) of the line's grey levels mapped to black and white. */
  readonly low: number;
  readonly high: number;
  /** Lines whose range is narrower than this are left alone (blank lines). */
  readonly minRange?: number;
}

export interface RecognitionInput {
  /** Line height the model was trained at, in pixels. */
  readonly height: number;
  /** 1 = grey, 3 = RGB (BGR when `bgr`). */
  readonly channels: 1 | 3;
  readonly bgr?: boolean;
  /** Dark ink on light paper becomes light on dark (kraken, PyLaia). */
  readonly invert: boolean;
  /** pixel' = (pixel * scale - mean) / std, per channel or one value for all. */
  readonly normalize: { readonly scale: number; readonly mean: number | readonly number[]; readonly std: number | readonly number[] };
  /** Value (0–255, before normalisation and inversion) used to pad lines in a batch and at the ends. */
  readonly padValue: number;
  /** Horizontal padding added on each side, in pixels at model height. */
  readonly padding?: number;
  /** Narrowest input the network accepts; shorter lines are padded. */
  readonly minWidth?: number;
  /** Width must be a multiple of this (some exports), padding added. */
  readonly widthMultiple?: number;
  /** Fixed width models (e.g. PP-OCR exported without dynamic axes). */
  readonly fixedWidth?: number;
  /** How lines were cut for training: straightened along the baseline or not (default dewarp). */
  readonly straighten?: 'none' | 'dewarp';
  /**
   * Grey levels stretched per line before scaling: true = 2nd–98th percentile of
   * the pixels inside the polygon to 0–255; or the percentiles to use (default true).
   */
  readonly contrast?: boolean | ContrastStretch;
}

export interface RecognitionOutput {
  /** Axis order of the output tensor: time-batch-classes or batch-time-classes. */
  readonly layout: 'TBC' | 'BTC';
  /** true when the model already applies (log-)softmax. */
  readonly logSoftmax?: boolean;
  readonly softmax?: boolean;
  /** How many input columns one output frame covers; for glyph positions. */
  readonly downsample?: number;
}

/**
 * How beam search decodes this model's output when a beam is asked for: with a
 * character language model (a file beside model.json) and its weights.
 */
export interface DecoderSettings {
  /** File name of the language model, in the model's folder (no path). */
  readonly lm: string;
  /** Exponent of P_lm (0 = no effect). */
  readonly weight: number;
  /** Log-score added per symbol, offsetting the model's preference for short output. */
  readonly bonus: number;
  /** The beam width `recognize` uses with this model when none is given (0: greedy unless asked). */
  readonly beam?: number;
}

export interface ModelManifest {
  readonly id: string;
  readonly name: string;
  readonly version?: string;
  readonly family: ModelFamily;
  readonly task: ModelTask;
  readonly description?: string;
  /** File of the ONNX model, relative to the manifest; default model.onnx. */
  readonly file?: string;
  readonly input?: RecognitionInput;
  readonly output?: RecognitionOutput;
  /** Class i+1 (or i when blank is last) is charset[i]; or a file with one symbol per line. */
  readonly charset?: readonly string[];
  readonly charsetFile?: string;
  readonly blank?: number;
  /** Layout models: class names, thresholds, image size; see the layout engine. */
  readonly layout?: Readonly<Record<string, unknown>>;
  readonly languages?: readonly string[];
  readonly licence: string;
  readonly citation?: string;
  readonly attribution?: readonly string[];
  readonly decoder?: DecoderSettings;
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

type Json = unknown;

function isObj(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks a parsed model.json and returns it typed. A wrong or missing field is an
 * error that names the field, so a user fixing a manifest knows where to look.
 */
export function validateManifest(raw: Json, where = 'model.json'): ModelManifest {
  const errs: string[] = [];
  const req = (o: Record<string, Json>, k: string, type: 'string' | 'number' | 'boolean' | 'object' | 'array', path: string): void => {
    const v = o[k];
    if (v === undefined) return void errs.push(`${path}${k} is missing`);
    if (type === 'array' ? !Array.isArray(v) : type === 'object' ? !isObj(v) : typeof v !== type) errs.push(`${path}${k} must be ${type === 'array' ? 'an array' : `a ${type}`}`);
  };
  const opt = (o: Record<string, Json>, k: string, type: 'string' | 'number' | 'boolean' | 'array', path: string): void => {
    if (o[k] !== undefined) req(o, k, type, path);
  };
  if (!isObj(raw)) throw new ManifestError(`${where}: not a JSON object`);
  for (const k of ['id', 'name', 'family', 'task', 'licence']) req(raw, k, 'string', '');
  if (typeof raw.id === 'string' && !/^[a-z0-9][a-z0-9._-]*$/i.test(raw.id)) errs.push('id must be letters, digits, ".", "_" or "-"');
  if (raw.task !== undefined && raw.task !== 'recognition' && raw.task !== 'layout') errs.push('task must be "recognition" or "layout"');
  opt(raw, 'file', 'string', '');
  // Files a manifest names stay in its folder: a plain file name, never a path.
  const plainName = /^[\w][\w.-]*$/;
  if (typeof raw.file === 'string' && (!plainName.test(raw.file) || raw.file.includes('..'))) errs.push('file must be a file name in the model folder (no path)');
  if (typeof raw.charsetFile === 'string' && (!plainName.test(raw.charsetFile) || raw.charsetFile.includes('..'))) errs.push('charsetFile must be a file name in the model folder (no path)');
  if (raw.task === 'recognition') {
    req(raw, 'input', 'object', '');
    req(raw, 'output', 'object', '');
    if (isObj(raw.input)) {
      const i = raw.input;
      req(i, 'height', 'number', 'input.');
      if (typeof i.height === 'number' && (!Number.isInteger(i.height) || i.height < 8 || i.height > 512)) errs.push('input.height must be an integer from 8 to 512');
      req(i, 'channels', 'number', 'input.');
      if (i.channels !== undefined && i.channels !== 1 && i.channels !== 3) errs.push('input.channels must be 1 or 3');
      req(i, 'invert', 'boolean', 'input.');
      req(i, 'normalize', 'object', 'input.');
      if (isObj(i.normalize)) {
        req(i.normalize, 'scale', 'number', 'input.normalize.');
        if (typeof i.normalize.scale === 'number' && !(Number.isFinite(i.normalize.scale) && i.normalize.scale > 0)) errs.push('input.normalize.scale must be above 0');
        for (const k of ['mean', 'std']) {
          const v = i.normalize[k];
          const xs = typeof v === 'number' ? [v] : Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null;
          if (!xs || !xs.length) errs.push(`input.normalize.${k} must be a number or an array of numbers`);
          // std divides every pixel: 0 (or less) reads garbage.
          else if (!xs.every((x) => Number.isFinite(x) && (k === 'mean' || x > 0))) errs.push(k === 'std' ? 'input.normalize.std must be above 0' : 'input.normalize.mean must be finite');
        }
      }
      req(i, 'padValue', 'number', 'input.');
      for (const k of ['padding', 'minWidth', 'widthMultiple', 'fixedWidth']) opt(i, k, 'number', 'input.');
      for (const [k, min] of [['padding', 0], ['minWidth', 1], ['widthMultiple', 1], ['fixedWidth', 1]] as const) {
        const v = i[k];
        if (typeof v === 'number' && !(Number.isInteger(v) && v >= min && v <= 100_000)) errs.push(`input.${k} must be a whole number from ${min}`);
      }
      if (typeof i.padValue === 'number' && !(i.padValue >= 0 && i.padValue <= 255)) errs.push('input.padValue must be from 0 to 255');
      opt(i, 'bgr', 'boolean', 'input.');
      if (i.contrast !== undefined && typeof i.contrast !== 'boolean') {
        const c = i.contrast;
        if (!isObj(c) || typeof c.low !== 'number' || typeof c.high !== 'number' || !(c.low >= 0 && c.high <= 100 && c.low < c.high)) {
          errs.push('input.contrast must be true/false or {low, high} percentiles with 0 ≤ low < high ≤ 100');
        }
      }
      if (i.straighten !== undefined && i.straighten !== 'none' && i.straighten !== 'dewarp') errs.push('input.straighten must be "none" or "dewarp"');
    }
    if (isObj(raw.output)) {
      if (raw.output.layout !== 'TBC' && raw.output.layout !== 'BTC') errs.push('output.layout must be "TBC" or "BTC"');
      opt(raw.output, 'logSoftmax', 'boolean', 'output.');
      opt(raw.output, 'softmax', 'boolean', 'output.');
    }
    if (raw.charset === undefined && raw.charsetFile === undefined) errs.push('charset (or charsetFile) is missing');
    if (raw.charset !== undefined && !(Array.isArray(raw.charset) && raw.charset.every((c) => typeof c === 'string'))) errs.push('charset must be an array of strings');
    opt(raw, 'charsetFile', 'string', '');
    req(raw, 'blank', 'number', '');
    if (typeof raw.blank === 'number' && !(Number.isInteger(raw.blank) && raw.blank >= 0)) errs.push('blank must be a whole number from 0');
    if (raw.decoder !== undefined) {
      const d = raw.decoder;
      if (!isObj(d)) errs.push('decoder must be an object');
      else {
        if (typeof d.lm !== 'string' || !/^[\w][\w.-]*$/.test(d.lm)) errs.push('decoder.lm must be a file name in the model folder (no path)');
        if (typeof d.weight !== 'number' || !(d.weight >= 0 && d.weight <= 5)) errs.push('decoder.weight must be a number from 0 to 5');
        if (typeof d.bonus !== 'number' || !(d.bonus >= -20 && d.bonus <= 20)) errs.push('decoder.bonus must be a number from -20 to 20');
        if (d.beam !== undefined && !(typeof d.beam === 'number' && Number.isInteger(d.beam) && d.beam >= 0 && d.beam <= 100)) errs.push('decoder.beam must be a whole number from 0 to 100');
      }
    }
  }
  if (errs.length) throw new ManifestError(`${where}: ${errs.join('; ')}`);
  return raw as unknown as ModelManifest;
}
