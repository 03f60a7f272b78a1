/**
 * A METS file for a set of pages, as OCR-D workspaces have it: one file group of
 * images (OCR-D-IMG), one of PAGE-XML, each `mets:file` with its MIMETYPE and a
 * relative `FLocat LOCTYPE="OTHER" OTHERLOCTYPE="FILE"`, and a physical structure
 * map with one `div TYPE="page"` per page in order. HTR Studio writes it for a
 * project (kept in step with the page list) and for `export --format mets`.
 *
 * The header names HTR Studio as the one agent: that is how a project's own
 * mets.xml is told from one an OCR-D tool or another program wrote (never
 * rewritten).
 */
import { parseXml } from '../xml/xml-parse.js';
import { attr, childElements, textOf, type XmlElement } from '../xml/xml-node.js';
import { escapeAttr, escapeText } from '../xml/xml-write.js';

/** OCR-D's group of original page images. */
export const METS_IMAGE_GROUP = 'OCR-D-IMG';
/**
 * The PAGE-XML of each page: OCR-D's name for ground truth segmented down to lines
 * (what a transcription project holds; the page's own status is in htr-studio.json).
 */
export const METS_PAGE_GROUP = 'OCR-D-GT-SEG-LINE';
/** ALTO transcriptions (a project may hold ALTO files as they came). */
export const METS_ALTO_GROUP = 'ALTO';
export const METS_GROUPS = [METS_IMAGE_GROUP, METS_PAGE_GROUP, METS_ALTO_GROUP] as const;

/** The agent's name in metsHdr: HTR Studio's mark on a METS file it keeps. */
export const METS_AGENT = 'HTR Studio';

export const PAGE_MIMETYPE = 'application/vnd.prima.page+xml';
export const ALTO_MIMETYPE = 'application/alto+xml';

const IMAGE_MIMETYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', tif: 'image/tiff', tiff: 'image/tiff', webp: 'image/webp', jp2: 'image/jp2',
};

/** An image's MIMETYPE from its name (image/jpeg for a .jpg …); undefined for a name that is no image HTR Studio holds. */
export function imageMimetype(file: string): string | undefined {
  const ext = /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase();
  return ext ? IMAGE_MIMETYPES[ext] : undefined;
}

export interface MetsFileRef {
  /** Relative to the METS file, forward slashes. */
  readonly href: string;
  readonly mimetype: string;
}

export interface MetsPage {
  /** The page's name, written as the div's LABEL (shown by METS viewers). */
  readonly label: string;
  readonly image?: MetsFileRef;
  /** PAGE-XML (METS_PAGE_GROUP) or ALTO (METS_ALTO_GROUP), by its MIMETYPE. */
  readonly transcription?: MetsFileRef;
}

export interface MetsOptions {
  /** metsHdr CREATEDATE (ISO time): kept from the file being replaced, so an unchanged project writes the same bytes. */
  readonly created: string;
  /** A note on the agent, e.g. the version. */
  readonly note?: string;
}

const pad = (n: number): string => String(n).padStart(4, '0');

/** The METS text for these pages, in this order. */
export function writeMets(pages: readonly MetsPage[], opts: MetsOptions): string {
  const groups = new Map<string, string[]>(METS_GROUPS.map((g) => [g, []]));
  const divs: string[] = [];
  pages.forEach((p, i) => {
    const n = pad(i + 1);
    const ptrs: string[] = [];
    const add = (group: string, ref: MetsFileRef): void => {
      const id = `${group}_${n}`;
      groups.get(group)!.push(
        `   <mets:file ID="${id}" MIMETYPE="${escapeAttr(ref.mimetype)}">\n` +
        `    <mets:FLocat LOCTYPE="OTHER" OTHERLOCTYPE="FILE" xlink:href="${escapeAttr(ref.href)}"/>\n` +
        '   </mets:file>',
      );
      ptrs.push(`    <mets:fptr FILEID="${id}"/>`);
    };
    if (p.image) add(METS_IMAGE_GROUP, p.image);
    if (p.transcription) add(p.transcription.mimetype === ALTO_MIMETYPE ? METS_ALTO_GROUP : METS_PAGE_GROUP, p.transcription);
    divs.push(`   <mets:div ID="PHYS_${n}" TYPE="page" ORDER="${i + 1}" LABEL="${escapeAttr(p.label)}"${ptrs.length ? `>\n${ptrs.join('\n')}\n   </mets:div>` : '/>'}`);
  });
  const fileGrps = [...groups].filter(([, files]) => files.length).map(([g, files]) => `  <mets:fileGrp USE="${g}">\n${files.join('\n')}\n  </mets:fileGrp>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<mets:mets xmlns:mets="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    ' xsi:schemaLocation="http://www.loc.gov/METS/ http://www.loc.gov/standards/mets/mets.xsd">',
    ` <mets:metsHdr CREATEDATE="${escapeAttr(opts.created)}">`,
    '  <mets:agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE">',
    `   <mets:name>${escapeText(METS_AGENT)}</mets:name>`,
    ...(opts.note ? [`   <mets:note>${escapeText(opts.note)}</mets:note>`] : []),
    '  </mets:agent>',
    ' </mets:metsHdr>',
    // The schema wants a fileSec with at least one group: a project without pages has none to list.
    ...(fileGrps.length ? [' <mets:fileSec>', ...fileGrps, ' </mets:fileSec>'] : []),
    ' <mets:structMap TYPE="PHYSICAL">',
    `  <mets:div ID="PHYS_0000" TYPE="physSequence"${divs.length ? `>\n${divs.join('\n')}\n  </mets:div>` : '/>'}`,
    ' </mets:structMap>',
    '</mets:mets>',
    '',
  ].join('\n');
}

export interface MetsOwnership {
  /** HTR Studio is the only agent and every file group is one it writes: the file is HTR Studio's to keep in step. */
  readonly ours: boolean;
  /** CREATEDATE of the header, where there is one. */
  readonly created?: string;
}

function find(el: XmlElement, local: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of childElements(el)) {
    if (c.local === local) out.push(c);
    find(c, local, out);
  }
  return out;
}

/**
 * Whether a METS text is one HTR Studio wrote and nobody added to: its agents are all
 * HTR Studio and its file groups all HTR Studio's. An OCR-D processor run on the
 * project adds its own agent and group, and from then on the file is left alone.
 */
export function metsOwnership(text: string): MetsOwnership {
  let root: XmlElement;
  try {
    root = parseXml(text).root;
  } catch {
    return { ours: false };
  }
  if (root.local !== 'mets') return { ours: false };
  const hdr = childElements(root).find((c) => c.local === 'metsHdr');
  const created = hdr ? attr(hdr, 'CREATEDATE') : undefined;
  const agents = hdr ? childElements(hdr).filter((c) => c.local === 'agent') : [];
  const names = agents.map((a) => textOf(childElements(a).find((c) => c.local === 'name') ?? a).trim());
  const groups = find(root, 'fileGrp').map((g) => attr(g, 'USE') ?? '');
  const ours = agents.length > 0 && names.every((n) => n === METS_AGENT) && groups.every((g) => (METS_GROUPS as readonly string[]).includes(g));
  return { ours, ...(created && { created }) };
}
