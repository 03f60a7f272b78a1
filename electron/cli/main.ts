/**
 * The `htr-studio` command line. Commands are a public interface that archives
 * script: names, flags and output files are extended, never renamed.
 */
import { XmlError } from '../common/xml/xml-parse.js';
import { FormatError } from '../common/formats/format-error.js';
import { UsageError, type Command, type Io } from './command.js';
import { boundHeapGrowth } from './heap-growth.js';

/**
 * Each command by name, its module loaded only when it runs (or for --help): `info` or
 * `convert` never load the engines other commands need (onnxruntime, sharp, tesseract,
 * the language profiles), which took ~60 MB before a page file was read.
 */
const COMMAND_MODULES: readonly (readonly [string, () => Promise<Command>])[] = [
  ['import', () => import('./commands/import.js').then((m) => m.importCmd)],
  ['convert', () => import('./commands/convert.js').then((m) => m.convert)],
  ['validate', () => import('./commands/validate.js').then((m) => m.validate)],
  ['info', () => import('./commands/info.js').then((m) => m.info)],
  ['check', () => import('./commands/check.js').then((m) => m.check)],
  ['segment', () => import('./commands/segment.js').then((m) => m.segment)],
  ['recognize', () => import('./commands/recognize.js').then((m) => m.recognize)],
  ['process', () => import('./commands/process.js').then((m) => m.processCmd)],
  ['enqueue', () => import('./commands/enqueue.js').then((m) => m.enqueue)],
  ['worker', () => import('./commands/worker.js').then((m) => m.workerCmd)],
  ['queue', () => import('./commands/queue.js').then((m) => m.queueCmd)],
  ['export', () => import('./commands/export.js').then((m) => m.exportCmd)],
  ['eval', () => import('./commands/eval.js').then((m) => m.evalCmd)],
  ['train-lm', () => import('./commands/train-lm.js').then((m) => m.trainLm)],
  ['train', () => import('./commands/train.js').then((m) => m.trainCmd)],
  ['languages', () => import('./commands/languages.js').then((m) => m.languages)],
  ['models', () => import('./commands/models.js').then((m) => m.models)],
  ['serve', () => import('./commands/serve.js').then((m) => m.serve)],
];

/** Every command, in the order --help lists them. */
export async function loadCommands(): Promise<Command[]> {
  return Promise.all(COMMAND_MODULES.map(([, load]) => load()));
}

const VERSION = '0.1.0';

function help(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'HTR Studio — local handwriting recognition and PAGE-XML ground truth',
    '',
    'Usage: htr-studio <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `htr-studio <command> --help` for a command\'s options.',
  ].join('\n');
}

const stdio: Io = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  boundHeapGrowth();
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help(await loadCommands()));
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.out(VERSION);
    return 0;
  }
  const load = COMMAND_MODULES.find(([n]) => n === name)?.[1];
  if (!load) {
    io.err(`htr-studio: unknown command "${name}". Run htr-studio --help for the list.`);
    return 2;
  }
  const cmd = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: ${cmd.usage}`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    const err = e as Error & { code?: string };
    // parseArgs reports unknown flags with a code; those are usage errors too.
    const usage = e instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS');
    const message = e instanceof XmlError || e instanceof FormatError || e instanceof Error ? err.message : String(e);
    io.err(`htr-studio ${cmd.name}: ${message}`);
    if (usage) io.err(`Usage: ${cmd.usage.split('\n')[0]}`);
    return 2;
  }
}
