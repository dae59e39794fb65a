import { runService, ServiceDefinition } from '../subgraphs/common/service-process';
import { gatewayConfig, GatewayEnv } from './config';
import { startGateway } from './server';

export const gatewayService: ServiceDefinition<typeof GatewayEnv> = {
  name: 'gateway',
  portVariable: 'GATEWAY_PORT',
  env: GatewayEnv,
  start: (config, logger) =>
    startGateway({
      ...gatewayConfig(config),
      onSupergraphReload: (path) => logger.info({ path }, 'supergraph reloaded'),
      onUpstreamReconnect: (attempt, reason) => logger.warn({ attempt, reason: describe(reason) }, 'subscription upstream lost; resuming'),
      onCacheInterrupted: (reason) => logger.warn({ reason: describe(reason) }, 'entity cache invalidation stream lost; cache off until it is back'),
      onSlowConsumer: (resumeAfter) => logger.warn({ closeCode: 4801, resumeAfter }, 'closed a subscriber that stopped reading (slow consumer)'),
    }),
};

if (require.main === module) runService(gatewayService);

/** Transport failures arrive as Errors or as WebSocket close events ({ code, reason }). */
function describe(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  const close = reason as { code?: number; reason?: string } | null;
  if (close && typeof close.code === 'number') return `socket closed (${close.code}${close.reason ? `: ${close.reason}` : ''})`;
  return String(reason);
}
