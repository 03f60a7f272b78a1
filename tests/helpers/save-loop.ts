/**
 * Child process of the kill-during-save test: saves one page of a project over
 * and over through the engine (LocalProjectService.savePage: revision check,
 * lock, atomic write), version after version, and prints "ack N" once version N
 * is acknowledged. Arguments: the project folder, the page id, the first version, the cache folder.
 */
import { LocalProjectService } from '../../electron/node/project/local-service.js';
import { pageVersion } from './page-versions.js';

async function main(): Promise<void> {
  const [root, pageId, from, cacheDir] = process.argv.slice(2);
  const service = new LocalProjectService(root!, { cacheDir: cacheDir! });
  let { revision } = await service.openPage(pageId!);
  for (let n = Number(from); ; n++) {
    const r = await service.savePage(pageId!, pageVersion(n), revision);
    revision = r.revision;
    process.stdout.write(`ack ${n}\n`);
  }
}

void main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(3);
});
