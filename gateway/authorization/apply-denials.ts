import { GraphQLError, isListType, isNonNullType, type GraphQLFormattedError, type GraphQLOutputType } from 'graphql';
import { ErrorCode } from '../../schema/error-codes';
import { MARKER_PREFIX, type PathSegment, type RemovedField } from './filter-operation';

type Json = Record<string, unknown>;
type Path = (string | number)[];

/**
 * Puts back, as null, every field the operation lost to authorization, and reports each with one error
 * (`FORBIDDEN`, or `UNAUTHENTICATED` for an anonymous caller) at the first place it was nulled — Apollo Router's
 * behaviour: the rest of the response is served. A non-null field that is nulled takes its nearest nullable
 * parent with it, as GraphQL's null propagation requires (a denied non-null root field nulls `data`).
 * Mutates and returns `data`; leftover markers are always removed.
 */
export function applyDenials(data: Json | null | undefined, removed: readonly RemovedField[]): { data: Json | null | undefined; errors: GraphQLFormattedError[] } {
  const errors: GraphQLFormattedError[] = [];
  for (const field of removed) {
    let first: Path | null = null;
    const onNulled = (path: Path) => (first ??= path);
    if (data && visitObject(data, field, field.parents, 0, [], onNulled)) data = null;
    const message =
      field.code === ErrorCode.UNAUTHENTICATED
        ? `${field.coordinate} requires an authenticated caller`
        : `${field.coordinate} is not allowed for this caller (missing scope)`;
    errors.push(
      new GraphQLError(message, { path: first ?? undefined, extensions: { code: field.code, field: field.coordinate } }).toJSON(),
    );
  }
  if (data) stripMarkers(data);
  return { data, errors };
}

/** True when `value` must become null because a non-null field under it was denied. */
function visitSlot(value: unknown, type: GraphQLOutputType, field: RemovedField, parents: PathSegment[], i: number, path: Path, onNulled: (p: Path) => void): boolean {
  if (value === null || value === undefined) return false;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const items = value as unknown[];
    for (let index = 0; index < items.length; index++) {
      if (!visitSlot(items[index], inner.ofType as GraphQLOutputType, field, parents, i, [...path, index], onNulled)) continue;
      if (isNonNullType(inner.ofType)) return true;
      items[index] = null;
    }
    return false;
  }
  return visitObject(value as Json, field, parents, i, path, onNulled);
}

function visitObject(object: Json, field: RemovedField, parents: PathSegment[], i: number, path: Path, onNulled: (p: Path) => void): boolean {
  if (i === parents.length) {
    if (!(field.marker in object)) return false;
    delete object[field.marker];
    object[field.key] = null;
    onNulled([...path, field.key]);
    return isNonNullType(field.type);
  }
  const { key, type } = parents[i];
  if (!visitSlot(object[key], type, field, parents, i + 1, [...path, key], onNulled)) return false;
  if (isNonNullType(type)) return true;
  object[key] = null;
  return false;
}

function stripMarkers(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(stripMarkers);
  if (!value || typeof value !== 'object') return;
  for (const key of Object.keys(value)) {
    if (key.startsWith(MARKER_PREFIX)) delete (value as Json)[key];
    else stripMarkers((value as Json)[key]);
  }
}
