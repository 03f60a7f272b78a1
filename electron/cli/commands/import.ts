import path from 'node:path';
import { parseArgs } from 'node:util';
import { importSources } from '../../node/import/import-project.js';
import { Progress } from '../progress.js';
import { UsageError, intOption, type Command } from '../command.js';

export const importCmd: Command = {
  name: 'import',
  summary: 'bring images, PDFs, PAGE/ALTO, METS exports, zips and IIIF manifests into a project',
  usage: `htr-studio import SOURCE… -p PROJECT [--json] [--reference] [--dpi N] [--file-group GRP]… [-q]

  SOURCE: image files (JPEG, PNG, TIFF — a multi-page TIFF gives one page per TIFF
  page —, WebP; JPEG 2000 where this build of sharp reads it), PDF files (each page
  rendered at --dpi, default 300; text layers ignored), PAGE-XML or ALTO files
  (matched to the images named with them, else to the image they declare), folders
  (images with their PAGE/ALTO; a Transkribus export or OCR-D workspace by its
  mets.xml), zips of those (Transkribus, eScriptorium exports), IIIF Presentation
  2/3 manifests (a .json file or an http(s) URL).
  Images go at the top of PROJECT (created if missing), PAGE-XML in PROJECT/page/
  (ALTO converted to PAGE 2019); names already taken get -2, -3….
  --reference    hard-link image files instead of copying them (same disk only;
                 copied otherwise, with a warning)
  --file-group   a METS file group to use (an image group or a PAGE group; may be
                 given twice)
  Nothing in PROJECT changes unless the whole import succeeds.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        project: { type: 'string', short: 'p' },
        json: { type: 'boolean' },
        reference: { type: 'boolean' },
        dpi: { type: 'string' },
        'file-group': { type: 'string', multiple: true },
        quiet: { type: 'boolean', short: 'q' },
      },
      allowPositionals: true,
    });
    if (!positionals.length) throw new UsageError('import needs at least one SOURCE');
    if (!values.project) throw new UsageError('import needs -p PROJECT');
    const dpi = intOption(values.dpi, 'dpi', 30, 1200);
    const progress = new Progress('import', values.quiet || values.json);
    // Ctrl+C cancels cleanly: the staging folder is removed and the project left as it was.
    const abort = new AbortController();
    const onSigint = (): void => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      const result = await importSources(values.project, positionals, {
        ...(values.reference && { reference: true }),
        ...(dpi !== undefined && { dpi }),
        ...(values['file-group'] && { fileGroups: values['file-group'] }),
        signal: abort.signal,
        onProgress: (p) => {
          if (p.phase === 'pages' || p.phase === 'download') progress.update(p.done, p.total, p.phase === 'download' ? p.message : path.basename(p.message));
        },
      });
      for (const w of result.warnings) io.err(`warning: ${w}`);
      if (values.json) io.out(JSON.stringify(result, null, 1));
      else io.out(`imported ${result.pages.length} page(s) into ${values.project}`);
      return 0;
    } catch (e) {
      if (!abort.signal.aborted) throw e;
      io.err('htr-studio import: cancelled; the project is as it was');
      return 130;
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};
