import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';

/**
 * Apollo Server plugins of both subgraphs. Cache control is off: no type or field declares a cache hint, so
 * every response was `cache-control: no-store` anyway (the gateway reads a missing header the same way), yet the
 * plugin hooked every field of every response — a page of 500 orders paid for ~5,000 hooks and their closures.
 */
export function subgraphPlugins<C extends BaseContext>(): ApolloServerPlugin<C>[] {
  return [ApolloServerPluginCacheControlDisabled()];
}
