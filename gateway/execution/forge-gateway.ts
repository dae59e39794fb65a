import { ApolloGateway, type GatewayConfig, type GraphQLDataSource } from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import { GraphQLError, Kind, getVariableValues, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { createHash } from 'node:crypto';
import type { EntityCaching } from '../cache/setup';
import { executePlan, isCoveredPlan } from './plan-executor';
import { RawJson } from '../../subgraphs/common/json-body';
import { compileShape, isShapeAssertion, shapeResponse, UnsupportedOperation, type CompiledShape } from './response-shaper';
import { writeResponse } from './response-writer';

export type ExecutorChoice = 'forge' | 'apollo';

type Executor = ApolloGateway['executor'];
type GatewayGraphQLRequestContext = Parameters<Executor>[0];
type GatewayExecutionResult = Awaited<ReturnType<Executor>>;

/** The parts of ApolloGateway 2.14 (pinned) this reads; they are private in its typings. */
interface GatewayInternals {
  schema?: GraphQLSchema;
  supergraphSchema?: GraphQLSchema;
  queryPlanStore: { get(key: string): Promise<QueryPlan | undefined> };
  serviceMap: Record<string, { dataSource: GraphQLDataSource }>;
}

/** planKey: the query-plan store's key, set on first use (a document always comes with the same queryHash). */
type Compiled = { shape: CompiledShape; operation: OperationDefinitionNode; planKey?: string } | null;

/**
 * @apollo/gateway with forge's executor: the same query planner and plan cache, then forge's plan runner
 * (plan-executor.ts) and compiled result shaping (response-shaper.ts) instead of Apollo's executeQueryPlan,
 * which rebuilds a federation-internals Operation per request and shapes results through it.
 *
 * Apollo's own executor still runs a request whenever forge's could differ from it: the first request of an
 * operation (it plans and caches the plan), subscriptions, introspection, plans with @defer or data rewrites,
 * and the query-plan debug header. `executor: 'apollo'` (GATEWAY_EXECUTOR=apollo) uses it for everything.
 */
export class ForgeGateway extends ApolloGateway {
  /** Apollo's executor, for what forge's does not cover (and for comparing the two in tests). */
  readonly apolloExecutor: Executor;
  /** Requests run by each executor since start (tests check the fast path is taken; metrics will report it). */
  readonly executions = { forge: 0, apollo: 0 };
  private compiled = new WeakMap<DocumentNode, Map<string, Compiled>>();
  private compiledFor: GraphQLSchema | undefined;
  /** The data sources by subgraph name, taken once per schema (a supergraph reload brings both). */
  private services: Record<string, GraphQLDataSource> = Object.create(null);

  private readonly entityCaching: EntityCaching | null;

  constructor(config: GatewayConfig, options: { executor?: ExecutorChoice; entityCaching?: EntityCaching | null } = {}) {
    super(config);
    const apollo = this.executor;
    this.apolloExecutor = (requestContext) => {
      this.executions.apollo += 1;
      return apollo(requestContext);
    };
    const executor: Executor = (options.executor ?? 'forge') === 'forge' ? (requestContext) => this.execute(requestContext) : this.apolloExecutor;
    this.entityCaching = options.entityCaching ?? null;
    const cache = this.entityCaching?.cache;
    // A caller reads its own writes: whatever a mutation changed is not served from before it, even before
    // its event arrives. Mutations are rare next to reads, so all is dropped rather than worked out.
    this.executor = !cache
      ? executor
      : async (requestContext) => {
          if (requestContext.operation?.operation !== 'mutation') return executor(requestContext);
          try {
            return await executor(requestContext);
          } finally {
            cache.clear();
          }
        };
  }

  private get internals(): GatewayInternals {
    return this as unknown as GatewayInternals;
  }

  private async execute(requestContext: GatewayGraphQLRequestContext): Promise<GatewayExecutionResult> {
    const { schema, supergraphSchema } = this.internals;
    const { request, document, queryHash } = requestContext;
    if (!schema || !supergraphSchema || request.http?.headers.get('apollo-query-plan-experimental')) return this.apolloExecutor(requestContext);
    const compiled = this.compile(schema, document, request.operationName ?? undefined);
    if (!compiled) return this.apolloExecutor(requestContext);

    // The gateway's own variable check (Apollo's validateIncomingRequest): wrong types never reach a subgraph.
    if (compiled.operation.variableDefinitions?.length) {
      const { errors } = getVariableValues(schema, compiled.operation.variableDefinitions, request.variables ?? {});
      if (errors) return { errors };
    }
    // Apollo's key for the plan store: the query hash, with the operation name when one is given.
    compiled.planKey ??= request.operationName ? createHash('sha256').update(queryHash).update(request.operationName).digest('hex') : queryHash;
    const plan = await this.internals.queryPlanStore.get(compiled.planKey);
    // Not planned yet: Apollo's executor plans, caches and runs it; the next request takes this path.
    if (!plan || !isCoveredPlan(plan)) return this.apolloExecutor(requestContext);

    this.executions.forge += 1;
    const errors: GraphQLError[] = [];
    const variables = { ...compiled.shape.defaults, ...request.variables };
    const data = await executePlan(plan, {
      serviceMap: this.services,
      requestContext: requestContext as never,
      supergraphSchema,
      errors,
      conditionVariables: variables,
      entityCache: this.entityCaching?.cache.isLive
        ? { cache: this.entityCaching.cache, partition: this.entityCaching.callerClass(requestContext.context) }
        : undefined,
    });
    try {
      // Written straight to JSON when the answer goes out over HTTP: other callers (subscription hydration, tests)
      // read the data as objects.
      const shaped = compiled.shape.streamable && request.http ? writeShaped(schema, compiled.shape, request.variables, data) : shapeResponse(schema, compiled.shape, request.variables, data);
      if (errors.length === 0 && shaped.errors.length > 0) return { extensions: { valueCompletion: shaped.errors }, data: shaped.data };
      return errors.length === 0 ? { data: shaped.data } : { errors, data: shaped.data };
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      const reason = isShapeAssertion(error) || error instanceof Error ? (error as Error).message : String(error);
      return { errors: [new GraphQLError(reason, { originalError: error instanceof Error ? error : undefined })] };
    }
  }

  /** Compiled once per document and operation name (documents are cached objects); null: Apollo's path. */
  private compile(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): Compiled {
    if (this.compiledFor !== schema) {
      this.compiled = new WeakMap();
      this.compiledFor = schema;
      this.services = Object.create(null);
      for (const [name, { dataSource }] of Object.entries(this.internals.serviceMap)) this.services[name] = dataSource;
    }
    let byName = this.compiled.get(document);
    if (!byName) this.compiled.set(document, (byName = new Map()));
    const name = operationName ?? '';
    if (byName.has(name)) return byName.get(name)!;
    const compiled = compileOperation(schema, document, operationName);
    byName.set(name, compiled);
    return compiled;
  }
}

/**
 * The answer as JSON bytes, standing for the data shapeResponse would give: that is worked out again only if
 * something reads the data as a value (a plugin that edits it; see RawJson).
 */
function writeShaped(schema: GraphQLSchema, shape: CompiledShape, variables: Record<string, unknown> | undefined, data: Record<string, unknown>): { data: RawJson | null; errors: GraphQLError[] } {
  const { bytes, errors } = writeResponse(schema, shape, variables, data);
  if (!bytes) return { data: null, errors };
  let value: unknown;
  return { data: new RawJson(bytes, () => (value ??= shapeResponse(schema, shape, variables, data).data)), errors };
}

function compileOperation(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): Compiled {
  let operation: OperationDefinitionNode | undefined;
  let operations = 0;
  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      operations += 1;
      if (!operationName || definition.name?.value === operationName) operation = definition;
    } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments[definition.name.value] = definition;
    }
  }
  // Ambiguous or missing operations, and subscriptions, get Apollo's errors and handling.
  if (!operation || (!operationName && operations > 1) || operation.operation === 'subscription') return null;
  try {
    return { shape: compileShape(schema, operation, fragments), operation };
  } catch (error) {
    if (error instanceof UnsupportedOperation) return null;
    throw error;
  }
}
