import { parse } from 'graphql';
import { splitSubscription } from '../../../gateway/subscriptions/operation-split';
import type { SubscriptionRoute } from '../../../gateway/subscriptions/subscription-routes';

const routes = new Map<string, SubscriptionRoute>([
  ['productionEvents', { subgraph: 'mes', url: 'ws://mes/graphql', hydrationField: 'productionEvent' }],
]);

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('splitting a client subscription', () => {
  it('streams only event ids upstream, with the filters, and hydrates the whole selection per event', () => {
    const split = splitSubscription(
      parse(`subscription Partner($so: ID!, $types: [ProductionEventType!], $withCustomer: Boolean!) {
        events: productionEvents(salesOrderId: $so, types: $types, after: "5-0") {
          eventId type
          workOrder { salesOrder { number customer @include(if: $withCustomer) { name } } }
        }
      }`),
      'Partner',
      { so: 'SO-000001', types: ['PRODUCTION_REPORTED'], withCustomer: true },
      routes,
    );

    expect(split.responseKey).toBe('events');
    expect(split.clientAfter).toBe('5-0');
    expect(squash(split.upstream.query)).toBe(
      'subscription ForgeUpstream($so: ID!, $types: [ProductionEventType!], $forgeAfter: ID) { ' +
        'productionEvents(salesOrderId: $so, types: $types, after: $forgeAfter) { eventId } }',
    );
    expect(split.upstream.variables('7-1')).toEqual({ so: 'SO-000001', types: ['PRODUCTION_REPORTED'], forgeAfter: '7-1' });

    expect(squash(split.hydration.query)).toBe(
      'query ForgeHydrate($withCustomer: Boolean!, $forgeEventId: ID!) { ' +
        'events: productionEvent(eventId: $forgeEventId) { eventId type ' +
        'workOrder { salesOrder { number customer @include(if: $withCustomer) { name } } } } }',
    );
    expect(split.hydration.variables('9-0')).toEqual({ withCustomer: true, forgeEventId: '9-0' });
  });

  it('carries the fragments the selection uses, and only those, with their variables', () => {
    const split = splitSubscription(
      parse(`
        subscription($after: ID, $n: Int) { productionEvents(after: $after) { ...Event } }
        fragment Event on ProductionEvent { eventId workOrder { ...Wo } }
        fragment Wo on WorkOrder { number operations { sequence } consumedLots { lotNumber } producedLots { lotNumber } inspections { id } quantityGood }
        fragment Unused on WorkOrder { id }`),
      undefined,
      { after: '3-2', n: 1 },
      routes,
    );
    expect(split.clientAfter).toBe('3-2');
    expect(split.upstream.query).not.toContain('$after');
    expect(split.hydration.query).toContain('fragment Event on ProductionEvent');
    expect(split.hydration.query).toContain('fragment Wo on WorkOrder');
    expect(split.hydration.query).not.toContain('Unused');
    expect(split.hydration.query).not.toContain('$n');
    expect(split.responseKey).toBe('productionEvents');
  });

  it('starts live when no resume point is given', () => {
    const split = splitSubscription(parse('subscription { productionEvents { eventId } }'), undefined, {}, routes);
    expect(split.clientAfter).toBeNull();
    expect(split.upstream.variables(null)).toEqual({ forgeAfter: null });
  });

  it('refuses a root field that no subgraph serves', () => {
    expect(() => splitSubscription(parse('subscription { machineStatusChanged { eventId } }'), undefined, {}, routes)).toThrow(
      /not served by any subgraph/,
    );
  });
});
