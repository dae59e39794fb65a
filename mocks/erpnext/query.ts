import type { Doc } from '../../subgraphs/erp/backend/erpnext/doctypes';

/**
 * Frappe's list semantics, as far as forge uses them: filters (list or object form), `order_by`, `fields`.
 * A problem in a query is a FrappeQueryError, which the server answers with 417 like ERPNext does.
 */
export class FrappeQueryError extends Error {}

export type Predicate = (doc: Doc) => boolean;

export const OPERATORS = ['=', '!=', '>', '<', '>=', '<=', 'like', 'not like', 'in', 'not in', 'between'] as const;

/** `[[field, op, value]]`, `[[doctype, field, op, value]]` or `{field: value | [op, value]}`. */
export function parseFilters(raw: string | null): Predicate {
  if (raw === null || raw === '') return () => true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new FrappeQueryError('filters must be JSON');
  }
  const conditions: [string, string, unknown][] = [];
  if (Array.isArray(parsed)) {
    for (const entry of parsed) {
      if (!Array.isArray(entry) || entry.length < 3 || entry.length > 4) throw new FrappeQueryError(`invalid filter ${JSON.stringify(entry)}`);
      // The 4-element form names the DocType first; the field is on the rows being listed here.
      const [field, op, value] = entry.length === 4 ? entry.slice(1) : entry;
      conditions.push([String(field), String(op), value]);
    }
  } else if (typeof parsed === 'object' && parsed !== null) {
    for (const [field, value] of Object.entries(parsed)) {
      conditions.push(Array.isArray(value) ? [field, String(value[0]), value[1]] : [field, '=', value]);
    }
  } else {
    throw new FrappeQueryError('filters must be a list or an object');
  }
  const tests = conditions.map(([field, op, value]) => condition(field, op.toLowerCase(), value));
  return (doc) => tests.every((test) => test(doc));
}

function condition(field: string, op: string, value: unknown): Predicate {
  const get = (doc: Doc) => doc[field];
  switch (op) {
    case '=':
      return (doc) => compare(get(doc), value) === 0;
    case '!=':
      return (doc) => compare(get(doc), value) !== 0;
    case '>':
      return (doc) => compare(get(doc), value) > 0;
    case '<':
      return (doc) => compare(get(doc), value) < 0;
    case '>=':
      return (doc) => compare(get(doc), value) >= 0;
    case '<=':
      return (doc) => compare(get(doc), value) <= 0;
    case 'like':
    case 'not like': {
      const pattern = likePattern(String(value));
      return op === 'like' ? (doc) => pattern.test(String(get(doc) ?? '')) : (doc) => !pattern.test(String(get(doc) ?? ''));
    }
    case 'in':
    case 'not in': {
      const values = listOf(value).map(String);
      const set = new Set(values);
      return op === 'in' ? (doc) => set.has(String(get(doc) ?? '')) : (doc) => !set.has(String(get(doc) ?? ''));
    }
    case 'between': {
      const [low, high] = listOf(value);
      if (low === undefined || high === undefined) throw new FrappeQueryError(`between needs two values for ${field}`);
      return (doc) => compare(get(doc), low) >= 0 && compare(get(doc), high) <= 0;
    }
    default:
      throw new FrappeQueryError(`unsupported operator ${op}`);
  }
}

/** Frappe accepts `in` values as a list or a comma-separated string. */
function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return value.split(',').map((v) => v.trim());
  throw new FrappeQueryError(`expected a list, got ${JSON.stringify(value)}`);
}

/** Numbers compare as numbers, everything else as text (Frappe datetimes sort correctly as text). */
export function compare(left: unknown, right: unknown): number {
  if (typeof left === 'number' && (typeof right === 'number' || (typeof right === 'string' && right.trim() !== '' && !Number.isNaN(Number(right))))) {
    return left - Number(right);
  }
  const a = left === null || left === undefined ? '' : String(left);
  const b = right === null || right === undefined ? '' : String(right);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SQL LIKE: `%` any run, `_` one character, case-insensitive as MariaDB's default collation. */
function likePattern(pattern: string): RegExp {
  const source = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${source}$`, 'is');
}

/** `field [asc|desc], …`; anything else (a function, a subquery) is refused, as Frappe does. */
export function parseOrderBy(raw: string | null): (a: Doc, b: Doc) => number {
  const spec = raw && raw.trim() !== '' ? raw : 'modified desc';
  const keys = spec.split(',').map((part) => {
    const match = /^\s*`?([a-z_][a-z0-9_]*)`?(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (!match) throw new FrappeQueryError(`invalid order_by ${part.trim()}`);
    return { field: match[1]!, sign: match[2]?.toLowerCase() === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { field, sign } of keys) {
      const order = compare(a[field], b[field]);
      if (order !== 0) return sign * order;
    }
    return 0;
  };
}

/** `fields` selection: `["*"]` is every field; the default, like Frappe's, is `name` only. */
export function parseFields(raw: string | null): string[] | '*' {
  if (raw === null || raw === '') return ['name'];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new FrappeQueryError('fields must be JSON');
  }
  if (!Array.isArray(parsed) || parsed.some((f) => typeof f !== 'string')) throw new FrappeQueryError('fields must be a list of names');
  if (parsed.includes('*')) return '*';
  for (const field of parsed as string[]) if (!/^[a-z_][a-z0-9_]*$/i.test(field)) throw new FrappeQueryError(`Field not permitted in query: ${field}`);
  return parsed as string[];
}

/** A list row: only the selected fields (child tables never appear in list rows), null for absent ones. */
export function project(doc: Doc, fields: string[] | '*'): Doc {
  if (fields === '*') return Object.fromEntries(Object.entries(doc).filter(([, v]) => !Array.isArray(v)));
  return Object.fromEntries(fields.map((f) => [f, doc[f] ?? null]));
}
