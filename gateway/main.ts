import { runService, ServiceDefinition } from '../subgraphs/common/service-process';
import { gatewayConfig, GatewayEnv } from './config';
import { startGateway } from './server';

export const gatewayService: ServiceDefinition<typeof GatewayEnv> = {
  name: 'gateway',
  portVariable: 'GATEWAY_PORT',
  env: GatewayEnv,
  start: (config) => startGateway(gatewayConfig(config)),
};

if (require.main === module) runService(gatewayService);
