import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { validateManifest } from '../../electron/common/model-manifest/manifest.js';
import { REPO } from '../helpers/corpus.js';

const good = {
  id: 'test-crnn',
  name: 'Test',
  family: 'crnn-ctc',
  task: 'recognition',
  licence: 'CC-BY-4.0',
  input: { height: 48, channels: 1, invert: true, normalize: { scale: 1 / 255, mean: 0, std: 1 }, padValue: 255, contrast: { low: 1, high: 80 } },
  output: { layout: 'TBC', logSoftmax: true },
  charset: ['a', 'b'],
  blank: 0,
};

describe('model manifests', () => {
  it('accepts a complete recognition manifest', () => {
    expect(validateManifest(good).id).toBe('test-crnn');
  });

  it('names every wrong or missing field', () => {
    const bad = { ...good, input: { ...good.input, height: 4, channels: 2, normalize: { scale: 1, mean: 'x' } }, output: { layout: 'TCB' }, blank: undefined };
    delete (bad as Record<string, unknown>).licence;
    expect(() => validateManifest(bad, 'models/x/model.json')).toThrow(
      /models\/x\/model\.json: licence is missing; input\.height must be an integer from 8 to 512; input\.channels must be 1 or 3; input\.normalize\.mean must be a number or an array of numbers; input\.normalize\.std must be a number or an array of numbers; output\.layout must be "TBC" or "BTC"; blank is missing/,
    );
    expect(() => validateManifest({ ...good, charset: undefined })).toThrow(/charset \(or charsetFile\) is missing/);
    expect(() => validateManifest({ ...good, task: 'ocr' })).toThrow(/task must be "recognition" or "layout"/);
    expect(() => validateManifest([])).toThrow(/not a JSON object/);
    expect(() => validateManifest({ ...good, input: { ...good.input, contrast: { low: 90, high: 10 } } })).toThrow(/input\.contrast/);
  });

  it('the JSON schema in docs/ names the same required fields the validator checks', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'docs/model-manifest.schema.json'), 'utf8'));
    expect(schema.required).toEqual(['id', 'name', 'family', 'task', 'licence']);
    expect(schema.properties.input.required).toEqual(['height', 'channels', 'invert', 'normalize', 'padValue']);
    for (const k of Object.keys(good)) expect(Object.keys(schema.properties)).toContain(k);
    for (const k of Object.keys(good.input)) expect(Object.keys(schema.properties.input.properties)).toContain(k);
  });

  it('every shipped model.json is valid', () => {
    const dir = path.join(REPO, 'native-models');
    for (const id of fs.readdirSync(dir)) {
      const file = path.join(dir, id, 'model.json');
      if (fs.existsSync(file)) expect(validateManifest(JSON.parse(fs.readFileSync(file, 'utf8')), file).id).toBe(id);
    }
  });
});
