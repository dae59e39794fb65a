import { ConfigError } from '../subgraphs/common/config';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const running = await startGateway(config);
  process.stdout.write(`gateway ready at ${running.url}\n`);
  const stop = (): void => {
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') {
    process.stderr.write(`gateway: port ${process.env.GATEWAY_PORT ?? 4000} is already in use (set GATEWAY_PORT)\n`);
  } else if (error instanceof ConfigError) {
    process.stderr.write(`gateway: ${error.message}\n`);
  } else {
    process.stderr.write(`gateway: failed to start: ${error.message}\n`);
  }
  process.exit(1);
});
