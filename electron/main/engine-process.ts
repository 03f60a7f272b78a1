/**
 * Starts the engine (`htr-studio serve --parent-port`) in an Electron utility
 * process, so page decoding, tiling and recognition never run on the main
 * process that keeps the window responsive. If the engine dies it is started
 * again on the next call, with the last project reopened.
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import path from 'node:path';
import type { JobEventListener } from '../common/api/service.js';
import { JobEventHub } from '../common/api/job-events.js';
import { EngineClient, type MessageLink } from '../node/server/engine-port.js';

/** The CLI's entry beside the app's dist/ folder: dist/electron/main.cjs → bin/htr-studio.cjs. */
export const ENGINE_ENTRY = path.join(__dirname, '..', '..', 'bin', 'htr-studio.cjs');

export class EngineProcess {
  private child: UtilityProcess | null = null;
  private client: EngineClient | null = null;
  private lastProject: string | null = null;
  private readonly events = new JobEventHub();

  /** The running engine, started when there is none. */
  get(): EngineClient {
    if (this.client) return this.client;
    const child = utilityProcess.fork(ENGINE_ENTRY, ['serve', '--parent-port', ...(this.lastProject ? ['--project', this.lastProject] : [])], { serviceName: 'HTR Studio engine', stdio: 'inherit' });
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
