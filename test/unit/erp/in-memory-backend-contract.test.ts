import { InMemoryErpBackend } from '../../../mocks/erp/in-memory-erp-backend';
import { erpBackendContract } from './backend-contract';

erpBackendContract('InMemoryErpBackend', async (world, clock) => ({ backend: new InMemoryErpBackend(world, { clock }), close: async () => undefined }));
