import { PostgresMesBackend } from '../../../subgraphs/mes/backend/postgres/postgres-mes-backend';
import type { PendingEvent } from '../../../subgraphs/mes/events/event-types';
import { describeMesBackendContract } from '../../unit/mes/backend-contract';
import { dropSchema, POSTGRES_URL, testSchemaName } from './postgres-test-schema';

const schema = testSchemaName('contract');

describeMesBackendContract('PostgreSQL', async (dataset) => {
  const backend = await PostgresMesBackend.open({ connectionString: POSTGRES_URL, schema, seed: dataset });
  return {
    backend,
    storedEvents: async () => {
      const { rows } = await backend.pool.query('SELECT stream, payload FROM event_outbox ORDER BY id');
      return rows as PendingEvent[];
    },
    close: async () => {
      await backend.close();
      await dropSchema(schema);
    },
  };
});
