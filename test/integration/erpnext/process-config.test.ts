import { fakeErpNextService } from '../../../mocks/erpnext/main';
import { ConfigError } from '../../../subgraphs/common/config';
import { startService } from '../../../subgraphs/common/service-process';
import { erpService } from '../../../subgraphs/erp/main';
import { postGraphQL } from '../../fixtures/graphql-client';

const quiet = { HOST: '127.0.0.1', LOG_LEVEL: 'silent', MOCK_SEED: '3', MOCK_SCALE: '20' };

describe('ERP_BACKEND and the fake ERPNext process entries', () => {
  it('refuses ERP_BACKEND=rest without its variables, one line per problem', async () => {
    const error = await startService(erpService, { ...quiet, ERP_PORT: '0', ERP_BACKEND: 'rest' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as Error).message.split('\n').slice(1);
    expect(lines).toEqual([expect.stringMatching(/^ {2}- ERP_URL: /), expect.stringMatching(/^ {2}- ERP_API_KEY: /), expect.stringMatching(/^ {2}- ERP_API_SECRET: /)]);
  });

  it('refuses a malformed ERP_URL, ERP_TIMEOUT_MS or ERP_BACKEND', async () => {
    const error = await startService(erpService, { ...quiet, ERP_BACKEND: 'soap', ERP_URL: 'erp.local', ERP_TIMEOUT_MS: 'soon' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/ERP_BACKEND: /);
    expect(message).toMatch(/ERP_URL: must be an http\(s\) URL/);
    expect(message).toMatch(/ERP_TIMEOUT_MS: /);
  });

  it('serves the graph from the fake ERPNext process with ERP_BACKEND=rest', async () => {
    const fake = await startService(fakeErpNextService, { ...quiet, ERPNEXT_PORT: '0' });
    try {
      const erp = await startService(erpService, {
        ...quiet,
        ERP_PORT: '0',
        ERP_BACKEND: 'rest',
        ERP_URL: `http://localhost:${fake.running.port}`,
        ERP_API_KEY: 'forge-dev-key',
        ERP_API_SECRET: 'forge-dev-secret',
      });
      try {
        const response = await postGraphQL(erp.running.url, '{ customers { totalCount nodes { id erpReference } } }');
        expect(response.errors).toBeUndefined();
        expect(response.data.customers.nodes[0]).toEqual({ id: 'C-0001', erpReference: 'CUST-00001' });
      } finally {
        await erp.running.stop();
      }
    } finally {
      await fake.running.stop();
    }
  });
});
