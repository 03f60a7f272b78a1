/**
 * The editor's Import as a long job: `htr-studio import` into the open project,
 * its progress as job progress (pages, and the bytes of the image being fetched),
 * cancelled through the job's signal (the import then leaves the project as it was).
 */
import type { ImportRequest } from '../../common/api/service.js';
import { importSources } from '../import/import-project.js';
import { fmtBytes } from '../import/zip.js';
import { expandHome } from '../project/new-project.js';
import type { JobWork } from './job-runner.js';

export function importWork(request: ImportRequest, root: string): JobWork {
  return async (ctx) => {
    const sources = request.sources.map((s) => (/^https?:\/\//i.test(s) ? s : expandHome(s)));
    let pages = { done: 0, total: 0 };
    const result = await importSources(root, sources, {
      ...(request.reference && { reference: true }),
      ...(request.dpi !== null && { dpi: request.dpi }),
      ...(request.fileGroups.length && { fileGroups: request.fileGroups }),
      signal: ctx.signal,
      onProgress: (p) => {
        if (p.phase === 'pages') {
          pages = { done: p.done, total: p.total };
          ctx.progress(p.done, p.total, null, p.message);
        } else if (p.phase === 'download') ctx.progress(pages.done, Math.max(pages.total, 1), null, `${p.message} (${fmtBytes(p.done)}${p.total ? ` of ${fmtBytes(p.total)}` : ''})`);
        else ctx.progress(pages.done, Math.max(pages.total, 1), null, p.phase === 'reading' ? 'reading the sources' : 'finishing');
      },
    });
    const warned = result.warnings.length ? `; ${result.warnings.join('; ')}` : '';
    return `imported ${result.pages.length} page(s)${warned}`;
  };
}
