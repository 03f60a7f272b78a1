/**
 * IdSet (#17 item 8): the ids of a big file as characters in one buffer. It must answer as
 * a Set<string> does, for any ids: checked against one on seeded random ids, short and
 * long, ASCII and not, added twice, and in the order they were added.
 */
import { describe, expect, it } from 'vitest';
import { IdSet } from '../../electron/common/xml/id-set.js';
import { seeded } from '../helpers/xml-mutate.js';
import { AltoIds } from '../../electron/common/formats/alto-schema.js';
import { Warnings } from '../../electron/common/formats/format-error.js';
import { isValidId } from '../../electron/common/formats/page-repair.js';

describe('IdSet', () => {
  it('answers has, add and size as a Set<string> does, and iterates in the order of adding', () => {
    const rnd = seeded(17);
    const alphabets = ['rlwg0123456789', 'abcdefghijklmnopqrstuvwxyz_-.', 'ſæœ\u00e9\u05d0\u4e00\ud83d\ude00'];
    const pick = (): string => {
      const a = alphabets[Math.floor(rnd() * (rnd() < 0.9 ? 2 : 3))]!;
      // Mostly short ids, some of hundreds and one of tens of thousands of characters (lengths of 1, 2 and 3 units).
      const r = rnd();
      const n = r < 0.001 ? 20_000 : r < 0.02 ? 300 : Math.floor(rnd() * 12);
      let s = '';
      for (let i = 0; i < n; i++) s += a[Math.floor(rnd() * a.length)];
      return s;
    };
    const ids = new IdSet();
    const reference = new Set<string>();
    const added: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      const id = i % 5 === 4 && added.length ? added[Math.floor(rnd() * added.length)]! : pick();
      expect(ids.has(id)).toBe(reference.has(id));
      const fresh = !reference.has(id);
      expect(ids.add(id)).toBe(fresh);
      reference.add(id);
      if (fresh) added.push(id);
      expect(ids.has(id)).toBe(true);
    }
    expect(ids.size).toBe(reference.size);
    expect([...ids]).toEqual([...reference]);
    // Near misses: a prefix, one more character, another case.
    for (const id of added.slice(0, 2000)) {
      for (const near of [id.slice(0, -1), `${id}x`, id.toUpperCase()]) expect(ids.has(near)).toBe(reference.has(near));
    }
  });

  it('keeps the ids of a big file: a glyph id each', () => {
    const ids = new IdSet();
    let n = 0;
    for (let r = 0; r < 80; r++) for (let l = 0; l < 25; l++) for (let w = 0; w < 8; w++) for (let g = 0; g < 4; g++, n++) expect(ids.add(`r${r}l${l}w${w}g${g}`)).toBe(true);
    expect(ids.size).toBe(n);
    expect(ids.has('r79l24w7g3')).toBe(true);
    expect(ids.has('r80l0w0g0')).toBe(false);
    expect(ids.add('r0l0w0g0')).toBe(false);
  });
});

/**
 * What AltoIds answered when it kept a map of every source ID to its first holder's output
 * ID: the reference AltoIds, which keeps only the renamed ones, must answer alike.
 */
class FirstHolders {
  readonly used = new Set<string>();
  readonly first = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  reserve(id: string): void {
    this.used.add(id);
  }
  fresh(prefix: string): string {
    let n = this.counters.get(prefix) ?? 0;
    let id: string;
    do id = `${prefix}${++n}`;
    while (this.used.has(id));
    this.counters.set(prefix, n);
    this.used.add(id);
    return id;
  }
  claim(id: string | undefined, prefix: string | undefined): string | undefined {
    if (!id) return prefix === undefined ? undefined : this.fresh(prefix);
    let out = id;
    if (!isValidId(out)) {
      const cleaned = id.replace(/[^\p{L}\p{N}._-]/gu, '_');
      out = /^[\p{L}_]/u.test(cleaned) ? cleaned : `_${cleaned}`;
    }
    if (this.used.has(out)) {
      let n = 2;
      while (this.used.has(`${out}_${n}`)) n++;
      out = `${out}_${n}`;
    }
    this.used.add(out);
    if (!this.first.has(id)) this.first.set(id, out);
    return out;
  }
  takeAsIs(id: string): boolean {
    if (!isValidId(id) || this.used.has(id)) return false;
    this.used.add(id);
    if (!this.first.has(id)) this.first.set(id, id);
    return true;
  }
}

describe('AltoIds', () => {
  it('resolves every reference to its first holder\'s output ID, as the map of every source ID did', () => {
    const rnd = seeded(44);
    // Few names, often repeated, some invalid, some that generated and repaired IDs also take.
    const names = ['a', 'b', 'p1', 'p2', 'a_2', '1a', '_1a', 'x y', 'b_2', 'p3', 'c', 'block_1'];
    for (let round = 0; round < 200; round++) {
      const ids = new AltoIds(new Warnings());
      const ref = new FirstHolders();
      for (let step = 0; step < 40; step++) {
        const name = names[Math.floor(rnd() * names.length)]!;
        const op = rnd();
        if (op < 0.5) expect(ids.claim(name, 'p')).toBe(ref.claim(name, 'p'));
        else if (op < 0.65) expect(ids.claim(undefined, 'p')).toBe(ref.claim(undefined, 'p'));
        else if (op < 0.85) expect(ids.takeAsIs(name)).toBe(ref.takeAsIs(name));
        else {
          ids.reserve(name);
          ref.reserve(name);
        }
        for (const n of names) expect(ids.ref(n), `${n} after step ${step} of round ${round}`).toBe(ref.first.get(n));
      }
    }
  });
});
