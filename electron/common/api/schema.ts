/**
 * A tiny argument validator (no dependency): every value that reaches the engine
 * from the renderer — over IPC or HTTP — is checked against one of these first,
 * because a compromised or buggy page must not be able to name arbitrary files
 * or pass huge or odd values.
 */
import { ApiError } from './errors.js';

export type Check<T> = (value: unknown, where: string) => T;

function bad(where: string, what: string): never {
  throw new ApiError('bad-request', `${where}: ${what}`);
}

export interface StringRule {
  readonly max: number;
  readonly min?: number;
  readonly pattern?: RegExp;
  /** Extra test with its own message, e.g. "no .. segments". */
  readonly test?: (s: string) => string | undefined;
}

export function str(rule: StringRule): Check<string> {
  return (v, where) => {
    if (typeof v !== 'string') return bad(where, `expected a string, got ${typeName(v)}`);
    if (v.length > rule.max) return bad(where, `longer than ${rule.max} characters`);
    if (v.length < (rule.min ?? 0)) return bad(where, `shorter than ${rule.min} characters`);
    if (rule.pattern && !rule.pattern.test(v)) return bad(where, 'has an unexpected form');
    const why = rule.test?.(v);
    if (why) return bad(where, why);
    return v;
  };
}

export function int(min: number, max: number): Check<number> {
  return (v, where) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) return bad(where, `expected an integer, got ${typeName(v)}`);
    if (v < min || v > max) return bad(where, `${v} is outside ${min}…${max}`);
    return v;
  };
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v, where) => (v === null ? null : check(v, where));
}

type Checked<C extends readonly Check<unknown>[]> = { -readonly [K in keyof C]: C[K] extends Check<infer T> ? T : never };

/** A fixed-length argument list. */
export function tuple<C extends readonly Check<unknown>[]>(...checks: C): Check<Checked<C>> {
  return (v, where) => {
    if (!Array.isArray(v)) return bad(where, `expected an argument list, got ${typeName(v)}`);
    if (v.length !== checks.length) return bad(where, `expected ${checks.length} argument(s), got ${v.length}`);
    return checks.map((c, i) => c(v[i], `${where}[${i}]`)) as Checked<C>;
  };
}

export function oneOf<T extends string>(values: readonly T[]): Check<T> {
  return (v, where) => {
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) return bad(where, `expected one of ${values.join(', ')}`);
    return v as T;
  };
}

/** One step through an ordered list: forwards (1) or backwards (-1). */
export function step(): Check<1 | -1> {
  return (v, where) => (v === 1 || v === -1 ? v : bad(where, 'expected 1 or -1'));
}

/** An object with exactly these keys (no extras: an unexpected key is a sign of a confused caller). */
export function record<S extends Record<string, Check<unknown>>>(shape: S): Check<{ [K in keyof S]: S[K] extends Check<infer T> ? T : never }> {
  return (v, where) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return bad(where, `expected an object, got ${typeName(v)}`);
    const obj = v as Record<string, unknown>;
    for (const k of Object.keys(obj)) if (!Object.hasOwn(shape, k)) bad(where, `unexpected key "${k}"`);
    const out: Record<string, unknown> = {};
    for (const [k, check] of Object.entries(shape)) out[k] = check(obj[k], `${where}.${k}`);
    return out as { [K in keyof S]: S[K] extends Check<infer T> ? T : never };
  };
}

export function bool(): Check<boolean> {
  return (v, where) => (typeof v === 'boolean' ? v : bad(where, `expected true or false, got ${typeName(v)}`));
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v;
}

/** A list of at most `max` items, each checked. */
export function list<T>(check: Check<T>, max: number): Check<T[]> {
  return (v, where) => {
    if (!Array.isArray(v)) return bad(where, `expected a list, got ${typeName(v)}`);
    if (v.length > max) return bad(where, `more than ${max} items`);
    return v.map((item, i) => check(item, `${where}[${i}]`));
  };
}

/** A finite number in a range (image coordinates may have fractions). */
export function num(min: number, max: number): Check<number> {
  return (v, where) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return bad(where, `expected a number, got ${typeName(v)}`);
    if (v < min || v > max) return bad(where, `${v} is outside ${min}…${max}`);
    return v;
  };
}
