/**
 * A minimal hand-written PDF for tests: pages of a size (points) with a content stream
 * each (e.g. a filled rectangle), or a JPEG drawn over the whole page (a scanned page).
 */
export interface PdfPage {
  readonly width: number;
  readonly height: number;
  readonly content?: string;
  /** A baseline JPEG (e.g. from sharp) and its pixel size, drawn over the whole page as scanners do. */
  readonly jpeg?: { readonly data: Buffer; readonly width: number; readonly height: number };
}

export function makePdf(pages: readonly PdfPage[]): Buffer {
  // Objects 1 and 2: catalog and page tree; then per page: page, contents, image (always three numbers, unused ones empty).
  const objs: string[] = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${pages.map((_, i) => `${3 + i * 3} 0 R`).join(' ')}] /Count ${pages.length} >>`];
  for (const [i, p] of pages.entries()) {
    const img = 5 + i * 3;
    const content = p.jpeg ? `q ${p.width} 0 0 ${p.height} 0 0 cm /Im0 Do Q` : (p.content ?? '');
    const resources = p.jpeg ? `<< /XObject << /Im0 ${img} 0 R >> >>` : '<< >>';
    objs.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${p.width} ${p.height}] /Contents ${4 + i * 3} 0 R /Resources ${resources} >>`);
    objs.push(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
    objs.push(
      p.jpeg
        ? `<< /Type /XObject /Subtype /Image /Width ${p.jpeg.width} /Height ${p.jpeg.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${p.jpeg.data.length} >>\nstream\n${p.jpeg.data.toString('latin1')}\nendstream`
        : '<< >>',
    );
  }
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const [i, o] of objs.entries()) {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
