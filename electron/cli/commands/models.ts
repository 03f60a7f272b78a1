import { parseArgs } from 'node:util';
import { listModels } from '../../node/models/registry.js';
import type { Command } from '../command.js';

export const models: Command = {
  name: 'models',
  summary: 'list installed recognition and layout models with their manifests',
  usage: `htr-studio models [--json]`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
    const { models: all, broken } = listModels();
    if (values.json) {
      io.out(JSON.stringify({ models: all.map((m) => ({ ...m.manifest, origin: m.origin, dir: m.dir ?? m.tessdata?.dir })), broken }, null, 2));
    } else {
      for (const m of all) io.out(`${m.manifest.id.padEnd(20)} ${m.manifest.task.padEnd(12)} ${m.manifest.family.padEnd(10)} ${m.manifest.name}  [${m.origin}, ${m.manifest.licence}]`);
      for (const b of broken) io.err(`broken model in ${b.dir}: ${b.error}`);
    }
    return 0;
  },
};
