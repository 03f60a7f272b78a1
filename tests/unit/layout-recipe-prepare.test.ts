/**
 * The layout recipe's data split (prepare.py --dry-run: no export): no machine
 * paths (../shared found beside the checkout, or $HTR_STUDIO_SHARED), several
 * sources split by document together, the regression corpus's documents left out.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, SHARED } from '../helpers/corpus.js';

const RECIPE = path.join(REPO, 'native-models/recipes/layout');
const PYTHON = '/usr/bin/python3';
const skip = spawnSync(PYTHON, ['--version']).error ? `${PYTHON} is missing` : '';
if (skip) console.warn(`layout-recipe-prepare test skipped: ${skip}`);

interface Split {
  sources: string[];
  pages: { train: number; val: number; excluded: number };
  excluded_documents: string[];
  val_documents: string[];
  train_documents: string[];
  pages_per_dataset: Record<string, { train: number; val: number }>;
}

function dryRun(args: string[], env: NodeJS.ProcessEnv = {}, cwd = RECIPE): Split {
  const r = spawnSync(PYTHON, [path.join(RECIPE, 'prepare.py'), '--dry-run', ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Split;
}

describe.skipIf(!!skip)('layout recipe: prepare.py', () => {
  it('has no machine paths in its scripts', () => {
    for (const f of fs.readdirSync(RECIPE).filter((n) => /\.(py|sh|mjs|cjs)$/.test(n))) {
      const text = fs.readFileSync(path.join(RECIPE, f), 'utf8');
      expect(text.match(/["'`= ](\/(work|home|Users|root|mnt|srv)\/[^\s"'`]*)/g), f).toBeNull();
    }
  });

  it('finds ../shared/corpus-train from any folder and gives the split the shipped snapshots were chosen on', () => {
    const s = dryRun([], {}, os.tmpdir());
    expect(s.sources).toEqual(['corpus-train']);
    expect(s.pages).toEqual({ train: 119, val: 20, excluded: 34 });
    // The regression pages' documents (corpus images) are out; validation and training share no document.
    expect(s.excluded_documents).toEqual(['testaments-de-poilus:AD78_0066', 'testaments-de-poilus:AN_0155', 'timeus-1858:cph_paris_tissage_1858']);
    expect(s.val_documents.filter((d) => s.train_documents.includes(d))).toEqual([]);
  });

  it('splits several sources by document together', () => {
    const s = dryRun(['--source', path.join(SHARED, 'corpus-train'), '--source', path.join(SHARED, 'corpus-train-more')]);
    expect(s.sources).toEqual(['corpus-train', 'corpus-train-more']);
    const one = dryRun([]);
    expect(s.pages.train + s.pages.val).toBeGreaterThan(one.pages.train + one.pages.val + 90);
    expect(s.excluded_documents).toEqual(one.excluded_documents);
    expect(s.val_documents.filter((d) => s.train_documents.includes(d))).toEqual([]);
    // The new wills are validated on too.
    expect(s.pages_per_dataset['testaments-de-poilus']!.val).toBeGreaterThan(one.pages_per_dataset['testaments-de-poilus']!.val);
  });

  it('takes the shared folder from $HTR_STUDIO_SHARED, and leaves out a document with a page image in its corpus', () => {
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-shared-'));
    fs.mkdirSync(path.join(shared, 'corpus-train'));
    fs.mkdirSync(path.join(shared, 'corpus', 'some-set'), { recursive: true });
    const header = 'dataset\timage\txml\tdocument';
    const rows = ['a', 'b', 'c', 'd', 'e'].flatMap((doc) => [1, 2].map((p) => `ds\tds/${doc}-${p}.jpg\tds/${doc}-${p}.xml\t${doc}`));
    fs.writeFileSync(path.join(shared, 'corpus-train', 'manifest.tsv'), [header, ...rows].join('\n') + '\n');
    fs.writeFileSync(path.join(shared, 'corpus', 'some-set', 'c-2.jpg'), '');
    const s = dryRun(['--val-fraction', '0.25'], { HTR_STUDIO_SHARED: shared });
    fs.rmSync(shared, { recursive: true, force: true });
    expect(s.excluded_documents).toEqual(['ds:c']);
    expect(s.pages).toEqual({ train: 6, val: 2, excluded: 2 });
    expect(s.val_documents).toHaveLength(1);
  });
});
