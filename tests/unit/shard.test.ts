/**
 * `process --shard I/N` and `--list FILE`: array jobs (Slurm, Kubernetes Indexed
 * Jobs) split one input list into disjoint slices that together cover it.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { parseShard, shardOf } from '../../electron/cli/shard.js';
import { runCli } from '../helpers/cli-process.js';

describe('shards of an input list', () => {
  it('are disjoint, cover every input once, differ in size by one at most, whatever the order given', () => {
    const inputs = Array.from({ length: 103 }, (_, i) => `scans/box-${i % 7}/page-${String(i).padStart(4, '0')}.jpg`);
    const shuffled = [...inputs].reverse();
    for (const n of [1, 2, 3, 8, 200]) {
      const slices = Array.from({ length: n }, (_, i) => shardOf(i % 2 ? shuffled : inputs, { index: i, count: n }));
      expect(slices.flat().sort()).toEqual([...inputs].sort());
      const sizes = slices.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    // A path given twice is one input.
    expect(shardOf(['b', 'a', 'b'], { index: 0, count: 1 })).toEqual(['a', 'b']);
  });

  it('are named I/N with 0 ≤ I < N', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard(' 3/4 ')).toEqual({ index: 3, count: 4 });
    for (const bad of ['4/4', '1/0', '-1/4', '1', 'a/b', '1/4/2', '']) expect(() => parseShard(bad), bad).toThrow(/--shard: expected I\/N/);
  });
});

describe('htr-studio process --shard', () => {
  it('processes its slice only: two tasks given the same --list write every page once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-shard-'));
    const images: string[] = [];
    for (let i = 0; i < 3; i++) {
      const file = path.join(dir, `p${i}.png`);
      // A sheet with two dark strokes: small, so detection and recognition take a moment only.
      const strokes = [0, 1].map((k) => ({ input: { create: { width: 500, height: 12, channels: 3 as const, background: { r: 20, g: 20, b: 20 } } }, left: 100, top: 200 + 80 * k }));
      await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 250, g: 250, b: 245 } } }).composite(strokes).png().toFile(file);
      images.push(file);
    }
    const list = path.join(dir, 'pages.txt');
    fs.writeFileSync(list, `# the backlog\n${images.join('\n')}\n\n`);
    const out = path.join(dir, 'out');
    const written: string[][] = [];
    for (const task of [0, 1]) {
      const r = runCli(['process', '--list', list, '-o', out, '--shard', `${task}/2`, '--json', '-q']);
      expect(r.stderr).toContain(`shard ${task}/2: ${task === 0 ? 2 : 1} of 3 image(s)`);
      expect(r.code).toBe(0);
      written.push(JSON.parse(r.stdout).results.map((x: { output: string }) => path.basename(x.output)).sort());
    }
    expect(written).toEqual([['p0.xml', 'p2.xml'], ['p1.xml']]);
    expect(fs.readdirSync(out).sort()).toEqual(['p0.xml', 'p1.xml', 'p2.xml']);
    expect(runCli(['process', '--list', list, '-o', out, '--shard', '2/2']).code).toBe(2);
    expect(runCli(['process', '--list', path.join(dir, 'missing.txt'), '-o', out]).stderr).toContain('--list: cannot read');
  }, 300_000);
});
