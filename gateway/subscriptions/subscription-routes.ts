import { Supergraph } from '@apollo/federation-internals';
import { getNamedType, getNullableType, GraphQLSchema, isListType, isNonNullType, isObjectType, type GraphQLField, type GraphQLNamedType } from 'graphql';

/** Where one subscription root field comes from, and how the gateway fills in the rest of each event. */
export interface SubscriptionRoute {
  /** The subgraph that owns the field and produces its events. */
  subgraph: string;
  /** Its graphql-ws endpoint. */
  url: string;
  /**
   * A Query field returning the same event type from an `eventId` argument: the gateway plans the client's
   * selection on it, so fields of every subgraph (ERP included) are resolved by the ordinary query planner.
   */
  hydrationField: string;
  /**
   * A Query field returning a list of the event type from `(eventIds: [ID!]!)`, item i for id i: many events
   * are hydrated in one operation (one fetch per subgraph for all of them). Absent: one operation per event.
   */
  batchHydrationField?: string;
}

/**
 * Reads the routes from the supergraph: the owner of each Subscription field, its URL (overridable, as for
 * queries), and the Query field that looks its events up by id. A subscription field without such a query
 * field cannot be federated and is reported at start rather than at the first subscriber.
 */
export function subscriptionRoutes(
  supergraphSdl: string,
  apiSchema: GraphQLSchema,
  urlOverrides: Record<string, string>,
): Map<string, SubscriptionRoute> {
  const routes = new Map<string, SubscriptionRoute>();
  const subscriptionType = apiSchema.getSubscriptionType();
  if (!subscriptionType) return routes;
  const supergraph = Supergraph.build(supergraphSdl);
  const subgraphs = supergraph.subgraphs();
  const queryFields = Object.values(apiSchema.getQueryType()?.getFields() ?? {});

  for (const field of Object.values(subscriptionType.getFields())) {
    const owner = subgraphs.values().find((subgraph) => subgraph.schema.schemaDefinition.root('subscription')?.type.field(field.name));
    if (!owner) throw new Error(`no subgraph owns Subscription.${field.name}`);
    const eventType = getNamedType(field.type);
    const hydration = queryFields.find(
      (query) => getNamedType(query.type) === eventType && query.args.length === 1 && query.args[0].name === 'eventId',
    );
    if (!hydration || !isObjectType(eventType)) {
      throw new Error(`Subscription.${field.name} needs a Query field returning ${eventType.name} from (eventId: ID!)`);
    }
    const batch = queryFields.find((query) => isBatchLookup(query, eventType));
    routes.set(field.name, {
      subgraph: owner.name,
      url: toWebSocketUrl(urlOverrides[owner.name] ?? owner.url),
      hydrationField: hydration.name,
      ...(batch ? { batchHydrationField: batch.name } : {}),
    });
  }
  return routes;
}

/** `(eventIds: [ID!]!): [EventType]`: a list of the event type, looked up by a non-null list of ids. */
function isBatchLookup(query: GraphQLField<unknown, unknown>, eventType: GraphQLNamedType): boolean {
  const [arg] = query.args;
  if (query.args.length !== 1 || arg!.name !== 'eventIds' || !isNonNullType(arg!.type)) return false;
  const ids = arg!.type.ofType;
  if (!isListType(ids) || !isNonNullType(ids.ofType) || getNamedType(ids).name !== 'ID') return false;
  return isListType(getNullableType(query.type)) && getNamedType(query.type) === eventType;
}

function toWebSocketUrl(httpUrl: string): string {
  return httpUrl.replace(/^http(s?):\/\//, 'ws$1://');
}
