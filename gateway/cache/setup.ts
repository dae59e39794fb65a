import type { SubscriptionRoute } from '../subscriptions/subscription-routes';
import type { Authorization } from '../authorization';
import { EntityCache } from './entity-cache';
import { INVALIDATION_SCOPES, startInvalidationStream } from './invalidation-stream';

export interface EntityCacheConfig {
  /** How long one cached answer may be served at most; 0 turns the cache off. */
  ttlMs: number;
  maxEntities: number;
}

export interface EntityCaching {
  cache: EntityCache;
  callerClass(context: unknown): string;
  /** Follows the supergraph: (re)starts the invalidation stream where the MES's production events now come from. */
  follow(routes: ReadonlyMap<string, SubscriptionRoute>): void;
  stop(): Promise<void>;
}

/** The entity cache and the event stream that keeps it correct; null when turned off. */
export function setupEntityCache(
  config: EntityCacheConfig,
  authorization: () => Authorization,
  onInterrupted?: (reason: unknown) => void,
): EntityCaching | null {
  if (config.ttlMs <= 0) return null;
  const cache = new EntityCache({ ttlMs: config.ttlMs, maxEntities: config.maxEntities });
  let current: { url: string; stream: { stop(): Promise<void> } } | null = null;
  return {
    cache,
    callerClass: (context) => authorization().callerClass(context),
    follow(routes) {
      const route = routes.get('productionEvents');
      const url = route?.subgraph === 'mes' ? route.url : null;
      if (current?.url === url) return;
      void current?.stream.stop();
      current = null;
      // Without the stream nothing could ever tell an entry is stale: the cache stays dark.
      if (!url) return cache.setLive(false);
      current = { url, stream: startInvalidationStream({ cache, url, identity: authorization().gatewayIdentity(INVALIDATION_SCOPES), onInterrupted }) };
    },
    async stop() {
      await current?.stream.stop();
      current = null;
    },
  };
}
