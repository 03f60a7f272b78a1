/**
 * A map by namespace and local name. Looked up by the two strings as the reader hands
 * them over (interned, so their hashes are already known), never by a key built per
 * element: on a 20 MB page that building was a third of the check's time.
 */
export class NsMap<V> {
  private readonly byUri = new Map<string, Map<string, V>>();

  get(uri: string, local: string): V | undefined {
    return this.byUri.get(uri)?.get(local);
  }

  has(uri: string, local: string): boolean {
    return this.byUri.get(uri)?.has(local) ?? false;
  }

  set(uri: string, local: string, value: V): this {
    let m = this.byUri.get(uri);
    if (!m) {
      m = new Map();
      this.byUri.set(uri, m);
    }
    m.set(local, value);
    return this;
  }

  *values(): IterableIterator<V> {
    for (const m of this.byUri.values()) yield* m.values();
  }

  *entries(): IterableIterator<[string, string, V]> {
    for (const [uri, m] of this.byUri) for (const [local, v] of m) yield [uri, local, v];
  }
}
