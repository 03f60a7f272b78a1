import { parseArgs } from 'node:util';
import fs from 'node:fs/promises';
import path from 'node:path';
import { findPageImage } from '../../node/images/find-image.js';
import { loadGrey } from '../../node/images/page-image.js';
import { LinePairWriter, type LineCutter } from '../../node/export/line-pairs.js';
import { cutForInput } from '../../node/recognition/recognize-page.js';
import { listModels, pickRecognizer } from '../../node/models/registry.js';
import { Progress } from '../progress.js';
import { intOption, UsageError, type Command, type Io } from '../command.js';
import { exportYolo } from '../../node/export/yolo-export.js';
import { CLASS_SETS, type ClassSet } from '../../node/export/yolo-classes.js';
import { exportDestination, exportProjectPackage, writeToDestination } from '../../node/export/export-package.js';
import { writeExportManifest, type ManifestPage } from '../../node/export/export-manifest.js';
import { removeUnfinishedSync } from '../../node/export/zip-folder.js';
import { DOCUMENT_FORMATS, parseSplit, plainCutter, TRAINER_FORMATS, type DocumentFormat, type TrainerFormat } from '../../node/export/gt-export.js';
import { PAGE_STATUSES, type PageStatus } from '../../common/api/service.js';
import { expandProjectFolders } from '../../node/project/project-inputs.js';
import { readDocumentFile } from '../../node/io/read-document.js';

const FORMATS = ['lines', 'yolo', ...DOCUMENT_FORMATS, ...TRAINER_FORMATS] as const;
const LINES_ONLY = ['height', 'straighten', 'no-contrast', 'cut-as', 'exclude-type'] as const;
/** Options of the project exports (documents and trainers' layouts). */
const PROJECT_ONLY = ['status', 'split', 'force'] as const;
/** Cutting options that --cut-as takes from the model instead. */
const CUT_OPTIONS = ['height', 'straighten', 'no-contrast'] as const;
const YOLO_ONLY = ['classes', 'imgsz', 'val-fraction', 'split-by', 'val-list', 'seed'] as const;
/** Options of the exports with a manifest, which may be zipped (every format but yolo, which writes its own export.json). */
const PACKAGED_ONLY = ['zip'] as const;

let sigintHooked = false;
/** Ctrl+C during a zipped export: its temporary zip and staging folder are removed, and no NAME.zip appears. */
function cancelZipOnSigint(io: Io): void {
  if (sigintHooked) return;
  sigintHooked = true;
  process.once('SIGINT', () => {
    const left = removeUnfinishedSync();
    io.err('htr-studio export: cancelled; no zip was written');
    for (const p of left) io.err(`htr-studio export: could not remove the unfinished ${p}: remove it by hand`);
    process.exit(130);
  });
}

