import type { DocumentNode, GraphQLSchema } from 'graphql';
import { analyzeOperation, type CostOptions, type OperationMeasures } from './analyze';

/**
 * `analyzeOperation`, remembered per (cost options, schema, document, operation name) and per value of the few
 * variables the measures depend on (the size arguments: which variables are read is fixed by the document and
 * the schema, not by their values). Documents come from Apollo's document store or the admission's parse cache,
 * so the same text is the same object; entries go with their document (WeakMap) or their schema.
 */
interface Entry {
  /** Variables the measures read (their size arguments). */
  read: string[];
  byValues: Map<string, OperationMeasures | undefined>;
}

const MAX_VALUE_TUPLES = 64;
const MAX_KEY_LENGTH = 256;

const caches = new WeakMap<CostOptions, WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, Entry>>>>();

export function analyzeOperationCached(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
  options: CostOptions,
): OperationMeasures | undefined {
  let bySchema = caches.get(options);
  if (!bySchema) caches.set(options, (bySchema = new WeakMap()));
  let byDocument = bySchema.get(schema);
  if (!byDocument) bySchema.set(schema, (byDocument = new WeakMap()));
  let byName = byDocument.get(document);
  if (!byName) byDocument.set(document, (byName = new Map()));
  const name = operationName ?? '';
  const entry = byName.get(name);
  if (entry) {
    const key = valuesKey(entry.read, variables);
    if (key !== null && entry.byValues.has(key)) return entry.byValues.get(key);
    const measures = analyzeOperation(schema, document, operationName, variables, options);
    if (key !== null) remember(entry, key, measures);
    return measures;
  }
  const read = new Set<string>();
  const measures = analyzeOperation(schema, document, operationName, variables, options, read);
  const created: Entry = { read: [...read], byValues: new Map() };
  const key = valuesKey(created.read, variables);
  if (key !== null) remember(created, key, measures);
  byName.set(name, created);
  return measures;
}

function remember(entry: Entry, key: string, measures: OperationMeasures | undefined): void {
  if (entry.byValues.size >= MAX_VALUE_TUPLES) entry.byValues.clear();
  entry.byValues.set(key, measures);
}

/** The values the measures depend on, as a key; null when too large to be worth keeping. */
function valuesKey(read: string[], variables: Record<string, unknown> | undefined): string | null {
  if (read.length === 0) return '';
  let key = '';
  for (const name of read) {
    const value = variables && name in variables ? (JSON.stringify(variables[name]) ?? 'undefined') : '-';
    key += `${value},`;
    if (key.length > MAX_KEY_LENGTH) return null;
  }
  return key;
}
