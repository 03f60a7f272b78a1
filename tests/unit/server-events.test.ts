/**
 * Job events across both transports: Server-Sent Events under /api/events in
 * browser mode (behind the same token, Host and Origin checks as every API
 * route), and the engine's message port the desktop app uses to run the engine
 * in a utility process (here over a Node MessageChannel).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pyramidBuildsSettled } from '../../electron/node/tiles/pyramid.js';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import type { JobEvent } from '../../electron/common/api/service.js';
import { JobEventHub } from '../../electron/common/api/job-events.js';
import { startStudioServer, type RunningServer } from '../../electron/node/server/http-server.js';
import { LocalProjectService } from '../../electron/node/project/local-service.js';
import { ProjectHost } from '../../electron/node/project/project-host.js';
import { RecentProjects } from '../../electron/node/project/recent-projects.js';
import { EngineClient, serveOverLink, type MessageLink } from '../../electron/node/server/engine-port.js';
import { CORPUS } from '../helpers/corpus.js';

const TOKEN = 'test-token-0123456789abcdefXYZ';
const PAGE_DIR = path.join(CORPUS, 'escriptorium-timeuscorpus', 'cph_paris_tissage_1858');
const NAME = 'PH 1858-535';

let root: string;
let server: RunningServer;
const hub = new JobEventHub();

function get(urlPath: string, headers: Record<string, string>): Promise<{ status: number; firstChunk: string; res: http.IncomingMessage; req: http.ClientRequest }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: urlPath, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      res.once('data', (d) => resolve({ status: res.statusCode!, firstChunk: String(d), res, req }));
    });
    req.on('error', reject);
  });
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-events-'));
  fs.mkdirSync(path.join(root, 'project', 'page'), { recursive: true });
  fs.copyFileSync(path.join(PAGE_DIR, `${NAME}.jpg`), path.join(root, 'project', `${NAME}.jpg`));
  fs.copyFileSync(path.join(PAGE_DIR, 'page', `${NAME}.xml`), path.join(root, 'project', 'page', `${NAME}.xml`));
  const service = new LocalProjectService(path.join(root, 'project'), { cacheDir: path.join(root, 'cache'), events: hub });
  server = await startStudioServer({ service, events: service.jobEvents, port: 0, rendererDir: root, token: TOKEN });
});

afterAll(async () => {
  await server?.close();
  // Opening a page builds its pyramid behind the answer: let it finish before its cache goes.
  await pyramidBuildsSettled();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('job events over HTTP (Server-Sent Events)', () => {
  it('streams each job event to a client holding the token', async () => {
    const { status, firstChunk, res, req } = await get('/api/events', { authorization: `Bearer ${TOKEN}` });
    expect(status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers['content-security-policy']).toBeTruthy();
    expect(firstChunk).toContain(': connected');
    await expect.poll(() => hub.size).toBe(1);
    const got = new Promise<string>((resolve) => res.once('data', (d) => resolve(String(d))));
    const event: JobEvent = { type: 'progress', jobId: 'job-1', done: 3, total: 48, pageId: 'p', label: 'PH' };
    hub.emit(event);
    const chunk = await got;
    expect(chunk).toBe(`event: job\ndata: ${JSON.stringify(event)}\n\n`);
    req.destroy();
    // The subscription ends with the connection.
    await expect.poll(() => hub.size).toBe(0);
  });

  it('refuses the stream without the token (401) or from a foreign origin (403)', async () => {
    expect((await get('/api/events', {})).status).toBe(401);
    expect((await get('/api/events', { authorization: `Bearer ${TOKEN}`, origin: 'http://evil.example' })).status).toBe(403);
    expect((await get('/api/events', { authorization: `Bearer ${TOKEN}`, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(hub.size).toBe(0);
  });
});

describe('the engine over a message port (the desktop app\'s utility process)', () => {
  it('answers calls, opens projects, validates arguments and forwards job events', async () => {
    const { port1, port2 } = new MessageChannel();
    const link = (p: typeof port1): MessageLink => ({
      post: (m) => p.postMessage(m),
      onMessage: (l) => {
        p.on('message', l);
        return () => p.off('message', l);
      },
    });
    // Its own recent projects: a test never writes into the real user data folder.
    const host = new ProjectHost(path.join(root, 'cache'), undefined, { recent: new RecentProjects(path.join(root, 'user-data')) });
    const stop = serveOverLink(link(port1), host);
    const client = new EngineClient(link(port2));
    try {
      expect(await client.service.getProject()).toBeNull();
      await expect(client.service.listPages()).rejects.toMatchObject({ code: 'not-found' });
      const info = await client.open(path.join(root, 'project'));
      expect(info.pageCount).toBe(1);
      const pages = await client.service.listPages();
      expect(pages.map((p) => p.id)).toEqual([`${NAME}.jpg`]);
      const opened = await client.service.openPage(pages[0]!.id);
      expect(opened.image?.width).toBeGreaterThan(1000);
      const tile = await client.service.getTile(pages[0]!.id, 0, 0, 0);
      expect(tile[0]).toBe(0xff); // a JPEG, intact across the port
      await expect(client.service.openPage('../x')).rejects.toMatchObject({ code: 'bad-request' });
      const events: JobEvent[] = [];
      client.subscribe((e) => events.push(e));
      host.events.emit({ type: 'finished', jobId: 'job-2', status: 'done', message: 'ok' });
      await expect.poll(() => events).toEqual([{ type: 'finished', jobId: 'job-2', status: 'done', message: 'ok' }]);
      // An engine that stopped answers every waiting and later call with an error, not a hang.
      client.fail('engine stopped');
      await expect(client.service.listPages()).rejects.toMatchObject({ code: 'internal', message: 'engine stopped' });
    } finally {
      stop();
      port1.close();
      port2.close();
      await host.dispose();
    }
  });
});
