import net from 'node:net';
import { schemaFile } from '../../../schema/compose';
import { gatewayService } from '../../../gateway/main';
import { ConfigError } from '../../../subgraphs/common/config';
import { ServiceDefinition, startService, StartupProblem, startupFailureText } from '../../../subgraphs/common/service-process';
import { erpService } from '../../../subgraphs/erp/main';
import { mesService } from '../../../subgraphs/mes/main';
import { postGraphQL } from '../../fixtures/graphql-client';

function occupy(): Promise<net.Server> {
  return new Promise((resolve) => {
    const blocker = net.createServer().listen(0, '0.0.0.0', () => resolve(blocker));
  });
}
const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;

const common = { MOCK_SCALE: '20', MOCK_SEED: '3', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SUPERGRAPH_PATH: schemaFile('supergraph') };
const services: { service: ServiceDefinition<any>; probe: string }[] = [
  { service: erpService, probe: '{ customers { totalCount } }' },
  { service: mesService, probe: '{ machines { totalCount } }' },
  { service: gatewayService, probe: '{ __typename }' },
];

describe.each(services)('the $service.name process entry', ({ service, probe }) => {
  const portVariable = service.portVariable;

  it('starts from the environment and serves GraphQL', async () => {
    const { running } = await startService(service, { ...common, [portVariable]: '0' });
    try {
      const response = await postGraphQL(running.url, probe);
      expect(response.errors).toBeUndefined();
    } finally {
      await running.stop();
    }
  });

  it('reports a port in use in one line naming the variable', async () => {
    const blocker = await occupy();
    try {
      const failure = await startService(service, { ...common, [portVariable]: String(portOf(blocker)) }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(StartupProblem);
      expect(startupFailureText(service.name, failure)).toBe(
        `${service.name}: port ${portOf(blocker)} is already in use (set ${portVariable})`,
      );
    } finally {
      blocker.close();
    }
  });

  it('reports invalid configuration, one line per problem, without a stack trace', async () => {
    const failure = await startService(service, { ...common, [portVariable]: 'eighty', LOG_LEVEL: 'loud' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConfigError);
    const text = startupFailureText(service.name, failure);
    expect(text).toMatch(new RegExp(`^${service.name}: invalid configuration:`));
    expect(text).toMatch(new RegExp(`- ${portVariable}: Expected number`));
    expect(text).toMatch(/- LOG_LEVEL: Invalid enum value/);
    expect(text).not.toMatch(/^\s+at /m);
  });

  it('refuses production without IDENTITY_SIGNING_SECRET, in one line', async () => {
    const production = { ...common, NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-production-secret-0123456789abcdef', [portVariable]: '0' };
    const failure = await startService(service, production).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StartupProblem);
    expect(startupFailureText(service.name, failure)).toMatch(new RegExp(`^${service.name}: NODE_ENV=production needs IDENTITY_SIGNING_SECRET`));
  });
});
