import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { normalizeTranscription } from '../../electron/common/recognition/normalize-text.js';
import { REPO } from '../helpers/corpus.js';

const SAMPLES = ['l’homme — dit « oui »', 'ſoit\u00a0 dit\u200b', 'q\u0303 e\u0301', '“quoted”\t–x', '  spaced   out  ', 'abc\uf1ac'];

describe('transcription normalisation', () => {
  it('folds look-alikes and drops invisible characters', () => {
    expect(normalizeTranscription('l’homme — dit « oui »')).toBe("l'homme - dit « oui »");
    expect(normalizeTranscription('ſoit\u00a0 dit\u200b')).toBe('soit dit');
    expect(normalizeTranscription('e\u0301')).toBe('é');
  });

  const py = spawnSync('/usr/bin/python3', ['-c', 'print(1)']);
  it.skipIf(py.status !== 0)('is the same function as the training recipe’s normalize.py', () => {
    const code = `import json,sys; sys.path.insert(0, ${JSON.stringify(path.join(REPO, 'native-models/recipes/htr'))}); from normalize import normalize; print(json.dumps([normalize(s) for s in json.loads(sys.stdin.read())]))`;
    const r = spawnSync('/usr/bin/python3', ['-c', code], { input: JSON.stringify(SAMPLES), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(SAMPLES.map(normalizeTranscription)).toEqual(JSON.parse(r.stdout));
  });
});