export const exportCmd: Command = {
  name: 'export',
  summary: 'export ground truth for training (lines: line image + .gt.txt pairs; yolo: layout dataset)',
  usage: `htr-studio export INPUT... --format lines -o OUTDIR|NAME.zip [--zip] [--height N] [--straighten dewarp|none] [--no-contrast]
                         [--cut-as MODEL] [--exclude-type WORD,...]
       htr-studio export INPUT... --format page|page-2013|alto|text|mets|kraken|tesstrain|pylaia|loghi -o OUTDIR|NAME.zip [--zip]
                         [--status S,...] [--split TRAIN/VAL[/TEST]] [--seed N] [--force]
                         [--height N] [--straighten dewarp|none] [--no-contrast] [--cut-as MODEL]
       htr-studio export INPUT... --format yolo -o OUTDIR [--classes lines|regions|both] [--imgsz N]
                         [--val-fraction F] [--split-by document|page] [--val-list FILE] [--seed N]

  --format lines writes, for every transcribed line of each PAGE/ALTO input, a PNG
  of the line cut along its polygon (outside = white, straightened along its
  baseline) and NAME.gt.txt with its text; NAME = page stem + "_" + line id. This is
  what kraken, Calamari, tesstrain and HTR Studio's own recipes train on.
  OUTDIR/lines.tsv lists name, page, line id and text. Empty and uncuttable lines
  are skipped and counted. --height N scales every line to N pixels.
  --cut-as MODEL (a model id or folder) cuts every line exactly as \`recognize\`
  feeds that model (its manifest's height, straightening and contrast stretch):
  train on these and the model learns the pixels it will be given.
  --exclude-type print,typewrit leaves out lines whose type (SegmOnto / ALTO tag /
  PAGE custom structure) contains one of the words, e.g. pre-printed headers.
  lines.tsv's last columns are each line's type and its input file as given.

  --format page|page-2013|alto|text writes each page as PAGE 2019, PAGE 2013 (for
  Transkribus), ALTO 4 or plain text (its lines in reading order). --format mets
  writes an OCR-D workspace: OUTDIR/mets.xml listing, in the order of the inputs,
  each page's image (copied into OCR-D-IMG/) and its PAGE 2019 file
  (OCR-D-GT-SEG-LINE/), all by relative path; with --split, one per split folder. --format
  kraken|tesstrain writes line pairs as --format lines does (NAME.png + NAME.gt.txt,
  what kraken, Calamari and tesstrain read); pylaia puts the images in images/ and
  writes SPLIT.txt ("NAME c h a r s", <space> between words), SPLIT_ids.txt and
  syms.txt; loghi writes SPLIT.txt ("path<TAB>text"). --status ground-truth,done
  exports only pages with those statuses (the project's htr-studio.json, found
  beside the page file or one folder up; pages not listed there are new).
  --split 80/10/10 puts whole documents into OUTDIR/train, val and test (seeded,
  --seed N; default: everything in OUTDIR). OUTDIR/split.tsv lists each page's
  split, document and status. An INPUT that is a project folder stands for its
  pages in the project's page order. Before line pairs are written the ground-truth
  checker looks at every page: lines with a degenerate or self-crossing polygon,
  a baseline outside the line, or machine text nobody confirmed on a page marked
  Ground truth stop the export (exit 2, nothing written, counts per rule);
  --force leaves those lines out and counts them.

  Every lines and project export also writes OUTDIR/export-manifest.json: HTR
  Studio's version, this command, format and options, the time; each source page
  file and image with its SHA-256 and size; each page's split, document and status;
  the counts (pages, lines, lines left out by reason); and each source's licence
  and attribution as the project (htr-studio.json settings.license and
  settings.attribution), a METS beside the source (MODS accessCondition, dv:owner)
  and the page's own Creator/Comments say them ("unknown" where nothing does).
  -o NAME.zip (or --zip, which adds .zip to the name) writes the same files as one
  zip instead of a folder (images stored, text deflated). It is written under a
  temporary name beside NAME.zip and renamed when complete: a failed, refused or
  interrupted export leaves no NAME.zip. In a zip, Loghi's lists name images
  relative to the zip's root instead of by absolute path.

  --format yolo writes an Ultralytics detection dataset: OUTDIR/images/{train,val},
  OUTDIR/labels/{train,val} ("class cx cy w h" per object, 0–1 of the page; boxes
  of the line and region polygons), OUTDIR/data.yaml, pages.tsv and export.json.
  --classes: line classes (the line's SegmOnto type, else DefaultLine), zone
  classes (regions' SegmOnto type; regions without one are left out), or both
  (default). The class list is the whole SegmOnto vocabulary, lines first, so
  indices never change. --imgsz N re-encodes images as JPEG with the long side N
  (never enlarged). Validation: --val-fraction F (default 0.1) of the pages, whole
  documents at a time (--split-by document, the default: a document is the file's
  folder plus its name without the trailing page number) or single pages, chosen
  by a seeded hash (--seed); or exactly the pages in --val-list FILE (one page
  name, XML stem or XML path a line). Pages whose image is missing are reported
  and skipped.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        height: { type: 'string' },
        straighten: { type: 'string' },
        'no-contrast': { type: 'boolean' },
        'cut-as': { type: 'string' },
        'exclude-type': { type: 'string' },
        classes: { type: 'string' },
        imgsz: { type: 'string' },
        'val-fraction': { type: 'string' },
        'split-by': { type: 'string' },
        'val-list': { type: 'string' },
        seed: { type: 'string' },
        status: { type: 'string' },
        split: { type: 'string' },
        force: { type: 'boolean' },
        zip: { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
      },
      allowPositionals: true,
    });
    if (!values.format) throw new UsageError(`export needs --format (${FORMATS.join(', ')})`);
    if (!(FORMATS as readonly string[]).includes(values.format)) throw new UsageError(`unknown --format "${values.format}"; this version exports: ${FORMATS.join(', ')}`);
    if (!values.output) throw new UsageError('export needs -o OUTDIR');
    if (!positionals.length) throw new UsageError('export needs at least one PAGE/ALTO input');
    const fmt = values.format;
    const isProject = (DOCUMENT_FORMATS as readonly string[]).includes(fmt) || (TRAINER_FORMATS as readonly string[]).includes(fmt);
    const notHere: readonly string[] = fmt === 'lines' ? [...YOLO_ONLY, ...PROJECT_ONLY]
      : fmt === 'yolo' ? [...LINES_ONLY, ...PROJECT_ONLY, ...PACKAGED_ONLY]
      : (DOCUMENT_FORMATS as readonly string[]).includes(fmt) ? [...LINES_ONLY, ...YOLO_ONLY.filter((k) => k !== 'seed'), 'force']
      : [...YOLO_ONLY.filter((k) => k !== 'seed'), 'exclude-type'];
    const misplaced = notHere.filter((k) => (values as Record<string, unknown>)[k] !== undefined);
    if (misplaced.length) throw new UsageError(`--${misplaced[0]} does not apply to --format ${fmt}`);
    if (fmt === 'yolo') {
      if (/\.zip$/i.test(values.output)) throw new UsageError('--format yolo writes a folder; -o NAME.zip and --zip are for the other formats');
      return runYolo(values, positionals, io);
    }
    const height = intOption(values.height, 'height', 8, 1024);
    const straighten = (values.straighten ?? 'dewarp') as 'dewarp' | 'none';
    if (straighten !== 'dewarp' && straighten !== 'none') throw new UsageError('--straighten must be dewarp or none');
    const clash = CUT_OPTIONS.find((k) => values[k] !== undefined);
    if (values['cut-as'] !== undefined && clash) throw new UsageError(`--${clash} does not go with --cut-as: the model decides how lines are cut`);
    let cutAs;
    try {
      cutAs = values['cut-as'] === undefined ? undefined : pickRecognizer(listModels().models, values['cut-as']);
    } catch (e) {
      throw new UsageError(`--cut-as: ${(e as Error).message}`);
    }
    const cutInput = cutAs?.manifest.input;
    if (cutAs && (!cutAs.dir || !cutInput)) throw new UsageError(`--cut-as: ${cutAs.manifest.id} is a Tesseract language; it reads whole lines itself, so there is no cut to copy`);
    const excluded = (values['exclude-type'] ?? '').split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
    const outDir = values.output;
    const cut: LineCutter = cutInput
      ? (page, l) => cutForInput(page, l, cutInput)
      : plainCutter({ straighten, contrast: !values['no-contrast'], ...(height && { height }) });
    const cutOptions = cutAs ? { cutAs: cutAs.manifest.id } : { straighten, contrast: !values['no-contrast'], ...(height && { height }) };
    if (isProject) return runProjectExport(fmt as DocumentFormat | TrainerFormat, values, positionals, cut, cutOptions, ['export', ...args], io);
    const dest = exportDestination(outDir, values.zip);
    if (dest.zip) cancelZipOnSigint(io);
    const { writer, failed } = await writeToDestination(dest, async (dir) => {
      await fs.mkdir(dir, { recursive: true });
      const writer = new LinePairWriter(dir, cut, excluded);
      let failed = 0;
      const pages: ManifestPage[] = [];
      const progress = new Progress('export lines', values.quiet);
      for (const [n, input] of positionals.entries()) {
        try {
          const { doc } = (await readDocumentFile(input));
          const image = findPageImage(input, doc.page.imageFilename);
          if (!image) throw new Error(`image "${doc.page.imageFilename}" not found beside ${input} or in its parent folder`);
          const page = await loadGrey(image, { expectWidth: doc.page.imageWidth, expectHeight: doc.page.imageHeight });
          const stem = path.basename(input).replace(/\.[^.]+$/, '');
          const before = writer.written;
          await writer.addPage(doc, page, stem, path.basename(input), input);
          const { creator, comments } = doc.metadata;
          pages.push({ name: stem, xml: input, image, maker: { ...(creator !== undefined && { creator }), ...(comments !== undefined && { comments }) }, lines: writer.written - before });
        } catch (e) {
          failed++;
          io.err(`error: ${input}: ${(e as Error).message}`);
        }
        progress.update(n + 1, positionals.length);
      }
      await writer.finish();
      await writeExportManifest(dir, {
        format: 'lines',
        command: ['export', ...args],
        options: { ...cutOptions, ...(excluded.length && { excludeTypes: excluded }) },
        pages,
        pageCounts: { all: pages.length },
        lineCounts: { all: writer.written },
        filtered: 0,
        failed,
        skipped: Object.fromEntries(writer.skipped),
        split: null,
        seed: null,
      });
      return { writer, failed };
    }, () => true);
    const skippedTotal = writer.skippedTotal;
    io.err(`exported ${writer.written} line(s) to ${dest.path}; skipped ${skippedTotal}${skippedTotal ? `: ${[...writer.skipped].map(([r, k]) => `${k} ${r}`).join(', ')}` : ''}`);
    return failed ? 1 : 0;
  },
};

/** Documents and trainers' layouts: options checked here, the work in electron/node/export/gt-export.ts. */
async function runProjectExport(format: DocumentFormat | TrainerFormat, values: Record<string, string | boolean | undefined>, inputs: string[], cut: LineCutter, cutOptions: Record<string, unknown>, command: string[], io: Io): Promise<number> {
  const str = (k: string): string | undefined => values[k] as string | undefined;
  let statuses: PageStatus[] | undefined;
  if (str('status') !== undefined) {
    statuses = str('status')!.split(',').map((s) => s.trim()).filter(Boolean) as PageStatus[];
    const bad = statuses.find((s) => !(PAGE_STATUSES as readonly string[]).includes(s));
    if (bad || !statuses.length) throw new UsageError(`--status: expected one or more of ${PAGE_STATUSES.join(', ')}${bad ? `, got "${bad}"` : ''}`);
  }
  let split;
  try {
    split = str('split') === undefined ? undefined : parseSplit(str('split')!);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const seed = Number(str('seed') ?? 0);
  if (!Number.isInteger(seed)) throw new UsageError('--seed must be a whole number');
  const progress = new Progress(`export ${format}`, values.quiet as boolean | undefined);
  const dest = exportDestination(str('output')!, values.zip === true);
  if (dest.zip) cancelZipOnSigint(io);
  const lineFormat = (TRAINER_FORMATS as readonly string[]).includes(format);
  const options = { ...(statuses && { statuses }), ...(split && { split: str('split') }), seed, force: values.force === true, ...(lineFormat && cutOptions) };
  let pages: string[];
  try {
    pages = await expandProjectFolders(inputs);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const r = await exportProjectPackage(pages, {
    format,
    ...(statuses && { statuses }),
    ...(split && { split }),
    seed,
    force: values.force === true,
    cut,
    warn: io.err,
    progress: (done, total) => progress.update(done, total),
  }, dest, { command, options });
  const counts = (o: Record<string, number>): string => Object.entries(o).map(([k, n]) => `${n} ${k}`).join(', ');
  if (r.refused) {
    io.err(`not exported: ${Object.values(r.breaking).reduce((a, b) => a + b, 0)} line(s) would teach a trainer the wrong thing (${counts(r.breaking)}); \`htr-studio check\` lists them, --force leaves them out`);
    return 2;
  }
  const parts = (['train', 'val', 'test'] as const).filter((s) => r.pages[s]).map((s) => `${s} ${r.pages[s]} page(s) / ${r.lines[s]} line(s)`);
  io.err(`exported ${parts.join(', ') || 'nothing'} to ${dest.path}${r.filtered ? `; ${r.filtered} page(s) not of status ${statuses!.join(' or ')}` : ''}`);
  const left = { ...r.skipped };
  if (Object.keys(left).length) io.err(`left out: ${counts(left)}`);
  return r.failed ? 1 : 0;
}

