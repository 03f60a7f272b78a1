/**
 * The argument schema of every service method, and the dispatcher both hosts
 * (IPC in electron/main, HTTP in electron/node/server) run requests through:
 * unknown methods and malformed arguments never reach the engine.
 */
import { PAGE_STATUSES, PROJECT_EXPORT_FORMATS, REVEAL_TARGETS, type ApiMethod, type StudioService } from './service.js';
import { ApiError, failure, type Envelope } from './errors.js';
import { TARGET_FORMATS } from '../formats/document-io.js';
import { bool, int, list, nullable, num, oneOf, record, step, str, tuple, type Check } from './schema.js';

/** PAGE files larger than this are refused (a 2,000-line page is ~5 MB). */
export const MAX_PAGE_XML_CHARS = 100 * 1024 * 1024;

/**
 * Page ids are relative paths inside the project. The engine resolves only ids
 * it listed itself; this check is the first fence against path tricks.
 */
export const pageId = str({
  max: 1024,
  min: 1,
  test: (s) => {
    if ([...s].some((c) => c.charCodeAt(0) < 0x20)) return 'contains control characters';
    if (s.startsWith('/') || s.includes('\\') || /^[a-zA-Z]:/.test(s)) return 'must be a relative path with forward slashes';
    if (s.split('/').some((seg) => seg === '..' || seg === '.' || seg === '')) return 'must not contain empty, "." or ".." segments';
    return undefined;
  },
});

const revision = nullable(str({ max: 200, pattern: /^[\w.:-]+$/ }));

/** Model ids as manifests spell them (letters, digits, dot, dash, underscore). */
const modelId = str({ max: 120, min: 1, pattern: /^[\w.-]+$/ });
const elementId = str({ max: 200, min: 1 });
export const jobId = str({ max: 64, min: 1, pattern: /^[\w-]+$/ });

/** A flat x,y list; a 2,000-point outline is far beyond any real line. */
const MAX_LINE_POINTS = 4000;
const coordinate = num(-1, 1 << 20);
const flatPoints = (min: number) => (v: unknown, where: string): number[] => {
  const xs = list(coordinate, MAX_LINE_POINTS * 2)(v, where);
  if (xs.length % 2 || xs.length < min * 2) throw new ApiError('bad-request', `${where}: expected at least ${min} x,y pairs`);
  return xs;
};

export const jobRequest = record({
  kind: oneOf(['recognize', 'detect'] as const),
  scope: oneOf(['page', 'lines', 'project'] as const),
  modelId: nullable(modelId),
  pageId,
  xml: str({ max: MAX_PAGE_XML_CHARS, min: 1 }),
  lineIds: list(elementId, 100_000),
  beam: nullable(int(0, 100)),
  replaceCorrected: bool(),
});

const findOptions = record({ regex: bool(), caseSensitive: bool(), ignoreDiacritics: bool() });

export const trainingRequest = record({
  pageIds: list(pageId, 100_000),
  baseModelId: nullable(modelId),
  minutes: num(0.1, 24 * 60),
  name: str({ max: 80, min: 1, pattern: /^\w[\w.-]*$/ }),
});

export const recognizePagesRequest = record({
  pageIds: list(pageId, 100_000),
  modelId: nullable(modelId),
  beam: nullable(int(0, 100)),
  replaceCorrected: bool(),
});

/**
 * A folder path typed or picked on this computer (start screen): absolute (POSIX,
 * a Windows drive or UNC path) or from the home folder (~/…). The engine is the local
 * user's own, so any folder they can read is theirs to open.
 */
export const folderPath = str({
  max: 4096,
  min: 1,
  test: (s) => {
    if ([...s].some((c) => c.charCodeAt(0) < 0x20)) return 'contains control characters';
    if (!/^(\/|~(\/|\\|$)|[a-zA-Z]:[\\/]|\\\\)/.test(s)) return 'must be an absolute path (or start with ~/)';
    return undefined;
  },
});

