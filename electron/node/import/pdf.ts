/** PDF pages as page images (step in progress). */
import fs from 'node:fs/promises';
import { ImportError } from './import-error.js';
import type { PlanContext, PlannedPage } from './plan-types.js';

/** Whether a file starts with the PDF signature (within its first kilobyte, as readers allow). */
export async function isPdfFile(file: string): Promise<boolean> {
  const h = await fs.open(file, 'r');
  try {
    const b = Buffer.alloc(1024);
    const { bytesRead } = await h.read(b, 0, b.length, 0);
    return b.subarray(0, bytesRead).toString('latin1').includes('%PDF-');
  } finally {
    await h.close();
  }
}

export async function planPdf(file: string, _ctx: PlanContext): Promise<PlannedPage[]> {
  throw new ImportError(`${file}: PDF import is not available yet`);
}

export async function renderPdfPage(file: string, _page: number, _dpi: number): Promise<Buffer> {
  throw new ImportError(`${file}: PDF import is not available yet`);
}
