/**
 * The engine side of the service interface for one project folder: lists pages,
 * reads and atomically writes their files, and serves image tiles. Both hosts
 * use it (HTTP server in browser mode, IPC in Electron); arguments arrive
 * already checked by the schema in common/api/methods.ts.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { OpenedPage, PageSummary, ProjectInfo, SaveResult, StudioService } from '../../common/api/service.js';
import { ApiError } from '../../common/api/errors.js';
import { readDocument } from '../../common/formats/document-io.js';
import { readXmlFile, writeFileAtomic } from '../io/files.js';
import { imageHeader, shouldOrient, TileCache } from '../tiles/pyramid.js';
import { newXmlFileFor, relativeId, scanProject, type ScannedPage } from './scan.js';
import { blankPageXml } from './blank-page.js';

export interface LocalServiceOptions {
  readonly cacheDir: string;
}

/** A file version: changes whenever the file is rewritten (by us or anyone else). */
async function revisionOf(file: string): Promise<string | null> {
  const st = await fs.stat(file).catch(() => undefined);
  return st ? `${Math.round(st.mtimeMs)}-${st.size}` : null;
}

function declaredSize(xml: string): { width: number; height: number } | undefined {
  const w = /\bimageWidth\s*=\s*"(\d+)"/.exec(xml) ?? /<(?:\w+:)?Page\b[^>]*\bWIDTH\s*=\s*"(\d+)"/.exec(xml);
  const h = /\bimageHeight\s*=\s*"(\d+)"/.exec(xml) ?? /<(?:\w+:)?Page\b[^>]*\bHEIGHT\s*=\s*"(\d+)"/.exec(xml);
  return w && h ? { width: Number(w[1]), height: Number(h[1]) } : undefined;
}

export class LocalProjectService implements StudioService {
  readonly root: string;
  private pages: ScannedPage[] | undefined;
  private readonly tiles: TileCache;
  /** Per page: whether its tiles are EXIF-rotated, decided when it was opened. */
  private readonly orientation = new Map<string, boolean>();

  constructor(root: string, opts: LocalServiceOptions) {
    this.root = path.resolve(root);
    this.tiles = new TileCache(opts.cacheDir);
  }

  async getProject(): Promise<ProjectInfo> {
    const pages = await this.scan();
    return { name: path.basename(this.root), dir: this.root, pageCount: pages.length };
  }

  async listPages(): Promise<PageSummary[]> {
    return (await this.scan()).map(({ id, name, xmlPath, imagePath }) => ({ id, name, xmlPath, imagePath }));
  }

  async openPage(pageId: string): Promise<OpenedPage> {
    const page = await this.find(pageId);
    let xml: string;
    let revision: string | null = null;
    if (page.xmlFile) {
      xml = await readXmlFile(page.xmlFile);
      revision = await revisionOf(page.xmlFile);
    } else {
      const h = await imageHeader(page.imageFile!);
      xml = blankPageXml(path.basename(page.imageFile!), h.width, h.height);
    }
    let image = null;
    if (page.imageFile) {
      const orient = shouldOrient(await imageHeader(page.imageFile), declaredSize(xml));
      this.orientation.set(pageId, orient);
      image = (await this.tiles.pyramid(page.imageFile, orient)).info;
    }
    return { id: pageId, xml, revision, image };
  }

  async savePage(pageId: string, xml: string, baseRevision: string | null): Promise<SaveResult> {
    const page = await this.find(pageId);
    // Refuse anything that is not a readable PAGE/ALTO document: a save must never leave a broken file.
    try {
      readDocument(xml);
    } catch (e) {
      throw new ApiError('bad-request', `not saved: the page does not read back (${(e as Error).message})`);
    }
    const file = page.xmlFile ?? (await newXmlFileFor(this.root, page.imageFile!));
    const current = await revisionOf(file);
    if (current !== baseRevision) {
      throw new ApiError('conflict', current === null
        ? `not saved: ${relativeId(this.root, file)} was removed since it was opened`
        : `not saved: ${relativeId(this.root, file)} was changed by another program since it was opened`);
    }
    await writeFileAtomic(file, xml);
    if (!page.xmlFile) this.pages = undefined; // the image-only page now has a file: rescan next time
    return { revision: (await revisionOf(file))!, xmlPath: relativeId(this.root, file) };
  }

  async getTile(pageId: string, level: number, col: number, row: number): Promise<Uint8Array> {
    const page = await this.find(pageId);
    if (!page.imageFile) throw new ApiError('not-found', `page "${pageId}" has no image`);
    const tile = await this.tiles.tile(page.imageFile, this.orientation.get(pageId) ?? false, level, col, row);
    if (!tile) throw new ApiError('not-found', `no tile ${level}/${col}_${row}`);
    return new Uint8Array(tile.buffer, tile.byteOffset, tile.byteLength);
  }

  async chooseProject(): Promise<ProjectInfo | null> {
    throw new ApiError('unsupported', 'choosing a folder is not available here; start with --project DIR');
  }

  private async scan(): Promise<ScannedPage[]> {
    this.pages = await scanProject(this.root);
    return this.pages;
  }

  /** Only ids the scan produced resolve to files: an id is never turned into a path directly. */
  private async find(pageId: string): Promise<ScannedPage> {
    let page = (this.pages ?? (await this.scan())).find((p) => p.id === pageId);
    if (!page) page = (await this.scan()).find((p) => p.id === pageId);
    if (!page) throw new ApiError('not-found', `no page "${pageId}" in this project`);
    return page;
  }
}
