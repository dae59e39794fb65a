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
      onUpstreamReconnect: (attempt, reason) =>
        logger.warn({ attempt, reason: String((reason as Error)?.message ?? reason) }, 'subscription upstream lost; resuming'),
    }),
};

if (require.main === module) runService(gatewayService);
