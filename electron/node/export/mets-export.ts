/**
 * `export --format mets`: an OCR-D workspace of the exported pages — OUTDIR/mets.xml
 * with the images copied into OCR-D-IMG/ and each page as PAGE 2019 in
 * OCR-D-GT-SEG-LINE/ (its imageFilename naming the image relative to the workspace,
 * as OCR-D tools resolve it), pages in the order given. Copied, not referenced: an
 * export is made to be moved or handed on, and relative paths out of it would break.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeDocument } from '../../common/formats/document-io.js';
import type { PageDocument } from '../../common/model/types.js';
import { imageMimetype, METS_IMAGE_GROUP, METS_PAGE_GROUP, PAGE_MIMETYPE, writeMets, type MetsPage } from '../../common/formats/mets-write.js';
import { writeFileAtomic } from '../io/files.js';

export class MetsExportWriter {
  private readonly pages: MetsPage[] = [];

  constructor(private readonly dir: string, private readonly note?: string) {}

  /** Copies the page's image and writes its PAGE file; `image` undefined: a page listed with its PAGE only (warned). */
  async addPage(name: string, doc: PageDocument, image: string | undefined, warn: (line: string) => void): Promise<void> {
    let imageRef: MetsPage['image'];
    let out = doc;
    if (image) {
      const href = `${METS_IMAGE_GROUP}/${name}${path.extname(image).toLowerCase()}`;
      await fs.mkdir(path.join(this.dir, METS_IMAGE_GROUP), { recursive: true });
      await fs.copyFile(image, path.join(this.dir, ...href.split('/')));
      imageRef = { href, mimetype: imageMimetype(image) ?? 'application/octet-stream' };
      out = { ...doc, page: { ...doc.page, imageFilename: href } };
    } else warn(`${name}: image "${doc.page.imageFilename}" not found; listed in mets.xml with its PAGE file only`);
    const r = writeDocument(out, 'page-2019');
    for (const w of r.warnings) warn(`${name}: ${w}`);
    const href = `${METS_PAGE_GROUP}/${name}.xml`;
    await fs.mkdir(path.join(this.dir, METS_PAGE_GROUP), { recursive: true });
    await writeFileAtomic(path.join(this.dir, ...href.split('/')), r.xml);
    this.pages.push({ label: name, ...(imageRef && { image: imageRef }), transcription: { href, mimetype: PAGE_MIMETYPE } });
  }

  async finish(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await writeFileAtomic(path.join(this.dir, 'mets.xml'), writeMets(this.pages, { created: new Date().toISOString(), ...(this.note && { note: this.note }) }));
  }
}
