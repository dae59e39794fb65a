import { createMockMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import { describeMesBackendContract } from './backend-contract';

describeMesBackendContract('in-memory mock', async (dataset) => ({
  backend: createMockMesBackend(dataset),
  close: async () => undefined,
}));
