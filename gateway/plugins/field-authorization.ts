import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { createHash } from 'node:crypto';
import { GraphQLError, Kind, print, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { AccessPolicy } from '../authorization/access-policy';
import { applyDenials } from '../authorization/apply-denials';
import { filterOperation, type RemovedField } from '../authorization/filter-operation';
import { jsonValue } from '../../subgraphs/common/json-body';
import { effectiveIdentity, type Identity } from '../authorization/identity';

export interface FieldAuthorizationOptions {
  /** The declarations of the supergraph being served (null until one is loaded: nothing to enforce yet). */
  policy(): AccessPolicy | null;
  /** Who a request without `identity` on its context runs as: the dev identity when it applies, else anonymous. */
  fallbackIdentity?: Identity;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Enforces the supergraph's @authenticated / @requiresScopes before planning (plain @apollo/gateway ignores them).
 * After validation, every field the caller may not read is removed from the operation, so no subgraph is asked
 * for it; the response then carries null in its place with a FORBIDDEN (anonymous: UNAUTHENTICATED) error, the
 * rest is served. The filtered operation gets its own query hash, so plans are never shared across rights.
 * Subscription hydrations run through `executeOperation` with the subscriber's identity, hence through here too.
 */
export function fieldAuthorization(options: FieldAuthorizationOptions): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      let removed: RemovedField[] = [];
      return {
        async didResolveOperation(requestContext) {
          const policy = options.policy();
          if (!policy || policy.size === 0) return;
          const identity = effectiveIdentity(requestContext.contextValue, options.fallbackIdentity);
          const decision = decide(requestContext.schema, requestContext.document, requestContext.operationName, policy, identity);
          if (!decision) return;
          removed = decision.removed;
          const context = requestContext as Mutable<typeof requestContext>;
          context.document = decision.document;
          context.operation = decision.operation;
          context.queryHash = decision.queryHash;
        },
        async willSendResponse({ response }) {
          if (removed.length === 0 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          // The gateway may have written the data as JSON already (RawJson): denials need it as a value.
          const { data, errors } = applyDenials(jsonValue(result.data) as Record<string, unknown> | null | undefined, removed);
          result.data = data;
          result.errors = [...errors, ...(result.errors ?? [])];
        },
      };
    },
  };
}

/** What filtering decided for one document and one class of caller (null: nothing removed). */
interface Decision {
  removed: RemovedField[];
  document: DocumentNode;
  operation: OperationDefinitionNode | undefined;
  queryHash: string;
}

interface DocumentDecisions {
  schema: GraphQLSchema;
  policy: AccessPolicy;
  byCaller: Map<string, Decision | null>;
}

/** Caller classes remembered per document; beyond that the map starts over (bounded memory). */
const MAX_CALLER_CLASSES = 64;
/**
 * Decisions per document (Apollo's document store hands the same object for the same text; entries go with it).
 * The decision depends on the caller only through anonymous-or-not and the scope set, so every caller of one class
 * reuses one filtered document, one query hash and hence one cached query plan.
 */
const decisions = new WeakMap<DocumentNode, DocumentDecisions>();

function decide(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  policy: AccessPolicy,
  identity: Identity | undefined,
): Decision | null {
  let known = decisions.get(document);
  if (!known || known.schema !== schema || known.policy !== policy) {
    known = { schema, policy, byCaller: new Map() };
    decisions.set(document, known);
  }
  const key = `${operationName ?? ''}\n${identity ? [...identity.scopes].sort().join(' ') : '\0anonymous'}`;
  const cached = known.byCaller.get(key);
  if (cached !== undefined) return cached;
  const filtered = filterOperation(schema, document, operationName, policy, identity);
  const decision =
    filtered.removed.length === 0
      ? null
      : {
          removed: filtered.removed,
          document: filtered.document,
          operation: filtered.document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION),
          queryHash: createHash('sha256').update(print(filtered.document)).digest('hex'),
        };
  if (known.byCaller.size >= MAX_CALLER_CLASSES) known.byCaller.clear();
  known.byCaller.set(key, decision);
  return decision;
}

/**
 * For the graphql-ws path: the subscription field itself (and its event type) must be allowed, otherwise the
 * subscription is refused with one error. Fields inside the selection are enforced per event by the hydration.
 */
export function subscriptionDenial(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  policy: AccessPolicy | null,
  identity: Identity | undefined,
): GraphQLError | null {
  if (!policy) return null;
  const root = filterOperation(schema, document, operationName, policy, identity).removed.find((f) => f.parents.length === 0);
  if (!root) return null;
  return new GraphQLError(`${root.coordinate} is not allowed for this caller`, { path: [root.key], extensions: { code: root.code, field: root.coordinate } });
}
