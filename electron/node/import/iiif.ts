/**
 * IIIF Presentation 2 and 3 manifests, from a file or an http(s) URL: one page per
 * canvas, in the manifest's order, its image fetched politely (one request at a time,
 * a pause between them, Retry-After honoured), within a size limit (the announced
 * Content-Length and the bytes actually streamed), into `.htr-studio/downloads/`
 * inside the project, where a rerun after a failure or a cancel finds what was
 * already fetched and skips it.
 */
import fs from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ImportError, IMPORT_LIMITS } from './import-error.js';
import { fmtBytes } from './zip.js';
import type { PlanContext, PlannedPage } from './plan-types.js';

const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;
const DEFAULT_DELAY_MS = 250;
const TIMEOUT_MS = 120_000;
const USER_AGENT = 'HTR Studio (IIIF import; one request at a time)';

export function isIiifManifestText(text: string): boolean {
  return /iiif\.io\/api\/presentation\/[23]/.test(text.slice(0, 8192));
}

const isHttp = (u: string): boolean => /^https?:\/\//i.test(u);
const sha = (s: string): string => crypto.createHash('sha1').update(s).digest('hex').slice(0, 16);
const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason as Error)), { once: true });
  });

let lastRequest = 0;
/** Waits so that requests are at least `delay` ms apart (across manifests of one process), then fetches; 429/503 wait and retry. */
async function politeFetch(url: string, ctx: PlanContext): Promise<Response> {
  const delay = ctx.options.requestDelayMs ?? DEFAULT_DELAY_MS;
  for (let attempt = 0; ; attempt++) {
    const wait = lastRequest + delay - Date.now();
    if (wait > 0) await sleep(wait, ctx.options.signal);
    lastRequest = Date.now();
    const signals = [AbortSignal.timeout(TIMEOUT_MS), ...(ctx.options.signal ? [ctx.options.signal] : [])];
    let res: Response;
    try {
      res = await fetch(url, { headers: { 'user-agent': USER_AGENT, accept: 'application/ld+json, application/json, image/*;q=0.9, */*;q=0.5' }, signal: AbortSignal.any(signals), redirect: 'follow' });
    } catch (e) {
      ctx.options.signal?.throwIfAborted();
      throw new ImportError(`${url}: cannot be fetched: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`);
    }
    if ((res.status === 429 || res.status === 503) && attempt < 3) {
      const after = Math.min(30, Number(res.headers.get('retry-after')) || 2 ** attempt);
      await res.body?.cancel();
      await sleep(after * 1000, ctx.options.signal);
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new ImportError(`${url}: the server answered ${res.status} ${res.statusText}`);
    }
    return res;
  }
}

/** Streams a response into `file`, refusing more than `max` bytes (announced or received). */
async function download(res: Response, file: string, max: number, url: string, onBytes?: (n: number) => void): Promise<void> {
  const announced = Number(res.headers.get('content-length'));
  if (Number.isFinite(announced) && announced > max) {
    await res.body?.cancel();
    throw new ImportError(`${url} is ${fmtBytes(announced)}, more than the ${fmtBytes(max)} an image may have; refused`);
  }
  if (!res.body) throw new ImportError(`${url}: empty answer`);
  let seen = 0;
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
  body.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    onBytes?.(seen);
    if (seen > max) body.destroy(new ImportError(`${url} is more than the ${fmtBytes(max)} an image may have; refused`));
  });
  await pipeline(body, createWriteStream(file));
}