/** --format yolo: options checked here, the work in electron/node/export/yolo-export.ts. */
async function runYolo(values: Record<string, string | boolean | undefined>, inputs: string[], io: Io): Promise<number> {
  const str = (k: string): string | undefined => values[k] as string | undefined;
  const classes = (str('classes') ?? 'both') as ClassSet;
  if (!CLASS_SETS.includes(classes)) throw new UsageError(`--classes must be ${CLASS_SETS.join(', ')}`);
  const imgsz = intOption(str('imgsz'), 'imgsz', 32, 16384);
  const valFraction = Number(str('val-fraction') ?? 0.1);
  if (!(valFraction >= 0 && valFraction < 1)) throw new UsageError('--val-fraction must be at least 0 and below 1');
  const splitBy = str('split-by') ?? 'document';
  if (splitBy !== 'document' && splitBy !== 'page') throw new UsageError('--split-by must be document or page');
  const seed = Number(str('seed') ?? 0);
  if (!Number.isInteger(seed)) throw new UsageError('--seed must be a whole number');
  const valList = str('val-list') === undefined ? undefined : await fs.readFile(str('val-list')!, 'utf8');
  const progress = new Progress('export yolo', values.quiet as boolean | undefined);
  const r = await exportYolo(inputs, {
    outDir: str('output')!,
    classes,
    ...(imgsz && { imgsz }),
    valFraction,
    splitBy,
    ...(valList !== undefined && { valList }),
    seed,
    warn: io.err,
    progress: (done, total) => progress.update(done, total),
  });
  const perClass = Object.entries(r.objects).filter(([, n]) => n.train + n.val).map(([c, n]) => `${c} ${n.train}/${n.val}`);
  const skipped = Object.entries(r.skipped).map(([why, n]) => `${n} ${why}`);
  io.err(`exported ${r.pages.train} train / ${r.pages.val} val page(s) (${r.documents.train}/${r.documents.val} documents) to ${str('output')}`);
  io.err(`objects (train/val): ${perClass.join(', ') || 'none'}`);
  if (skipped.length) io.err(`left out: ${skipped.join(', ')}`);
  return r.failed ? 1 : 0;
}
