import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { fieldAuthorization, subscriptionDenial } from '../plugins/field-authorization';
import { AccessPolicy } from './access-policy';
import { identityForwarder, upstreamIdentity } from './forward-identity';
import type { UpstreamIdentity } from '../subscriptions/upstream';
import { DEV_IDENTITY, devIdentityApplies, effectiveIdentity, type Identity } from './identity';

export interface AuthorizationOptions {
  production: boolean;
  /** Whether tokens can be verified (AUTH_JWT_SECRET or AUTH_JWKS_URL set). */
  authConfigured: boolean;
  /** IDENTITY_SIGNING_SECRET: when set, every subgraph request carries the signed caller identity. */
  identitySigningSecret?: string;
}

export interface Authorization {
  plugin: ApolloServerPlugin<BaseContext>;
  /** For SubgraphDataSource: the signed x-forge-identity of a request context, or null. */
  identityHeader(context: unknown): string | null;
  /** For the graphql-ws path: refuses a subscription whose root field the caller may not read. */
  authorizeSubscription(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, identity: Identity | undefined): GraphQLError | null;
  /** The identity a subscription runs as (its socket's, or the dev identity when it applies). */
  identityOf(identity: Identity | undefined): Identity | undefined;
  /** For the upstream graphql-ws connection of a subscription; undefined without IDENTITY_SIGNING_SECRET. */
  upstreamIdentity(identity: Identity | undefined): UpstreamIdentity | undefined;
  /**
   * Requests whose subgraph answers are the same have the same class: the rights a subgraph is told (tenant and
   * scopes), or '' when none are forwarded and subgraphs serve everyone alike. Cached answers are kept per class.
   */
  callerClass(context: unknown): string;
  /** The gateway's own staff identity, for the streams it reads for itself (cache invalidation). */
  gatewayIdentity(scopes: readonly string[]): UpstreamIdentity | undefined;
}

/**
 * Field authorization and identity forwarding, wired to the gateway's supergraph: the policy is re-read from
 * every supergraph the gateway loads (file reloads and IntrospectAndCompose alike).
 */
export function createAuthorization(gateway: ApolloGateway, options: AuthorizationOptions): Authorization {
  let policy: AccessPolicy | null = null;
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    policy = AccessPolicy.fromSupergraph(coreSupergraphSdl);
  });
  const fallbackIdentity = devIdentityApplies(options.production, options.authConfigured) ? DEV_IDENTITY : undefined;
  return {
    plugin: fieldAuthorization({ policy: () => policy, fallbackIdentity }),
    identityHeader: identityForwarder(options.identitySigningSecret, fallbackIdentity),
    authorizeSubscription: (schema, document, operationName, identity) =>
      subscriptionDenial(schema, document, operationName, policy, effectiveIdentity({ identity }, fallbackIdentity)),
    identityOf: (identity) => effectiveIdentity({ identity }, fallbackIdentity),
    upstreamIdentity: (identity) => upstreamIdentity(options.identitySigningSecret, effectiveIdentity({ identity }, fallbackIdentity)),
    callerClass: (context) => {
      if (!options.identitySigningSecret) return '';
      const identity = effectiveIdentity(context, fallbackIdentity);
      return JSON.stringify([identity?.tenant ?? null, identity ? [...identity.scopes].sort() : null]);
    },
    gatewayIdentity: (scopes) => upstreamIdentity(options.identitySigningSecret, { sub: 'forge-gateway', scopes: [...scopes] }),
  };
}
