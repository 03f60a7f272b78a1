import { parseArgs } from 'node:util';
import { splitPages } from '../../common/formats/document-io.js';
import { checkGroundTruth, type GtProblem } from '../../common/gt/gt-checks.js';
import { listModels, pickRecognizer } from '../../node/models/registry.js';
import { readDocumentFile } from '../../node/io/read-document.js';
import { UsageError, type Command } from '../command.js';

export const check: Command = {
  name: 'check',
  summary: 'check transcribed pages as training ground truth (baselines, polygons, text, charset)',
  usage: `htr-studio check INPUT... [--model ID|DIR] [--json]

  For each PAGE/ALTO file, every problem that would make a trainer skip a line or
  learn the wrong thing: lines without text, without a baseline (or with one
  point), a baseline mostly outside its polygon, degenerate or self-crossing
  polygons, text not in Unicode NFC, and the structural problems validate reports
  (duplicate ids, points outside the image…). --model also lists characters that
  model's charset lacks. One line per problem (file, line id, rule, what); a
  summary per rule. Exit 1 when any problem is found, 2 on unreadable input.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, options: { model: { type: 'string', short: 'm' }, json: { type: 'boolean' } }, allowPositionals: true });
    if (!positionals.length) throw new UsageError('check needs at least one PAGE or ALTO file');
    let charset: Set<string> | undefined;
    if (values.model) {
      const m = pickRecognizer(listModels().models, values.model);
      if (!m.manifest.charset) throw new UsageError(`--model: ${values.model} has no charset to check against`);
      charset = new Set(m.manifest.charset);
    }
    const files: { file: string; problems: GtProblem[] }[] = [];
    for (const file of positionals) {
      const { doc } = await readDocumentFile(file);
      const pages = splitPages(doc);
      const problems = pages.flatMap((p, i) => checkGroundTruth(p, { ...(charset && { charset }) }).map((x) => (pages.length > 1 ? { ...x, message: `page ${i + 1}: ${x.message}` } : x)));
      files.push({ file, problems });
    }
    const byRule: Record<string, number> = {};
    for (const p of files.flatMap((f) => f.problems)) byRule[p.rule] = (byRule[p.rule] ?? 0) + 1;
    const total = Object.values(byRule).reduce((a, b) => a + b, 0);
    if (values.json) io.out(JSON.stringify({ problems: total, byRule, files }, null, 2));
    else {
      for (const f of files) for (const p of f.problems) io.out(`${f.file}\t${p.id || '-'}\t${p.rule}\t${p.message}`);
      io.out(total ? `${total} problem(s): ${Object.entries(byRule).map(([r, n]) => `${r} ${n}`).join(', ')}` : `no problems in ${files.length} file(s)`);
    }
    return total ? 1 : 0;
  },
};
