import { Kind, parse, type ConstDirectiveNode, type DocumentNode, type ConstValueNode } from 'graphql';
import { ErrorCode } from '../../schema/error-codes';
import type { Identity } from './identity';

/** What one type or field asks of the caller; `anyOf` is @requiresScopes' OR of AND groups. */
export interface Requirement {
  authenticated: boolean;
  anyOf: string[][];
}

export type Denial = typeof ErrorCode.UNAUTHENTICATED | typeof ErrorCode.FORBIDDEN;

const AUTHENTICATED_SPEC = 'https://specs.apollo.dev/authenticated/';
const SCOPES_SPEC = 'https://specs.apollo.dev/requiresScopes/';

/**
 * The @authenticated / @requiresScopes declarations of a supergraph, read from its SDL (ApolloGateway drops them
 * from the API schema). Following Apollo Router: a requirement on a type applies to every field returning that
 * type, a requirement on a field to that field; both must hold.
 */
export class AccessPolicy {
  private constructor(
    private readonly types: ReadonlyMap<string, Requirement>,
    private readonly fields: ReadonlyMap<string, Requirement>,
  ) {}

  static empty(): AccessPolicy {
    return new AccessPolicy(new Map(), new Map());
  }

  static fromSupergraph(sdl: string | DocumentNode): AccessPolicy {
    const document = typeof sdl === 'string' ? parse(sdl) : sdl;
    const names = directiveNames(document);
    const types = new Map<string, Requirement>();
    const fields = new Map<string, Requirement>();
    for (const definition of document.definitions) {
      if (!('name' in definition) || !definition.name || definition.kind === Kind.DIRECTIVE_DEFINITION) continue;
      if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) continue;
      const typeName = definition.name.value;
      const own = requirementOf(definition.directives ?? [], names);
      if (own) merge(types, typeName, own);
      if (!('fields' in definition) || !definition.fields) continue;
      for (const field of definition.fields) {
        const requirement = requirementOf(field.directives ?? [], names);
        if (requirement) merge(fields, `${typeName}.${field.name.value}`, requirement);
      }
    }
    return new AccessPolicy(types, fields);
  }

  /** Why `identity` may not read `parentType.field` (returning `returnType`), or null when it may. */
  check(identity: Identity | undefined, parentType: string, field: string, returnType: string): Denial | null {
    let denial: Denial | null = null;
    for (const requirement of [this.fields.get(`${parentType}.${field}`), this.types.get(returnType)]) {
      if (!requirement) continue;
      if (!identity) return ErrorCode.UNAUTHENTICATED;
      if (!satisfies(identity, requirement)) denial = ErrorCode.FORBIDDEN;
    }
    return denial;
  }

  get size(): number {
    return this.types.size + this.fields.size;
  }
}

function satisfies(identity: Identity, requirement: Requirement): boolean {
  if (requirement.anyOf.length === 0) return true;
  const held = new Set(identity.scopes);
  return requirement.anyOf.some((group) => group.every((scope) => held.has(scope)));
}

/** Both specs allow renaming through @link(as:) or import [{ name, as }]; find the names this supergraph uses. */
function directiveNames(document: DocumentNode): { authenticated: string; requiresScopes: string } {
  const names = { authenticated: 'authenticated', requiresScopes: 'requiresScopes' };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const url = stringArg(link, 'url');
      const as = stringArg(link, 'as');
      if (url?.startsWith(AUTHENTICATED_SPEC) && as) names.authenticated = as;
      if (url?.startsWith(SCOPES_SPEC) && as) names.requiresScopes = as;
    }
  }
  return names;
}

function requirementOf(directives: readonly ConstDirectiveNode[], names: { authenticated: string; requiresScopes: string }): Requirement | null {
  let requirement = null as Requirement | null;
  for (const directive of directives) {
    if (directive.name.value === names.authenticated) requirement = { authenticated: true, anyOf: requirement?.anyOf ?? [] };
    if (directive.name.value === names.requiresScopes) {
      const scopes = directive.arguments?.find((a) => a.name.value === 'scopes')?.value;
      requirement = { authenticated: true, anyOf: [...(requirement?.anyOf ?? []), ...scopeGroups(scopes)] };
    }
  }
  return requirement;
}

function scopeGroups(value: ConstValueNode | undefined): string[][] {
  if (value?.kind !== Kind.LIST) return [];
  return value.values.map((group) =>
    group.kind === Kind.LIST ? group.values.flatMap((s) => (s.kind === Kind.STRING ? [s.value] : [])) : [],
  );
}

/** Two declarations of one element (e.g. repeated in the SDL) must both hold: AND their groups. */
function merge(map: Map<string, Requirement>, key: string, next: Requirement): void {
  const prior = map.get(key);
  if (!prior) return void map.set(key, next);
  const anyOf =
    prior.anyOf.length === 0 ? next.anyOf
    : next.anyOf.length === 0 ? prior.anyOf
    : prior.anyOf.flatMap((a) => next.anyOf.map((b) => [...new Set([...a, ...b])]));
  map.set(key, { authenticated: true, anyOf });
}

function stringArg(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}
