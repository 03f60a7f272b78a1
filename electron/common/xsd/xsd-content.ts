/**
 * Content models: a complex type's particle (sequence, choice, element, wildcard, with
 * their occurrences) as an automaton that takes a parent's children one at a time. The
 * automaton is built once per type (Thompson's construction, occurrences unrolled) and
 * its state sets cached as they are met (a lazy DFA), so a page of 2,000 lines costs a
 * map lookup per child.
 */
import { NsMap } from './ns-map.js';
import type { ElementDecl } from './xsd-types.js';

export interface Wildcard {
  readonly kind: 'any';
  /** '##any', '##other' (of `targetNamespace`), or a list of namespaces ('' for none). */
  readonly namespaces: '##any' | '##other' | readonly string[];
  readonly targetNamespace: string;
  readonly process: 'strict' | 'lax' | 'skip';
}

export type Term = { readonly kind: 'element'; readonly decl: ElementDecl } | Wildcard;

export interface Particle {
  readonly min: number;
  readonly max: number;
  readonly body: Term | { readonly kind: 'sequence' | 'choice'; readonly items: readonly Particle[] };
}

export function wildcardAllows(w: Wildcard, uri: string): boolean {
  if (w.namespaces === '##any') return true;
  if (w.namespaces === '##other') return uri !== w.targetNamespace && uri !== '';
  return w.namespaces.includes(uri);
}

function termMatches(t: Term, uri: string, local: string): boolean {
  return t.kind === 'element' ? t.decl.local === local && t.decl.uri === uri : wildcardAllows(t, uri);
}

export function termLabel(t: Term): string {
  if (t.kind === 'element') return t.decl.uri ? `{${t.decl.uri}}${t.decl.local}` : t.decl.local;
  return t.namespaces === '##any' ? '##any' : t.namespaces === '##other' ? '##other' : t.namespaces.map((n) => `{${n}}*`).join(', ');
}

interface Edge {
  readonly term: Term;
  readonly to: number;
}

/** A set of automaton states and where each child name leads from it. */
interface DState {
  readonly states: readonly number[];
  readonly accepting: boolean;
  readonly next: NsMap<DState | null>;
}

export class ContentAutomaton {
  private readonly edges: Edge[][] = [];
  private readonly eps: number[][] = [];
  private readonly final: number;
  private readonly dstates = new Map<string, DState>();
  readonly start: DState;

  constructor(particle: Particle | undefined) {
    const s = this.state();
    this.final = particle ? this.build(particle, s) : s;
    this.start = this.dstate(this.closure([s]));
  }

  private state(): number {
    this.edges.push([]);
    this.eps.push([]);
    return this.edges.length - 1;
  }

  private body(p: Particle, from: number): number {
    const b = p.body;
    if (b.kind === 'sequence') {
      let s = from;
      for (const item of b.items) s = this.build(item, s);
      return s;
    }
    if (b.kind === 'choice') {
      const end = this.state();
      // An empty choice matches nothing (XSD): no edge to `end`.
      for (const item of b.items) this.eps[this.build(item, from)]!.push(end);
      return end;
    }
    const to = this.state();
    this.edges[from]!.push({ term: b as Term, to });
    return to;
  }

  private build(p: Particle, from: number): number {
    let s = from;
    for (let i = 0; i < p.min; i++) s = this.body(p, s);
    if (p.max === Infinity) {
      const loop = this.state();
      this.eps[s]!.push(loop);
      this.eps[this.body(p, loop)]!.push(loop);
      return loop;
    }
    for (let i = p.min; i < p.max; i++) {
      const end = this.state();
      this.eps[s]!.push(end);
      this.eps[this.body(p, s)]!.push(end);
      s = end;
    }
    return s;
  }

  private closure(states: number[]): number[] {
    const seen = new Set(states);
    const todo = [...states];
    while (todo.length) {
      for (const t of this.eps[todo.pop()!]!) {
        if (!seen.has(t)) {
          seen.add(t);
          todo.push(t);
        }
      }
    }
    return [...seen].sort((a, b) => a - b);
  }

  private dstate(states: number[]): DState {
    const key = states.join(',');
    let d = this.dstates.get(key);
    if (!d) {
      d = { states, accepting: states.includes(this.final), next: new NsMap() };
      this.dstates.set(key, d);
    }
    return d;
  }

  /** Where the child `{uri}local` leads from `d`; null where it is not expected there. */
  step(d: DState, uri: string, local: string): DState | null {
    const known = d.next.get(uri, local);
    if (known !== undefined) return known;
    const to: number[] = [];
    for (const s of d.states) for (const e of this.edges[s]!) if (termMatches(e.term, uri, local)) to.push(e.to);
    const next = to.length ? this.dstate(this.closure(to)) : null;
    d.next.set(uri, local, next);
    return next;
  }

  /** What could come next from `d` (for messages). */
  expected(d: DState): string[] {
    const out = new Set<string>();
    for (const s of d.states) for (const e of this.edges[s]!) out.add(termLabel(e.term));
    return [...out];
  }
}

export type ContentState = DState;
