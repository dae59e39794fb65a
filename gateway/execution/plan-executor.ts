import { ERRORS, errorCodeDef } from '@apollo/federation-internals';
import type { GraphQLDataSource } from '@apollo/gateway';
// Not exported at the package root.
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { FetchNode, PlanNode, QueryPlan, QueryPlanSelectionNode } from '@apollo/query-planner';
import { GraphQLError, isAbstractType, isInterfaceType, isObjectType, Kind, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { cacheableFetch, type CacheableFetch } from '../cache/cacheable-fetch';
import type { CacheTicket, EntityCache } from '../cache/entity-cache';
import { entityBatches, type EntityBatch } from './entity-batching';

/**
 * Runs a query plan's fetches and merges the subgraph answers into one tree ("unfiltered data"), exactly as
 * @apollo/gateway's executeQueryPlan does for Sequence, Parallel, Flatten, Fetch and Condition nodes — minus its
 * per-fetch OpenTelemetry spans and usage-reporting trace nodes, which forge never reports. Plans it does not
 * cover (@defer, rewrites for @interfaceObject or @fromContext) are recognised up front by `isCoveredPlan`, and the
 * caller runs those through Apollo's own executor.
 */

/** What one request's execution needs (the gateway's data sources and request context). */
export interface PlanRun {
  serviceMap: Record<string, GraphQLDataSource>;
  /** Apollo's GatewayGraphQLRequestContext: passed through to each data source's `process`. */
  requestContext: {
    request: { variables?: Record<string, unknown> };
    context: Record<string, unknown>;
    metrics: { nonFtv1ErrorPaths?: { subgraph: string; path: readonly (string | number)[] | undefined }[] };
  };
  /** The supergraph as a graphql-js schema: type conditions of `requires` are checked against it. */
  supergraphSchema: GraphQLSchema;
  errors: GraphQLError[];
  /** Variables for @skip/@include conditions of Condition nodes (request values over operation defaults). */
  conditionVariables: Record<string, unknown>;
  /** Cached entity answers (gateway/cache/), and the caller class this request's answers are kept under. */
  entityCache?: { cache: EntityCache; partition: string };
}

interface Cursor {
  path: (string | number)[];
  data: unknown;
  fullResult: Record<string, unknown>;
}

const hasOwn = Object.prototype.hasOwnProperty;

const covered = new WeakMap<QueryPlan, boolean>();

/** True when every node of the plan is one this executor runs exactly like Apollo's. */
export function isCoveredPlan(plan: QueryPlan): boolean {
  let answer = covered.get(plan);
  if (answer === undefined) {
    answer = !plan.node || (plan.node.kind !== 'Subscription' && coveredNode(plan.node));
    covered.set(plan, answer);
  }
  return answer;
}

function coveredNode(node: PlanNode): boolean {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return node.nodes.every(coveredNode);
    case 'Flatten':
      return coveredNode(node.node);
    case 'Fetch':
      return !node.hasDefers && !node.inputRewrites?.length && !node.outputRewrites?.length && !node.contextRewrites?.length;
    case 'Condition':
      return (!node.ifClause || coveredNode(node.ifClause)) && (!node.elseClause || coveredNode(node.elseClause));
    default:
      return false; // Defer, Subscription
  }
}

export async function executePlan(plan: QueryPlan, run: PlanRun): Promise<Record<string, unknown>> {
  const data: Record<string, unknown> = Object.create(null);
  if (plan.node && plan.node.kind !== 'Subscription') await executeNode(run, plan.node, { path: [], data, fullResult: data });
  return data;
}

async function executeNode(run: PlanRun, node: PlanNode, cursor: Cursor | undefined): Promise<void> {
  if (!cursor) return;
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executeNode(run, child, cursor);
      return;
    case 'Parallel': {
      const { batches, rest } = entityBatches(node);
      await Promise.all([...rest.map((child) => executeNode(run, child, cursor)), ...batches.map((batch) => executeBatch(run, batch, cursor))]);
      return;
    }
    case 'Flatten':
      return executeNode(run, node.node, moveIntoCursor(cursor, node.path));
    case 'Fetch':
      try {
        await executeFetch(run, node, cursor);
      } catch (error) {
        run.errors.push(error as GraphQLError);
      }
      return;
    case 'Condition': {
      const value = run.conditionVariables[node.condition];
      if (typeof value !== 'boolean') throw new Error(`Invalid non-boolean value ${String(value)} for Boolean! variable $${node.condition}`);
      const branch = value ? node.ifClause : node.elseClause;
      if (branch) await executeNode(run, branch, cursor);
      return;
    }
    default:
      throw new Error(`query plan node ${node.kind} is not executed here`);
  }
}

