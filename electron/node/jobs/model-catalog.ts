/**
 * The models the editor can choose from, and the loaded ones: a recogniser or
 * detector takes seconds to load, so the last one used stays loaded for the next
 * job (one of each kind; switching models frees the old one).
 */
import type { ModelInfo } from '../../common/api/service.js';
import type { ModelManifest } from '../../common/model-manifest/manifest.js';
import { listModels, pickRecognizer, type InstalledModel } from '../models/registry.js';
import { listDetectors, loadDetector, pickDetector, type AvailableDetector } from '../layout/load.js';
import { loadRecognizer } from '../recognition/load.js';
import type { LineRecognizer } from '../recognition/recognizer.js';
import type { LayoutDetector } from '../layout/detector.js';

/** What jobs need from the models: tests give fakes, the app gives ModelCatalog. */
export interface ModelProvider {
  recognizers(): ModelInfo[];
  detectors(): ModelInfo[];
  /** null: the default. */
  recognizer(id: string | null): Promise<LineRecognizer>;
  detector(id: string | null): Promise<LayoutDetector>;
  dispose(): Promise<void>;
}

function info(m: ModelManifest, origin: ModelInfo['origin'], isDefault: boolean): ModelInfo {
  return { id: m.id, name: m.name, family: m.family, description: m.description ?? '', languages: m.languages ?? [], origin, isDefault };
}

/** The default first, the others in the order the engine lists them. */
function defaultFirst(list: ModelInfo[]): ModelInfo[] {
  return [...list.filter((m) => m.isDefault), ...list.filter((m) => !m.isDefault)];
}

class Loaded<T extends { dispose(): Promise<void> }> {
  private held: { id: string; value: Promise<T> } | null = null;

  async get(id: string, load: () => Promise<T>): Promise<T> {
    if (this.held?.id !== id) {
      const old = this.held;
      this.held = { id, value: load() };
      this.held.value.catch(() => (this.held = null));
      if (old) await old.value.then((v) => v.dispose()).catch(() => undefined);
    }
    return this.held!.value;
  }

  async dispose(): Promise<void> {
    const old = this.held;
    this.held = null;
    if (old) await old.value.then((v) => v.dispose()).catch(() => undefined);
  }
}

export class ModelCatalog implements ModelProvider {
  private readonly rec = new Loaded<LineRecognizer>();
  private readonly det = new Loaded<LayoutDetector>();

  private installed(): InstalledModel[] {
    return listModels().models;
  }

  recognizers(): ModelInfo[] {
    const models = this.installed();
    let def: string | undefined;
    try {
      def = pickRecognizer(models).manifest.id;
    } catch {
      def = undefined; // none installed: the list is empty anyway
    }
    return defaultFirst(models.filter((m) => m.manifest.task === 'recognition').map((m) => info(m.manifest, m.origin, m.manifest.id === def)));
  }

  detectors(): ModelInfo[] {
    const available = listDetectors(this.installed());
    const def = available.length ? pickDetector(available).manifest.id : undefined;
    return defaultFirst(available.map((d: AvailableDetector) => info(d.manifest, d.model?.origin ?? 'builtin', d.manifest.id === def)));
  }

  recognizer(id: string | null): Promise<LineRecognizer> {
    const model = pickRecognizer(this.installed(), id ?? undefined);
    return this.rec.get(model.manifest.id, () => loadRecognizer(model));
  }

  detector(id: string | null): Promise<LayoutDetector> {
    const d = pickDetector(listDetectors(this.installed()), id ?? undefined);
    return this.det.get(d.manifest.id, () => loadDetector(d));
  }

  async dispose(): Promise<void> {
    await Promise.all([this.rec.dispose(), this.det.dispose()]);
  }
}