/** An import source: a folder path as above, or the http(s) URL of a IIIF manifest. */
const importSource: Check<string> = (v, where) => (typeof v === 'string' && /^https?:\/\//i.test(v) ? str({ max: 4096, min: 8 })(v, where) : folderPath(v, where));

export const importRequest = record({
  sources: list(importSource, 10_000),
  reference: bool(),
  dpi: nullable(int(30, 1200)),
  fileGroups: list(str({ max: 200, min: 1 }), 4),
});

export const API_ARGS: { readonly [M in ApiMethod]: Check<Parameters<StudioService[M]>> } = {
  getProject: tuple(),
  listPages: tuple(),
  openPage: tuple(pageId),
  savePage: tuple(pageId, str({ max: MAX_PAGE_XML_CHARS, min: 1 }), revision),
  setPageStatus: tuple(pageId, oneOf(PAGE_STATUSES)),
  reorderPages: tuple(list(pageId, 100_000)),
  accuracyReport: tuple(),
  languagesReport: tuple(num(0.01, 1)),
  exportProject: tuple(record({ format: oneOf(PROJECT_EXPORT_FORMATS), statuses: nullable(list(oneOf(PAGE_STATUSES), 4)), split: nullable(str({ max: 20, pattern: /^[\d.]+\/[\d.]+(\/[\d.]+)?$/ })), force: bool(), zip: bool() })),
  journalPage: tuple(pageId, nullable(str({ max: MAX_PAGE_XML_CHARS, min: 1 })), revision),
  nextUncertainLine: tuple(pageId, num(0, 1), step()),
  findInProject: tuple(str({ max: 1000, min: 1 }), findOptions, nullable(list(pageId, 100_000)), nullable(pageId)),
  replaceInProject: tuple(str({ max: 1000, min: 1 }), str({ max: 1000 }), findOptions, nullable(list(pageId, 100_000)), nullable(pageId), str({ max: 80 })),
  undoProjectReplace: tuple(str({ max: 64, min: 1, pattern: /^[\w-]+$/ })),
  getCharSets: tuple(),
  // A char-sets file: 50 sets of 500 characters stay far below this.
  saveCharSets: tuple(str({ max: 2_000_000, min: 2 })),
  setTextNormalization: tuple(oneOf(['NFC', 'NFD', 'none'] as const)),
  // 2^30 px on a side is far beyond any scan; levels beyond 40 cannot exist.
  getTile: tuple(pageId, int(0, 40), int(0, 1 << 20), int(0, 1 << 20)),
  listModels: tuple(),
  listDetectors: tuple(),
  startJob: tuple(jobRequest),
  cancelJob: tuple(jobId),
  trainingSetup: tuple(),
  startTraining: tuple(trainingRequest),
  recognizePages: tuple(recognizePagesRequest),
  getLineImage: tuple(pageId, flatPoints(3), flatPoints(0)),
  chooseProject: tuple(),
  exportPage: tuple(pageId, str({ max: MAX_PAGE_XML_CHARS, min: 1 }), oneOf(TARGET_FORMATS)),
  openProject: tuple(folderPath),
  createProject: tuple(folderPath),
  openSample: tuple(),
  recentProjects: tuple(),
  forgetRecentProject: tuple(folderPath),
  startInfo: tuple(),
  revealPath: tuple(oneOf(REVEAL_TARGETS)),
  importSources: tuple(importRequest),
  chooseImportSources: tuple(oneOf(['files', 'folder'] as const)),
};

export const API_METHODS = Object.keys(API_ARGS) as ApiMethod[];

export function isApiMethod(m: unknown): m is ApiMethod {
  return typeof m === 'string' && Object.hasOwn(API_ARGS, m);
}

/** Validates a request and calls the service: the one entry point for both transports. */
export async function dispatch(service: StudioService, method: unknown, args: unknown): Promise<Envelope> {
  try {
    if (!isApiMethod(method)) throw new ApiError('bad-request', `unknown method ${JSON.stringify(String(method)).slice(0, 80)}`);
    const checked = API_ARGS[method](args, method) as unknown[];
    const fn = service[method] as (...a: unknown[]) => Promise<unknown>;
    return { ok: true, value: await fn.apply(service, checked) };
  } catch (e) {
    return failure(e);
  }
}

/** Builds a typed service from a transport that sends (method, args) and resolves to the result (or throws ApiError). */
export function createClient(send: (method: ApiMethod, args: unknown[]) => Promise<unknown>): StudioService {
  const call = (method: ApiMethod) => (...args: unknown[]) => send(method, args);
  return Object.fromEntries(API_METHODS.map((m) => [m, call(m)])) as unknown as StudioService;
}