interface PreparedFetch {
  fetch: FetchNode;
  cursor: Cursor;
  entities: Record<string, unknown>[];
  variables: Record<string, unknown>;
  /** Entity fetches: what is sent as `representations`, and which entity each one came from. */
  representations: Record<string, unknown>[] | null;
  representationToEntity: number[];
  /** Per representation sent, where its answer may be cached (entity fetches the cache covers). */
  tickets: (CacheTicket | null)[] | null;
}

async function executeFetch(run: PlanRun, fetch: FetchNode, cursor: Cursor): Promise<void> {
  const prepared = prepareFetch(run, fetch, cursor);
  if (!prepared) return;
  const { variables, representations } = prepared;
  const received = await send(run, fetch, cursor, representations ? { ...variables, representations } : variables, prepared);
  mergeReceived(prepared, received);
}

/** What a fetch would send; null when it has nothing to fetch (no entities, no representation). */
function prepareFetch(run: PlanRun, fetch: FetchNode, cursor: Cursor): PreparedFetch | null {
  if (!run.serviceMap[fetch.serviceName]) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
  const entities = (Array.isArray(cursor.data) ? cursor.data.filter((e) => e !== null && e !== undefined) : [cursor.data]) as Record<string, unknown>[];
  if (entities.length < 1) return null;

  const variables: Record<string, unknown> = Object.create(null);
  const provided = run.requestContext.request.variables;
  if (fetch.variableUsages && provided) {
    for (const name of fetch.variableUsages) {
      if (hasOwn.call(provided, name) && provided[name] !== undefined) variables[name] = provided[name];
    }
  }
  if (!fetch.requires) return { fetch, cursor, entities, variables, representations: null, representationToEntity: [], tickets: null };

  const cacheable = run.entityCache ? cacheableFetch(fetch) : null;
  const tickets: (CacheTicket | null)[] | null = cacheable ? [] : null;
  // One selection and one caller class for the whole fetch: the part of the key its entities share.
  const variantBase = cacheable ? `${cacheable.id}\u0000${run.entityCache!.partition}` : '';
  const representations: Record<string, unknown>[] = [];
  const representationToEntity: number[] = [];
  for (let index = 0; index < entities.length; index++) {
    const entity = entities[index]!;
    // A key-only fetch's representation would be { __typename, key } (cacheableFetch checked the plan's requires):
    // the entity is looked up before one is built, so that a hit costs none. undefined: not looked up yet.
    let found = cacheable?.keyOnly ? lookUp(run, cacheable, entity, variantBase, null) : undefined;
    if (found && 'hit' in found) {
      // A cached answer is frozen and shared: merged without mergeEntity's write of a missing __typename, which
      // would only copy the entity's own __typename into it (deepMerge then writes that same value back).
      deepMerge(entity, found.hit);
      continue;
    }
    const representation = selectRequires(run.supergraphSchema, entity, fetch.requires);
    if (!representation || !representation.__typename) continue;
    if (tickets) {
      if (found === undefined) {
        found = lookUp(run, cacheable!, representation, variantBase, representation);
        if (found && 'hit' in found) {
          deepMerge(entity, found.hit);
          continue;
        }
      }
      tickets.push(found ? found.ticket : null);
    }
    representations.push(representation);
    representationToEntity.push(index);
  }
  if (representations.length < 1) return null;
  if ('representations' in variables) throw new Error('Variables cannot contain key "representations"');
  return { fetch, cursor, entities, variables, representations, representationToEntity, tickets };
}

/**
 * The cache's answer, or a ticket, for the entity `source` identifies by its __typename and key: the entity itself
 * (key-only fetches) or its representation, which is part of the cache key when it carries more than the key.
 * null: not cacheable (no key), or the cache is not live.
 */
function lookUp(run: PlanRun, cacheable: NonNullable<CacheableFetch>, source: Record<string, unknown>, variantBase: string, representation: Record<string, unknown> | null) {
  const typename = source.__typename;
  const type = typeof typename === 'string' ? cacheable.types.get(typename) : undefined;
  const key = type && hasOwn.call(source, type.rule.keyField) ? source[type.rule.keyField] : undefined;
  if (typeof key !== 'string' && typeof key !== 'number') return null;
  const variant = type!.representationKeyed ? `${variantBase}\u0000${JSON.stringify(representation)}` : variantBase;
  return run.entityCache!.cache.lookup(type!.rule.typename, key, variant);
}

/**
 * Keeps each entity of an answer that came without errors, as the subgraph sent it: before it is merged,
 * so that no later fetch's merge can have changed it.
 */
