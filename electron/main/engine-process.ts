/**
 * Starts the engine (`htr-studio serve --parent-port`) in an Electron utility
 * process, so page decoding, tiling and recognition never run on the main
 * process that keeps the window responsive. If the engine dies it is started
 * again on the next call, with the last project reopened.
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import type { JobEventListener } from '../common/api/service.js';
import { JobEventHub } from '../common/api/job-events.js';
import { EngineClient, type MessageLink } from '../node/server/engine-port.js';
import type { RuntimePaths } from '../node/paths.js';

export interface EngineOptions {
  /** The app's paths (electron/node/paths.ts): the engine's entry, and in an installed app its resources folder. */
  readonly paths: RuntimePaths;
  /** Each chunk the engine writes to stdout or stderr (the session log); in a checkout also passed on to this process's own. */
  readonly onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer | string) => void;
  readonly onExit?: (code: number) => void;
}

export class EngineProcess {
  private child: UtilityProcess | null = null;
  private client: EngineClient | null = null;
  private lastProject: string | null = null;
  private readonly events = new JobEventHub();

  constructor(private readonly opts: EngineOptions) {}

  /** The running engine, started when there is none. */
  get(): EngineClient {
    if (this.client) return this.client;
    const { paths, onOutput, onExit } = this.opts;
    // The engine learns the installed app's layout from HTR_STUDIO_RESOURCES (a utility process has no app.isPackaged).
    const env = { ...process.env, ...(paths.resources && { HTR_STUDIO_RESOURCES: paths.resources }) };
    const args = ['serve', '--parent-port', ...(this.lastProject ? ['--project', this.lastProject] : [])];
    const child = utilityProcess.fork(paths.engineEntry, args, { serviceName: 'HTR Studio engine', stdio: 'pipe', env });
    // Passed on to this process's own output in a checkout (`npm start` shows it); an installed app has the log file only.
    const echo = paths.mode !== 'packaged';
    child.stdout?.on('data', (chunk: Buffer) => {
      if (echo) process.stdout.write(chunk);
      onOutput?.('stdout', chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (echo) process.stderr.write(chunk);
      onOutput?.('stderr', chunk);
    });
    const link: MessageLink = {
      post: (m) => child.postMessage(m),
      onMessage: (l) => {
        child.on('message', l);
        return () => child.off('message', l);
      },
    };
    const client = new EngineClient(link);
    client.subscribe((e) => this.events.emit(e));
    child.once('exit', (code) => {
      onExit?.(code);
      client.fail(`the HTR Studio engine stopped (exit code ${code}); try again`);
      if (this.client === client) {
        this.client = null;
        this.child = null;
      }
    });
    const open = client.open.bind(client);
    client.open = async (dir) => {
      const info = await open(dir);
      this.lastProject = info.dir;
      return info;
    };
    this.child = child;
    this.client = client;
    return client;
  }

  /** Job events of whichever engine is running. */
  subscribe(listener: JobEventListener): () => void {
    return this.events.subscribe(listener);
  }

  stop(): void {
    this.child?.kill();
    this.child = null;
    this.client = null;
  }
}
