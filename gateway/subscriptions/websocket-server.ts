import type { ApolloServer, BaseContext } from '@apollo/server';
import { GraphQLError, print, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { ConnectionAuth } from '../auth/websocket';
import type { Identity } from '../auth/identity';
import { ForgeCloseCode } from './close-codes';
import { FederatedSubscription } from './federated-subscription';
import { SocketFrameSink } from './next-frame';
import { splitSubscription } from './operation-split';
import type { SubscriptionRoute } from './subscription-routes';
import { SubscriptionHub } from './subscription-hub';
import { ResumableStream, UpstreamPool, type UpstreamIdentity } from './upstream';

export interface SubscriptionServerOptions {
  httpServer: http.Server;
  path: string;
  apollo: ApolloServer<BaseContext>;
  /** The current API schema and routes: both change when the supergraph is reloaded. */
  current(): { apiSchema: GraphQLSchema; routes: Map<string, SubscriptionRoute> } | null;
  bufferSize: number;
  hydrationConcurrency: number;
  onReconnect?(attempt: number, reason: unknown): void;
  /** Told after a subscriber is closed as a slow consumer, with the event it may resume after. */
  onSlowConsumer?(resumeAfter: string | null): void;
  /** Verifies the connection_init token; without it every socket is anonymous. */
  auth?: ConnectionAuth;
  /**
   * Operation limits and the persisted-operations allowlist (gateway/limits), run on the raw message BEFORE
   * graphql-ws parses and validates it (validation can be made exponential): the refusal, or undefined.
   */
  precheck?(payload: SubscribePayload, identity: Identity | undefined): GraphQLError | undefined;
  /** @authenticated / @requiresScopes on the subscription field, and the identity forwarded upstream (gateway/authorization). */
  authorization?: {
    authorizeSubscription(schema: GraphQLSchema, document: ExecutionArgs['document'], operationName: string | null | undefined, identity: Identity | undefined): GraphQLError | null;
    upstreamIdentity(identity: Identity | undefined): UpstreamIdentity | undefined;
  };
}

interface SocketContext {
  socket: WebSocket;
  /** The TCP socket under it, which `next` frames are written to directly (next-frame.ts). */
  raw: Duplex;
  /** The operation's id on the socket (graphql-ws builds a context per operation). */
  id: string;
  /** Who opened the socket: every operation and every hydrated event runs as this identity. */
  identity?: Identity;
}

/**
 * graphql-ws on the gateway's own port and path. Subscriptions are federated (see FederatedSubscription);
 * queries and mutations sent over the socket run through Apollo like HTTP ones.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions) {
  const pool = new UpstreamPool();
  // Subscribers with the same upstream key share one upstream stream, and one hydration per event per rights.
  const hub = new SubscriptionHub({
    open: (streamOptions) => {
      const stream = new ResumableStream({ ...streamOptions, pool });
      stream.start();
      return stream;
    },
    concurrency: options.hydrationConcurrency,
    onReconnect: options.onReconnect,
  });
  const wsServer = new WebSocketServer({ server: options.httpServer, path: options.path });
  const subscriptions = useServer<Record<string, unknown>, { socket: WebSocket }>(
    {
      schema: () => {
        const current = options.current();
        if (!current) throw new GraphQLError('the gateway has no schema loaded yet');
        return current.apiSchema;
      },
      onConnect: (ctx) => options.auth?.onConnect(ctx.extra.socket, ctx.connectionParams) ?? true,
      onSubscribe: (ctx, _id, payload) => {
        const refusal = options.precheck?.(payload, options.auth?.identityOf(ctx.extra.socket));
        return refusal ? [refusal] : undefined;
      },
      context: (ctx, id): SocketContext => ({ socket: ctx.extra.socket, raw: ctx.extra.request.socket, id, identity: options.auth?.identityOf(ctx.extra.socket) }),
      subscribe: async (args: ExecutionArgs) => {
        const context = args.contextValue as SocketContext;
        const denied = options.authorization?.authorizeSubscription(args.schema, args.document, args.operationName, context.identity);
        if (denied) return { errors: [denied] };
        try {
          const split = splitSubscription(args.document, args.operationName, args.variableValues ?? {}, options.current()!.routes);
          return new FederatedSubscription({
            split,
            hub,
            hydrate: (query, variables) => executeThroughGateway(options.apollo, query, variables, undefined, context.identity),
            rights: context.identity,
            bufferSize: options.bufferSize,
            concurrency: options.hydrationConcurrency,
            upstreamIdentity: options.authorization?.upstreamIdentity(context.identity),
            // `next` frames go straight to the socket, serialized once per event and group (not per subscriber).
            sink: new SocketFrameSink(context.socket, context.id, context.raw),
            onSlowConsumer: (last) => {
              context.socket.close(ForgeCloseCode.SLOW_CONSUMER, `slow consumer; resume with after: ${last ?? 'null'}`);
              options.onSlowConsumer?.(last);
            },
          });
        } catch (error) {
          return { errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
        }
      },
      execute: (args: ExecutionArgs) =>
        executeThroughGateway(
          options.apollo,
          print(args.document),
          args.variableValues ?? {},
          args.operationName ?? undefined,
          (args.contextValue as SocketContext).identity,
        ),
    },
    wsServer,
  );

  return {
    /** Shared upstream streams, hydration groups and subscribers (metrics, tests). */
    sharing: () => hub.stats(),
    async stop(): Promise<void> {
      for (const client of wsServer.clients) client.close(ForgeCloseCode.GOING_AWAY, 'gateway shutting down; resume elsewhere');
      await subscriptions.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      await pool.close();
    },
  };
}

async function executeThroughGateway(
  apollo: ApolloServer<BaseContext>,
  query: string,
  variables: Record<string, unknown>,
  operationName?: string,
  identity?: Identity,
): Promise<ExecutionResult> {
  const response = await apollo.executeOperation({ query, variables, operationName }, identity ? { contextValue: { identity } } : undefined);
  if (response.body.kind !== 'single') throw new Error('incremental delivery is not supported in subscriptions');
  const { data, errors, extensions } = response.body.singleResult;
  // Apollo hands back formatted errors; graphql-ws serialises GraphQLError instances.
  const revived = errors?.map((e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions }));
  return { data: data as ExecutionResult['data'], ...(revived ? { errors: revived } : {}), ...(extensions ? { extensions } : {}) };
}