function storeAnswers(run: PlanRun, prepared: PreparedFetch, receivedEntities: unknown): void {
  const { tickets } = prepared;
  if (!tickets || !Array.isArray(receivedEntities) || receivedEntities.length !== tickets.length) return;
  for (let i = 0; i < tickets.length; i++) {
    const entity = receivedEntities[i];
    if (tickets[i] && entity !== null && typeof entity === 'object') run.entityCache!.cache.store(tickets[i]!, entity as Record<string, unknown>);
  }
}

/** Merges a fetch's answer into the entities it was for (Apollo's executeFetch, after sendOperation). */
function mergeReceived(prepared: PreparedFetch, received: Record<string, unknown> | null | undefined): void {
  const { entities, representations, representationToEntity } = prepared;
  if (!representations) {
    for (const entity of entities) deepMerge(entity, received);
    return;
  }
  if (!received) return;
  const receivedEntities = received._entities;
  if (!Array.isArray(receivedEntities)) throw new Error('Expected "data._entities" in response to be an array');
  if (receivedEntities.length !== representations.length) throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
  for (let i = 0; i < representations.length; i++) mergeEntity(entities[representationToEntity[i]!]!, receivedEntities[i] as Record<string, unknown> | null);
}

function mergeEntity(existing: Record<string, unknown>, receivedEntity: Record<string, unknown> | null): void {
  if (receivedEntity && !receivedEntity.__typename) receivedEntity.__typename = existing.__typename;
  deepMerge(existing, receivedEntity);
}

/**
 * Parallel entity fetches to one subgraph (portal: a sales order's MES fields and its products' MES fields)
 * become one request with one aliased `_entities` field each: one round trip and one subgraph request instead
 * of several. Each member's result, errors and error paths are its own, as if it had been sent alone; if the
 * combined answer lost a member's field as a whole (a null `_entities`), the members are sent separately
 * instead, so a failure costs no more data than it would have with Apollo's separate fetches.
 */
async function executeBatch(run: PlanRun, batch: EntityBatch, cursor: Cursor): Promise<void> {
  const prepared: PreparedFetch[] = [];
  for (const member of batch.members) {
    const inner = member.path ? moveIntoCursor(cursor, member.path) : cursor;
    if (!inner) continue;
    try {
      const one = prepareFetch(run, member.fetch, inner);
      if (one) prepared.push(one);
    } catch (error) {
      run.errors.push(error as GraphQLError);
    }
  }
  if (prepared.length === 0) return;
  if (prepared.length === 1) return executeAlone(run, prepared[0]!);

  const combined = batch.combined(prepared.map((p) => batch.members.findIndex((m) => m.fetch === p.fetch)));
  const variables: Record<string, unknown> = Object.create(null);
  prepared.forEach((p, i) => {
    Object.assign(variables, p.variables);
    variables[combined.representationVariables[i]!] = p.representations;
  });
  let response: Awaited<ReturnType<GraphQLDataSource['process']>>;
  try {
    response = await process(run, batch.serviceName, combined.query, combined.operationName, combined.document, variables, cursor.path);
  } catch (error) {
    // A transport failure fails every member, as it would have failed each of their own fetches.
    for (let i = 0; i < prepared.length; i++) run.errors.push(error as GraphQLError);
    return;
  }
  const data = response.data as Record<string, unknown> | null | undefined;
  if (!data || combined.aliases.some((alias) => !Array.isArray(data[alias]))) {
    await Promise.all(prepared.map((p) => executeAlone(run, p)));
    return;
  }
  prepared.forEach((p, i) => {
    const alias = combined.aliases[i]!;
    const errors = response.errors?.filter((e) => e.path?.[0] === alias).map((e) => ({ ...e, path: ['_entities', ...e.path!.slice(1)] }));
    if (errors?.length) recordErrors(run, p.fetch, p.cursor, errors, response.extensions);
    else if (!response.errors?.length) storeAnswers(run, p, data[alias]);
    try {
      mergeReceived(p, { _entities: data[alias] });
    } catch (error) {
      run.errors.push(error as GraphQLError);
    }
  });
  // Errors not under one member's field (none are expected from a valid combined query) go to every member.
  const unplaced = response.errors?.filter((e) => !combined.aliases.includes(e.path?.[0] as string));
  if (unplaced?.length) for (const p of prepared) recordErrors(run, p.fetch, p.cursor, unplaced, response.extensions);
}

