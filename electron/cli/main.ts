/**
 * The `htr-studio` command line. Commands are a public interface that archives
 * script: names, flags and output files are extended, never renamed.
 */
import { XmlError } from '../common/xml/xml-parse.js';
import { FormatError } from '../common/formats/format-error.js';
import { UsageError, type Command, type Io } from './command.js';
import { convert } from './commands/convert.js';
import { validate } from './commands/validate.js';
import { info } from './commands/info.js';
import { recognize } from './commands/recognize.js';
import { models } from './commands/models.js';
import { exportCmd } from './commands/export.js';
import { evalCmd } from './commands/eval.js';
import { segment } from './commands/segment.js';
import { processCmd } from './commands/process.js';
import { serve } from './commands/serve.js';
import { trainLm } from './commands/train-lm.js';
import { trainCmd } from './commands/train.js';
import { check } from './commands/check.js';
import { languages } from './commands/languages.js';
import { enqueue } from './commands/enqueue.js';
import { workerCmd } from './commands/worker.js';
import { queueCmd } from './commands/queue.js';
import { importCmd } from './commands/import.js';

export const COMMANDS: readonly Command[] = [importCmd, convert, validate, info, check, segment, recognize, processCmd, enqueue, workerCmd, queueCmd, exportCmd, evalCmd, trainLm, trainCmd, languages, models, serve];

const VERSION = '0.1.0';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'HTR Studio — local handwriting recognition and PAGE-XML ground truth',
    '',
    'Usage: htr-studio <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `htr-studio <command> --help` for a command\'s options.',
  ].join('\n');
}

const stdio: Io = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.out(VERSION);
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.err(`htr-studio: unknown command "${name}". Run htr-studio --help for the list.`);
    return 2;
  }
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
