/**
 * What a fine-tune reports while it runs: the recipe's JSON lines
 * (native-models/recipes/htr/finetune.py), as the CLI relays them with --json and
 * as the editor's progress panel draws them (the validation CER curve).
 */
export type FinetuneEvent =
  | {
      readonly event: 'start';
      readonly lines: number;
      readonly val_lines: number;
      readonly pages: number;
      readonly new_characters: string;
      readonly before_val_cer: number | null;
      readonly minutes: number;
      readonly resumed_at: number | null;
      readonly base: string;
      readonly device: string;
      /** Layout: the held-back pages' line F1 before training. */
      readonly before_val_f1?: number | null;
      readonly val_pages?: number;
    }
  | { readonly event: 'step'; readonly step: number; readonly loss: number; readonly lines_per_s: number; readonly minutes_left: number }
  | {
      readonly event: 'eval';
      readonly step: number;
      /** null for the evaluation at step 0 (the base's weights, before any training). */
      readonly loss: number | null;
      readonly val_cer: number | null;
      readonly best_val_cer: number | null;
      readonly minutes_left: number;
      /** Layout: line F1 on the held-back pages. */
      readonly val_f1?: number | null;
    }
  | {
      readonly event: 'done';
      readonly reason: 'time' | 'early' | 'cancelled' | 'steps';
      readonly cancelled: boolean;
      readonly step: number;
      readonly best_step: number;
      readonly before_val_cer: number | null;
      readonly after_val_cer: number | null;
      readonly out: string;
      /** The recipe process's peak resident memory. */
      readonly peak_rss_mb?: number;
      readonly id: string;
      readonly lines: number;
      readonly val_lines: number;
      readonly pages: number;
      /** Layout: line F1 on the held-back pages, before and after. */
      readonly before_val_f1?: number | null;
      readonly after_val_f1?: number | null;
      readonly val_pages?: number;
    };

/** A CER (0–1) as the CLI and the editor print it; – where there is none (no held-back lines). */
export const percent = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(1)}%`);

/** One line of the recipe's stdout as an event; undefined for anything else (a stray print). */
export function parseFinetuneLine(line: string): FinetuneEvent | undefined {
  const t = line.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const e = JSON.parse(t) as { event?: unknown };
    return e && typeof e === 'object' && ['start', 'step', 'eval', 'done'].includes(e.event as string) ? (e as FinetuneEvent) : undefined;
  } catch {
    return undefined;
  }
}
