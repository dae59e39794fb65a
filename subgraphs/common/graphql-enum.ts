import { registerEnumType } from 'type-graphql';

/**
 * The backend contract lists its statuses as `as const` tuples; type-graphql wants an enum-like object.
 * Keys equal values, so a record's status is passed through untouched in both directions.
 */
export function graphqlEnum<const V extends string>(
  values: readonly V[],
  name: string,
  description?: string,
): { [K in V]: K } {
  const enumObject = Object.fromEntries(values.map((value) => [value, value])) as { [K in V]: K };
  registerEnumType(enumObject, { name, description });
  return enumObject;
}