async function executeAlone(run: PlanRun, prepared: PreparedFetch): Promise<void> {
  const { fetch, cursor, variables, representations } = prepared;
  try {
    const received = await send(run, fetch, cursor, representations ? { ...variables, representations } : variables, prepared);
    mergeReceived(prepared, received);
  } catch (error) {
    run.errors.push(error as GraphQLError);
  }
}

async function send(
  run: PlanRun,
  fetch: FetchNode,
  cursor: Cursor,
  variables: Record<string, unknown>,
  prepared: PreparedFetch,
): Promise<Record<string, unknown> | null | undefined> {
  const response = await process(run, fetch.serviceName, fetch.operation, fetch.operationName, fetch.operationDocumentNode, variables, cursor.path);
  const data = response.data as Record<string, unknown> | null | undefined;
  if (response.errors) recordErrors(run, fetch, cursor, response.errors, response.extensions);
  else if (data) storeAnswers(run, prepared, data._entities);
  return data;
}

function process(
  run: PlanRun,
  serviceName: string,
  query: string,
  operationName: string | undefined,
  document: DocumentNode | undefined,
  variables: Record<string, unknown>,
  path: (string | number)[],
): ReturnType<GraphQLDataSource['process']> {
  return run.serviceMap[serviceName]!.process({
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query, variables, operationName },
    incomingRequestContext: run.requestContext as never,
    context: run.requestContext.context,
    document,
    pathInIncomingRequest: path,
  } as never);
}

function recordErrors(run: PlanRun, fetch: FetchNode, cursor: Cursor, errors: readonly GraphQLFormattedError[], extensions: Record<string, unknown> | undefined): void {
  const errorPath = lazyErrorPath(fetch, cursor);
  for (const error of errors) run.errors.push(downstreamServiceError(error, fetch.serviceName, errorPath));
  if (!extensions?.ftv1) {
    const paths = errors.map((error) => ({ subgraph: fetch.serviceName, path: error.path }));
    const metrics = run.requestContext.metrics;
    if (metrics.nonFtv1ErrorPaths) metrics.nonFtv1ErrorPaths.push(...paths);
    else metrics.nonFtv1ErrorPaths = paths;
  }
}

/** The representation of an entity for `_entities`: its key and required fields, or null when one is missing. */
function selectRequires(schema: GraphQLSchema, source: unknown, selections: readonly QueryPlanSelectionNode[]): Record<string, unknown> | null {
  if (source === null) return null;
  const record = source as Record<string, unknown>;
  // A plain object, not Object.create(null): V8 keeps those in dictionary mode, slower to build and to serialize.
  // Keys are the plan's field names, which can never be "__proto__" (names starting "__" are reserved).
  const result: Record<string, unknown> = {};
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      const responseName = selection.alias ?? selection.name;
      if (!hasOwn.call(record, responseName) || record[responseName] === undefined) return null;
      const value = record[responseName];
      const inner = selection.selections;
      if (Array.isArray(value)) result[responseName] = value.map((v: unknown) => (inner ? selectRequires(schema, v, inner) : v));
      else if (inner) result[responseName] = selectRequires(schema, value, inner);
      else result[responseName] = value;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!selection.typeCondition || !record) continue;
      if (isObjectOfType(schema, record, selection.typeCondition)) deepMerge(result, selectRequires(schema, record, selection.selections));
    }
  }
  return result;
}

function isObjectOfType(schema: GraphQLSchema, obj: Record<string, unknown>, typeCondition: string): boolean {
  const typename = obj.__typename as string | undefined;
  if (!typename) return false;
  if (typeCondition === typename) return true;
  const type = schema.getType(typename);
  const conditional = schema.getType(typeCondition);
  if (!type || !conditional) return false;
  if (isAbstractType(conditional)) return (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(conditional, type);
  return false;
}

function moveIntoCursor(cursor: Cursor, pathInCursor: readonly (string | number)[]): Cursor | undefined {
  const data = flattenResultsAtPath(cursor.data, pathInCursor);
  return data ? { path: cursor.path.concat(pathInCursor), data, fullResult: cursor.fullResult } : undefined;
}

/**
 * The values at a plan path, which a fetch is about to merge into. A frozen one (an entity cache answer a
 * previous fetch merged in, shared with other requests) is replaced in its parent by a writable copy first.
 */
function flattenResultsAtPath(value: unknown, path: readonly (string | number)[], from = 0): unknown {
  if (from === path.length) return value;
  if (value === undefined || value === null) return value;
  const current = path[from];
  if (current === '@') {
    const list = value as unknown[];
    return list.flatMap((element, i) => flattenResultsAtPath(thawed(list, i, element), path, from + 1));
  }
  if (typeof current !== 'string' || Array.isArray(value)) throw new Error(`Unexpected value at path element ${String(current)}`);
  const record = value as Record<string, unknown>;
  return flattenResultsAtPath(hasOwn.call(record, current) ? thawed(record, current, record[current]) : undefined, path, from + 1);
}

function thawed(parent: Record<string, unknown> | unknown[], key: string | number, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || !Object.isFrozen(value)) return value;
  const copy = Array.isArray(value) ? value.slice() : copyOf(value as Record<string, unknown>);
  (parent as Record<string | number, unknown>)[key] = copy;
  return copy;
}

