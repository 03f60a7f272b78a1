/**
 * Runs the recogniser recipe's finetune.py as a child process: its JSON lines
 * become FinetuneEvents, an abort signal becomes SIGTERM (the recipe finishes
 * its step, keeps the best model so far and exports it), and the process's end
 * resolves with its "done" event.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { parseFinetuneLine, type FinetuneEvent } from '../../common/training/finetune-events.js';
import { shippedModelsDir } from '../models/registry.js';

export type FinetuneDone = Extract<FinetuneEvent, { event: 'done' }>;

export interface FinetuneOptions {
  readonly python: string;
  /** Which recipe: the recogniser's (default) or the layout detector's. */
  readonly task?: 'recognition' | 'layout';
  /** The base model's folder (model.json + model.onnx). */
  readonly baseDir: string;
  /** Recognition: lines cut with the base's own cutter (export --format lines --cut-as BASE); layout: the data.yaml of an export --format yolo. */
  readonly linesDir: string;
  readonly outDir: string;
  readonly minutes: number;
  readonly resume?: boolean;
  readonly lr?: number;
  readonly threads?: number;
  readonly maxSteps?: number;
  readonly id?: string;
  readonly name?: string;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: FinetuneEvent) => void;
  /** The recipe's other output (its log, warnings), line by line. */
  readonly onLog?: (line: string) => void;
}

/** After SIGTERM the recipe evaluates and exports (seconds); past this it is killed. */
const CANCEL_GRACE_MS = 120_000;

export function recipeDir(task: 'recognition' | 'layout' = 'recognition'): string {
  return path.join(shippedModelsDir(), 'recipes', task === 'layout' ? 'layout' : 'htr');
}

export function runFinetune(o: FinetuneOptions): Promise<FinetuneDone> {
  const task = o.task ?? 'recognition';
  const args = [
    path.join(recipeDir(task), 'finetune.py'),
    '--base', o.baseDir,
    task === 'layout' ? '--data' : '--lines', o.linesDir,
    '--out', o.outDir,
    '--minutes', String(o.minutes),
    // An engine that dies (the window closed, serve stopped) must not leave training running.
    '--stop-with-parent',
    ...(o.resume ? ['--resume'] : []),
    ...(o.lr !== undefined ? ['--lr', String(o.lr)] : []),
    ...(o.threads !== undefined ? ['--threads', String(o.threads)] : []),
    ...(o.maxSteps !== undefined ? ['--max-steps', String(o.maxSteps)] : []),
    ...(o.id ? ['--id', o.id] : []),
    ...(o.name ? ['--name', o.name] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(o.python, args, {
      cwd: recipeDir(task),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        // Torch's idle threads would spin on the cores the editor needs; one BLAS thread
        // (the LSTM is no faster with more here).
        OMP_WAIT_POLICY: 'PASSIVE',
        OPENBLAS_NUM_THREADS: '1',
        // Memory: every batch has another width, so glibc's growing mmap threshold kept
        // freed activation buffers in the heap (peak RSS 1.3 GB after 1.5 min, 1.9 GB after
        // 10); a fixed threshold hands them back (0.6 GB after 1.5 min).
        MALLOC_ARENA_MAX: '2',
        MALLOC_MMAP_THRESHOLD_: '131072',
        MALLOC_TRIM_THRESHOLD_: '131072',
        PYTHONUNBUFFERED: '1',
      },
    });
    let done: FinetuneDone | undefined;
    const tail: string[] = [];
    const remember = (line: string): void => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      o.onLog?.(line);
    };
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const e = parseFinetuneLine(line);
      if (!e) return remember(line);
      if (e.event === 'done') done = e;
      o.onEvent?.(e);
    });
    readline.createInterface({ input: child.stderr }).on('line', remember);
    let killer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      child.kill('SIGTERM');
      killer = setTimeout(() => child.kill('SIGKILL'), CANCEL_GRACE_MS);
    };
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => reject(new Error(`could not start ${o.python}: ${e.message}`)));
    child.on('close', (code, sig) => {
      if (killer) clearTimeout(killer);
      o.signal?.removeEventListener('abort', onAbort);
      if (done && code === 0) return resolve(done);
      const last = tail.filter((l) => l.trim()).slice(-3).join(' | ');
      reject(new Error(`fine-tuning failed (${sig ?? `exit ${code}`})${last ? `: ${last}` : ''}`));
    });
  });
}
