import { Supergraph } from '@apollo/federation-internals';
import fs from 'node:fs';
import { withForgeEnforcedLinks } from '../../../gateway/authorization/security-links';
import { schemaFile } from '../../../schema/compose';
import { subscriptionRoutes } from '../../../gateway/subscriptions/subscription-routes';

describe('subscription routes', () => {
  it('finds, for each subscription field, its owner, its by-id hydration field and its by-ids batch field', () => {
    // As the gateway loads it (the security directives are enforced by forge itself).
    const sdl = withForgeEnforcedLinks(fs.readFileSync(schemaFile('supergraph'), 'utf8'));
    const apiSchema = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
    const routes = subscriptionRoutes(sdl, apiSchema, { mes: 'http://mes.internal:4002/graphql' });
    expect(Object.fromEntries(routes)).toEqual({
      machineStatusChanged: {
        subgraph: 'mes',
        url: 'ws://mes.internal:4002/graphql',
        hydrationField: 'machineStatusEvent',
        batchHydrationField: 'machineStatusEventsByIds',
      },
      productionEvents: {
        subgraph: 'mes',
        url: 'ws://mes.internal:4002/graphql',
        hydrationField: 'productionEvent',
        batchHydrationField: 'productionEventsByIds',
      },
    });
  });
});
