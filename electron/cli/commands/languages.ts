import { parseArgs } from 'node:util';
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeDocument } from '../../common/formats/document-io.js';
import { lineText } from '../../common/model/stats.js';
import { LANGUAGE_NAMES, type LanguageShare } from '../../common/language/identify.js';
import { canWriteLanguages, languagesReport, pageLanguages, withLanguages } from '../../common/language/page-languages.js';
import { writeFileAtomic } from '../../node/io/files.js';
import { UsageError, type Command } from '../command.js';
import { readDocumentFile } from '../../node/io/read-document.js';

const shown = (l: LanguageShare): string => `${LANGUAGE_NAMES[l.lang]?.page ?? l.lang} ${Math.round(100 * l.share)}% (confidence ${l.conf.toFixed(2)})`;
const csvCell = (v: string | number): string => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const xmlText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export const languages: Command = {
  name: 'languages',
  summary: 'the languages of transcribed pages, for the catalogue (offline, with confidence)',
  usage: `htr-studio languages INPUT... [--json] [--threshold T] [-o OUTDIR] [--csv FILE] [--mods FILE]

  Identifies the language of every transcribed line (franc's trigram profiles,
  offline; French, Latin, Italian, Portuguese, Spanish, Catalan, Occitan, German,
  Dutch, English, Danish, Swedish, Polish, Czech, Hungarian, Greek, Arabic, Hebrew,
  Russian, Finnish, Lithuanian) and combines the lines of each page (and of all the
  inputs, the document) in reading order: chunks of consecutive lines vote for their
  language with their letters; a language is reported with its share of the text
  when its chunks together pass the confidence threshold (default 0.8), else it is
  listed for review, never reported. Lines whose own confidence is under the
  threshold are flagged. One line per page, then the document's languages.
  -o OUTDIR writes each PAGE file (2016 or later) with primaryLanguage /
  secondaryLanguage on the page and its text regions, and primaryLanguage on lines,
  where they pass the threshold. --csv FILE: one row per page. --mods FILE: the
  document's languages as MODS <language> (ISO 639-2/B codes) for a METS record.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, threshold: { type: 'string' }, output: { type: 'string', short: 'o' }, csv: { type: 'string' }, mods: { type: 'string' } },
    });
    if (!positionals.length) throw new UsageError('languages needs at least one PAGE or ALTO file');
    const threshold = values.threshold === undefined ? 0.8 : Number(values.threshold);
    if (!(threshold > 0 && threshold <= 1)) throw new UsageError('--threshold must be above 0 and at most 1');
    const docs = [];
    for (const file of positionals) docs.push({ id: file, name: path.basename(file), doc: (await readDocumentFile(file)).doc });
    const report = languagesReport(docs, threshold);
    const pages = [];
    for (const { id: file, doc } of docs) {
      const found = pageLanguages(doc, threshold);
      pages.push({
        file,
        languages: found.page.languages,
        review: found.page.doubtful,
        flaggedLines: found.page.flagged.map((i) => found.order[i]!.id),
        lines: found.order.filter((l) => lineText(l).trim()).length,
      });
      if (values.output) {
        if (!canWriteLanguages(doc)) io.err(`${file}: not written: languages go into PAGE 2016 or later (convert it with \`htr-studio convert --to page-2019\` first)`);
        else {
          await fs.mkdir(values.output, { recursive: true });
          await writeFileAtomic(path.join(values.output, path.basename(file)), writeDocument(withLanguages(doc, found)).xml);
        }
      }
    }
    const document = report.document;
    const summary = {
      threshold,
      document: { languages: document.languages, review: document.doubtful, flaggedLines: document.flagged.length, lines: pages.reduce((n, p) => n + p.lines, 0) },
      pages,
    };
    if (values.csv) {
      const rows = [['file', 'languages', 'for_review', 'lines', 'flagged_lines'].join(',')];
      for (const p of pages) rows.push([p.file, p.languages.map((l) => `${l.lang}:${l.share.toFixed(2)}:${l.conf.toFixed(2)}`).join(' '), p.review.map((l) => l.lang).join(' '), p.lines, p.flaggedLines.length].map(csvCell).join(','));
      await writeFileAtomic(values.csv, rows.join('\n') + '\n');
    }
    if (values.mods) {
      const terms = document.languages.map((l) => `  <mods:language>\n    <mods:languageTerm type="code" authority="iso639-2b">${xmlText(LANGUAGE_NAMES[l.lang]?.marc ?? l.lang)}</mods:languageTerm>\n    <mods:languageTerm type="text">${xmlText(LANGUAGE_NAMES[l.lang]?.page ?? l.lang)}</mods:languageTerm>\n  </mods:language>`);
      await writeFileAtomic(values.mods, `<?xml version="1.0" encoding="UTF-8"?>\n<mods:mods xmlns:mods="http://www.loc.gov/mods/v3">\n${terms.join('\n')}\n</mods:mods>\n`);
    }
    if (values.json) {
      io.out(JSON.stringify(summary, null, 2));
      return 0;
    }
    for (const p of pages) {
      io.out(`${p.file}\t${p.languages.map(shown).join('; ') || 'no language sure enough'}${p.review.length ? `\tfor review: ${p.review.map(shown).join('; ')}` : ''}\t${p.flaggedLines.length} of ${p.lines} lines flagged`);
    }
    io.out(`document: ${document.languages.map(shown).join('; ') || 'no language sure enough'}${document.doubtful.length ? `; for review: ${document.doubtful.map(shown).join('; ')}` : ''}`);
    return 0;
  },
};
