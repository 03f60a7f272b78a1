/**
 * `--shard I/N`: the I-th of N deterministic slices of the inputs, for array jobs
 * (Slurm `--array=0-N-1` with `$SLURM_ARRAY_TASK_ID`, a Kubernetes Indexed Job with
 * `$JOB_COMPLETION_INDEX`), with no queue server. Every task sorts the same list
 * the same way (by code unit, not by locale) and takes every N-th input from its
 * index on, so the slices are disjoint, cover every input, and are even in size.
 */
import fs from 'node:fs/promises';
import { UsageError } from './command.js';

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) throw new UsageError(`--shard: expected I/N with 0 ≤ I < N (e.g. 0/4 … 3/4), got "${text}"`);
  return { index, count };
}

export function shardOf<T extends string>(inputs: readonly T[], shard: Shard): T[] {
  const sorted = [...new Set(inputs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted.filter((_, i) => i % shard.count === shard.index);
}

/** `--list FILE`: one input per line; blank lines and lines starting with # are skipped. */
export async function readInputList(file: string): Promise<string[]> {
  const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`--list: cannot read ${file} (${e.code ?? e.message})`);
  });
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}
