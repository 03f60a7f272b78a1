/** What an import will make: pages in order, each an image to bring in and a transcription to write beside it. */

export type PlannedImage =
  /** An image file used as it is (copied, linked or, when unpacked from a zip, moved). */
  | { readonly kind: 'file'; readonly file: string; readonly transient: boolean }
  /** An image sharp reads but the project does not hold (JPEG 2000, GIF…), or one page of a multi-page TIFF: written as PNG. */
  | { readonly kind: 'convert'; readonly file: string; readonly page?: number }
  /** A PDF page rendered at the import's resolution. */
  | { readonly kind: 'pdf-page'; readonly file: string; readonly page: number }
  /** A IIIF canvas's image, fetched into the staging folder (kept there for a resumed import). */
  | { readonly kind: 'url'; readonly url: string; readonly cacheKey: string };

export interface PlannedPage {
  /** The name the page should have in the project (made unique when staged). */
  readonly name: string;
  readonly image: PlannedImage | null;
  /** A PAGE or ALTO file to bring in as the page's PAGE-XML. */
  readonly xml?: string;
  /** Where it came from, for messages. */
  readonly origin: string;
  /** The project document it joins: one per source named in the import (planSources sets it). */
  readonly document?: string;
}

export interface ImportOptions {
  /** Link image files into the project instead of copying them (hard links: the same file, no extra space). */
  readonly reference?: boolean;
  /** Resolution for PDF pages. */
  readonly dpi?: number;
  /** METS file groups to use (an image group and/or a PAGE group). */
  readonly fileGroups?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: ImportProgress) => void;
  /** IIIF: pause between requests (ms), to be polite to the server. */
  readonly requestDelayMs?: number;
  /** IIIF: bytes one image may have. */
  readonly maxImageBytes?: number;
}

export interface ImportProgress {
  readonly phase: 'reading' | 'pages' | 'download' | 'finishing';
  readonly done: number;
  readonly total: number;
  readonly message: string;
}

export interface PlanContext {
  readonly options: ImportOptions;
  /** A fresh folder under the staging area for unpacked zips and the like. */
  readonly scratch: () => Promise<string>;
  /** The project imported into (a source inside it would be imported twice). */
  readonly projectRoot: string;
  /** The staging area itself (IIIF downloads are kept there for resuming). */
  readonly stagingRoot: string;
  readonly warn: (message: string) => void;
}
