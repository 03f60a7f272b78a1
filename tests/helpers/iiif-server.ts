/** A local HTTP server for IIIF import tests: manifests (Presentation 2 and 3) and images, counting requests, with switches for failures. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

export interface IiifServer {
  readonly base: string;
  /** Requests per path. */
  readonly hits: Map<string, number>;
  /** Paths answered 500 (to make a run fail midway). */
  readonly failing: Set<string>;
  /** Milliseconds each image answer is held before it starts (to cancel during a download). */
  slowMs: number;
  close(): Promise<void>;
}

/** Three small PNG pages (grey levels 40, 120, 200), a v2 and a v3 manifest of them, a huge image and an endless one. */
export async function startIiifServer(): Promise<IiifServer> {
  const images = await Promise.all([40, 120, 200].map((g) => sharp({ create: { width: 60, height: 40, channels: 3, background: { r: g, g, b: g } } }).png().toBuffer()));
  const hits = new Map<string, number>();
  const failing = new Set<string>();
  const state = { slowMs: 0 };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const base = `http://${req.headers.host}`;
    if (failing.has(url.pathname)) {
      res.writeHead(500).end('broken');
      return;
    }
    const img = /^\/img\/(\d)\.png$/.exec(url.pathname);
    if (img) {
      setTimeout(() => res.writeHead(200, { 'content-type': 'image/png', 'content-length': images[Number(img[1])]!.length }).end(images[Number(img[1])]), state.slowMs);
      return;
    }
    if (url.pathname === '/huge.png') {
      // Announces 5 GB: refused from the header, before any byte.
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(5 * 1024 ** 3) });
      res.end();
      return;
    }
    if (url.pathname === '/endless.png') {
      // No length announced: the streamed bytes are counted.
      res.writeHead(200, { 'content-type': 'image/png' });
      const chunk = Buffer.alloc(64 * 1024);
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(chunk)), 1);
      res.on('close', () => clearInterval(timer));
      return;
    }
    const json = (o: unknown): void => void res.writeHead(200, { 'content-type': 'application/ld+json' }).end(JSON.stringify(o));
    if (url.pathname === '/v2/manifest.json') return json(manifestV2(base, [0, 1, 2].map((i) => `${base}/img/${i}.png`)));
    if (url.pathname === '/v3/manifest.json') return json(manifestV3(base, [0, 1, 2].map((i) => `${base}/img/${i}.png`)));
    if (url.pathname === '/huge/manifest.json') return json(manifestV3(base, [`${base}/huge.png`]));
    if (url.pathname === '/endless/manifest.json') return json(manifestV2(base, [`${base}/endless.png`]));
    if (url.pathname === '/file-scheme/manifest.json') return json(manifestV3(base, ['file:///etc/passwd']));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    hits,
    failing,
    get slowMs() {
      return state.slowMs;
    },
    set slowMs(v: number) {
      state.slowMs = v;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function manifestV2(base: string, urls: readonly string[]): unknown {
  return {
    '@context': 'http://iiif.io/api/presentation/2/context.json',
    '@id': `${base}/v2/manifest.json`,
    '@type': 'sc:Manifest',
    label: 'Test manuscript',
    sequences: [{ '@type': 'sc:Sequence', canvases: urls.map((u, i) => ({ '@id': `${base}/c${i}`, '@type': 'sc:Canvas', label: `f. ${i + 1}r`, width: 60, height: 40, images: [{ '@type': 'oa:Annotation', motivation: 'sc:painting', on: `${base}/c${i}`, resource: { '@id': u, '@type': 'dctypes:Image', format: 'image/png' } }] })) }],
  };
}

export function manifestV3(base: string, urls: readonly string[]): unknown {
  return {
    '@context': 'http://iiif.io/api/presentation/3/context.json',
    id: `${base}/v3/manifest.json`,
    type: 'Manifest',
    label: { en: ['Test manuscript'] },
    items: urls.map((u, i) => ({
      id: `${base}/canvas/${i}`,
      type: 'Canvas',
      label: { none: [`p. ${i + 1}`] },
      width: 60,
      height: 40,
      items: [{ id: `${base}/page/${i}`, type: 'AnnotationPage', items: [{ id: `${base}/anno/${i}`, type: 'Annotation', motivation: 'painting', target: `${base}/canvas/${i}`, body: { id: u, type: 'Image', format: 'image/png' } }] }],
    })),
  };
}