/**
 * Apollo's deepMerge: later fetches add fields into the objects earlier fetches produced. Objects and arrays may
 * be the entity cache's frozen answers, shared with other requests: one about to change is copied first (a
 * frozen object's children are frozen too, so the copy-on-write repeats at every level it reaches).
 */
function deepMerge(target: Record<string, unknown>, source: Record<string, unknown> | null | undefined): Record<string, unknown> {
  if (source === undefined || source === null) return target;
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value === undefined) continue;
    // A key the prototype also has ("constructor", "__proto__") becomes an own property first, as in Apollo's.
    if (!hasOwn.call(target, key) && key in target) Object.defineProperty(target, key, { value: undefined, writable: true, enumerable: true, configurable: true });
    let existing = target[key];
    if (existing && isPlainObject(value)) {
      if (Object.isFrozen(existing)) target[key] = existing = copyOf(existing as Record<string, unknown>);
      deepMerge(existing as Record<string, unknown>, value as Record<string, unknown>);
    } else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      if (Object.isFrozen(existing)) target[key] = existing = existing.slice();
      const list = existing as unknown[];
      for (let i = 0; i < value.length; i++) {
        if (isPlainObject(list[i]) && isPlainObject(value[i])) {
          if (Object.isFrozen(list[i])) list[i] = copyOf(list[i] as Record<string, unknown>);
          deepMerge(list[i] as Record<string, unknown>, value[i] as Record<string, unknown>);
        } else list[i] = value[i];
      }
    } else {
      target[key] = value;
    }
  }
  return target;
}

/** A shallow, writable copy of a frozen object, own properties only (a "__proto__" one stays a field). */
function copyOf(object: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    if (key in copy) Object.defineProperty(copy, key, { value: object[key], writable: true, enumerable: true, configurable: true });
    else copy[key] = object[key];
  }
  return copy;
}

function isPlainObject(value: unknown): boolean {
  return value !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value);
}

type ErrorPath = (path: readonly (string | number)[] | undefined) => (string | number)[] | undefined;

function lazyErrorPath(fetch: FetchNode, cursor: Cursor): ErrorPath {
  let hydrated: (string | number)[][] | undefined;
  return (errorPath) => {
    if (fetch.requires && typeof errorPath?.[1] === 'number') {
      if (!hydrated) {
        hydrated = [];
        generateHydratedPaths([], cursor.path, cursor.fullResult, hydrated);
      }
      return [...(hydrated[errorPath[1]] ?? []), ...errorPath.slice(2)];
    }
    return errorPath ? [...cursor.path, ...errorPath] : undefined;
  };
}

function generateHydratedPaths(parent: (string | number)[], path: readonly (string | number)[], data: unknown, result: (string | number)[][]): void {
  if (data === null || data === undefined) return;
  const head = path[0];
  if (head === undefined) {
    result.push(parent.slice());
  } else if (head === '@') {
    if (!Array.isArray(data)) throw new Error('expected array when encountering `@`');
    data.forEach((value, i) => {
      parent.push(i);
      generateHydratedPaths(parent, path.slice(1), value, result);
      parent.pop();
    });
  } else if (typeof head === 'string') {
    if (Array.isArray(data)) {
      data.forEach((value, i) => {
        parent.push(i);
        generateHydratedPaths(parent, path, value, result);
        parent.pop();
      });
    } else if (hasOwn.call(data, head)) {
      parent.push(head);
      generateHydratedPaths(parent, path.slice(1), (data as Record<string, unknown>)[head], result);
      parent.pop();
    }
  } else {
    throw new Error(`unknown path part "${String(head)}"`);
  }
}

function downstreamServiceError(original: GraphQLFormattedError, serviceName: string, errorPath: ErrorPath): GraphQLError {
  const message = original.message || `Error while fetching subquery from service "${serviceName}"`;
  const options = {
    originalError: original as Error,
    path: errorPath(original.path),
    extensions: { ...original.extensions, serviceName },
  };
  const codeDef = errorCodeDef(original as never);
  if (!codeDef && original.extensions?.code) return new GraphQLError(message, options);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}
