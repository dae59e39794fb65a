import { startFakeErpNext } from '../../../mocks/erpnext/fake-erpnext-server';
import { ErpNextRestBackend } from '../../../subgraphs/erp/backend/erpnext';
import { erpBackendContract } from '../../unit/erp/backend-contract';

/** The REST adapter over real HTTP against the fake ERPNext on a real port: the same contract as the mock. */
erpBackendContract('ErpNextRestBackend', async (world, clock) => {
  const fake = await startFakeErpNext({ world, clock, apiKey: 'k', apiSecret: 's' });
  const backend = new ErpNextRestBackend({ url: fake.origin, apiKey: 'k', apiSecret: 's', timeoutMs: 5000 });
  return {
    backend,
    close: async () => {
      await backend.close();
      await fake.stop();
    },
  };
});
