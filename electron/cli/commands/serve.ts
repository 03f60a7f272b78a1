import { parseArgs } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError, type Command } from '../command.js';
import { ProjectHost } from '../../node/project/project-host.js';
import { ApiError } from '../../common/api/errors.js';
import { openSessionLog } from '../../node/session-log.js';
import { startStudioServer } from '../../node/server/http-server.js';
import { serveOverLink, type MessageLink } from '../../node/server/engine-port.js';
import { resolvePaths, runtimePaths, setRuntimePaths } from '../../node/paths.js';
import { preloadImageCodec } from '../../node/tiles/pyramid.js';

/** The built editor: dist/renderer of the checkout or of the installed app (electron/node/paths.ts). */
function rendererDir(): string {
  const candidates = [runtimePaths().renderer, path.resolve(process.cwd(), 'dist/renderer')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'index.html'))) ?? candidates[0]!;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  off(event: 'message', listener: (e: { data: unknown }) => void): void;
}

/** The channel to the process that started this one: Electron's utility-process port, or Node's fork IPC. */
function parentLink(): MessageLink | undefined {
  const port = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (port) {
    return {
      post: (m) => port.postMessage(m),
      onMessage: (l) => {
        const wrapped = (e: { data: unknown }): void => l(e.data);
        port.on('message', wrapped);
        return () => port.off('message', wrapped);
      },
    };
  }
  if (!process.send) return undefined;
  return {
    post: (m) => process.send!(m),
    onMessage: (l) => {
      process.on('message', l);
      return () => process.off('message', l);
    },
  };
}

function untilStopped(alsoOn?: 'disconnect'): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (alsoOn) process.off(alsoOn, stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (alsoOn) process.on(alsoOn, stop);
  });
}

/** The desktop app's engine: no HTTP at all, the service answered over the parent's message port. */
async function serveParent(project: string | undefined): Promise<number> {
  const link = parentLink();
  if (!link) throw new UsageError('--parent-port: this process was not started by HTR Studio (no parent message port)');
  const host = new ProjectHost(runtimePaths().tileCache);
  if (project) await host.open(project);
  const stop = serveOverLink(link, host);
  void preloadImageCodec();
  await untilStopped('disconnect');
  stop();
  await host.dispose();
  return 0;
}

export const serve: Command = {
  name: 'serve',
  summary: 'open the page editor in a web browser (local only, for machines without the desktop app)',
  usage: `htr-studio serve [--port N] [--project DIR | --start-screen]
  --project DIR  folder of page images with their PAGE-XML beside them or in page/ (default: current folder)
  --start-screen open no project: the editor shows its start screen (open, create, recent, the sample)
  --port N       port on 127.0.0.1 (default: any free port)
  --parent-port  (used by the desktop app) serve the engine to the parent process instead of over HTTP
The first line printed is the address to open; it carries a one-time access token.`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { port: { type: 'string' }, project: { type: 'string' }, 'start-screen': { type: 'boolean' }, 'parent-port': { type: 'boolean' } } });
    if (values['parent-port']) return serveParent(values.project && path.resolve(values.project));
    setRuntimePaths(resolvePaths({ browser: true }));
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${values.port}"`);
    if (values['start-screen'] && values.project !== undefined) throw new UsageError('--start-screen and --project exclude each other');
    const project = values['start-screen'] ? undefined : path.resolve(values.project ?? '.');
    if (project && !fs.statSync(project, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--project: no such folder: ${project}`);
    const renderer = rendererDir();
    if (!fs.existsSync(path.join(renderer, 'index.html'))) {
      io.err(`htr-studio serve: the editor is not built (${renderer} is missing); run \`npm run build\` first`);
      return 2;
    }
    // This session's log (as the desktop app keeps one), shown on the start screen; never sent anywhere.
    const log = openSessionLog(runtimePaths().logs);
    log.write('serve', `htr-studio serve (browser mode), ${process.platform} ${process.arch}; user models ${runtimePaths().userModels}`);
    // The same engine as the desktop app's: the start screen can open another folder (the old lock released, the new one taken).
    const host = new ProjectHost(runtimePaths().tileCache, undefined, { lockedBy: 'htr-studio serve', sessionLog: log.file ?? null });
    let info;
    try {
      info = project ? await host.open(project) : null;
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'conflict')) throw e;
      io.err(`htr-studio serve: ${e.message}`);
      await host.dispose();
      return 2;
    }
    if (info) log.write('serve', `project opened: ${info.dir}`);
    const server = await startStudioServer({ service: host, events: host.jobEvents, port, rendererDir: renderer });
    // First line: the address, so scripts and tests can read it.
    io.out(server.url);
    void preloadImageCodec();
    const what = info ? `${info.name} (${info.pageCount} page${info.pageCount === 1 ? '' : 's'})` : 'the start screen (no project open yet)';
    io.err(`Serving ${what} on 127.0.0.1 only. Open the address above; press Ctrl+C to stop.`);
    await untilStopped();
    await server.close();
    await host.dispose();
    log.write('serve', 'stopped');
    return 0;
  },
};