async function readManifest(source: string, ctx: PlanContext): Promise<unknown> {
  let text: string;
  if (isHttp(source)) {
    const res = await politeFetch(source, ctx);
    const tmp = path.join(await ctx.scratch(), 'manifest.json');
    await download(res, tmp, MAX_MANIFEST_BYTES, source);
    text = await fs.readFile(tmp, 'utf8');
  } else {
    const st = await fs.stat(source);
    if (st.size > MAX_MANIFEST_BYTES) throw new ImportError(`${source} is too large for a IIIF manifest`);
    text = await fs.readFile(source, 'utf8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ImportError(`${source} is not a IIIF manifest (not JSON)`);
  }
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A label as text: v2 a string (or a list of {@value}), v3 a language map. */
function labelText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return labelText(v[0]);
  const o = obj(v);
  if (!o) return '';
  if (typeof o['@value'] === 'string') return o['@value'];
  const first = Object.values(o)[0];
  return Array.isArray(first) && typeof first[0] === 'string' ? first[0] : '';
}

/** The image URL of an image resource: its own id, else the full image from its image service. */
function imageUrl(resource: Json | undefined, version: 2 | 3): string | undefined {
  if (!resource) return undefined;
  const id = str(resource.id) ?? str(resource['@id']);
  const service = obj(arr(resource.service)[0]);
  const base = service && (str(service.id) ?? str(service['@id']));
  if (id && !/\/info\.json$/.test(id)) return id;
  if (base) return `${base.replace(/\/$/, '')}/full/${version === 3 && !/ImageService2/.test(str(service.type) ?? str(service['@type']) ?? '') ? 'max' : 'full'}/0/default.jpg`;
  return undefined;
}

/** Canvases of a manifest: [label, image URL] in order. */
export function manifestCanvases(manifest: unknown, source: string): { label: string; url: string }[] {
  const m = obj(manifest);
  const context = JSON.stringify(m?.['@context'] ?? '');
  if (!m || !/iiif\.io\/api\/presentation\/[23]/.test(context)) throw new ImportError(`${source} is not a IIIF Presentation 2 or 3 manifest`);
  const v3 = /presentation\/3/.test(context);
  const type = str(m.type) ?? str(m['@type']) ?? '';
  if (/Collection/i.test(type)) throw new ImportError(`${source} is a IIIF Collection, not a manifest; import the manifests it lists`);
  const canvases = v3 ? arr(m.items).map(obj) : arr(obj(arr(m.sequences)[0])?.canvases).map(obj);
  const out: { label: string; url: string }[] = [];
  for (const [i, c] of canvases.entries()) {
    let resource = v3
      ? obj(arr(obj(arr(obj(arr(c?.items)[0])?.items)[0])?.body)[0])
      : obj(obj(arr(c?.images)[0])?.resource);
    // Several versions of one image (v3 Choice, v2 oa:Choice): the first, the default.
    if (/Choice/.test(str(resource?.type) ?? str(resource?.['@type']) ?? '')) resource = obj(arr(resource?.items)[0]) ?? obj(resource?.default);
    const url = imageUrl(resource, v3 ? 3 : 2);
    if (!url) throw new ImportError(`${source}: canvas ${i + 1} has no image`);
    if (!isHttp(url)) throw new ImportError(`${source}: canvas ${i + 1}'s image ${url} is not an http(s) address; refused`);
    out.push({ label: labelText(c?.label), url });
  }
  if (!out.length) throw new ImportError(`${source}: the manifest has no canvases`);
  return out;
}

export async function planIiif(source: string, ctx: PlanContext): Promise<PlannedPage[]> {
  const canvases = manifestCanvases(await readManifest(source, ctx), source);
  const width = Math.max(4, String(canvases.length).length);
  // Downloads are kept per manifest, so a rerun of the same manifest finds them.
  const dir = sha(isHttp(source) ? source : path.resolve(source));
  return canvases.map((c, i) => {
    const n = String(i + 1).padStart(width, '0');
    const label = c.label.trim().slice(0, 60);
    return { name: label ? `${n}_${label}` : n, image: { kind: 'url', url: c.url, cacheKey: `${dir}/${n}-${sha(c.url)}` }, origin: c.url };
  });
}

/** The image of a canvas, fetched unless a previous run already did; returns the file in the downloads folder. */
export async function fetchImage(url: string, cacheKey: string, ctx: PlanContext): Promise<string> {
  const file = path.join(ctx.stagingRoot, 'downloads', ...cacheKey.split('/'));
  if (await fs.stat(file).then((s) => s.isFile(), () => false)) return file;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const res = await politeFetch(url, ctx);
  const part = `${file}.part`;
  const total = Number(res.headers.get('content-length')) || 0;
  try {
    await download(res, part, ctx.options.maxImageBytes ?? IMPORT_LIMITS.downloadMaxBytes, url, (n) =>
      ctx.options.onProgress?.({ phase: 'download', done: n, total, message: url }),
    );
  } catch (e) {
    await fs.rm(part, { force: true });
    ctx.options.signal?.throwIfAborted();
    throw e instanceof ImportError ? e : new ImportError(`${url}: the download failed: ${(e as Error).message}`);
  }
  // Only a complete image gets its final name: a rerun never takes a cut-off one.
  await fs.rename(part, file);
  return file;
}

/** The manifests' download folders of a finished import, removed once their images are in the project. */
export async function removeDownloads(stagingRoot: string, cacheKeys: readonly string[]): Promise<void> {
  const dirs = new Set(cacheKeys.map((k) => k.split('/')[0]!));
  for (const d of dirs) await fs.rm(path.join(stagingRoot, 'downloads', d), { recursive: true, force: true });
  await fs.rmdir(path.join(stagingRoot, 'downloads')).catch(() => undefined);
}
