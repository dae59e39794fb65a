import { generateWorld, orderTotal, World } from '../../mocks/dataset';
import { loadOperation } from '../../schema/operations';
import { Stack, startStack } from '../fixtures/stack';

/**
 * The three reference operations of DESIGN §4 through the real gateway and subgraph processes, each answer
 * checked value by value against the seeded dataset the subgraphs serve.
 */
const SEED = 7;
const SCALE = 80;

describe('reference operations through the gateway', () => {
  const world: World = generateWorld({ seed: SEED, scale: SCALE });
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ seed: SEED, scale: SCALE });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const customerName = (id: string) => world.erp.customers.find((c) => c.id === id)!.name;
  const workOrdersOf = (salesOrderId: string) => world.mes.workOrders.filter((w) => w.salesOrderId === salesOrderId);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

  it('portal: one order with customer, products, work orders, machines and inspections', async () => {
    // An order in production with inspections exercises all three hops.
    const order = world.erp.salesOrders.find(
      (o) => o.status === 'IN_PRODUCTION' && workOrdersOf(o.id).some((w) => world.mes.inspections.some((i) => i.workOrderId === w.id)),
    )!;
    const response = await stack.query(loadOperation('portal'), { id: order.id });
    expect(response.errors).toBeUndefined();
    const so = response.data.salesOrder;

    expect(so).toMatchObject({ id: order.id, number: order.number, erpReference: order.erpReference, status: order.status });
    expect(so.total).toBe(orderTotal(order));
    expect(so.customer).toEqual(expect.objectContaining({ id: order.customerId, name: customerName(order.customerId) }));
    expect(so.lines.map((l: any) => [l.lineNo, l.product.sku, l.product.name, l.quantity])).toEqual(
      order.lines.map((l) => [l.lineNo, l.sku, world.erp.products.find((p) => p.sku === l.sku)!.name, l.quantity]),
    );

    const expectedWorkOrders = workOrdersOf(order.id);
    expect(so.workOrders.map((w: any) => w.id).sort()).toEqual(expectedWorkOrders.map((w) => w.id).sort());
    for (const wo of so.workOrders) {
      const record = expectedWorkOrders.find((w) => w.id === wo.id)!;
      expect(wo).toMatchObject({ status: record.status, quantityGood: record.quantityGood, quantityScrap: record.quantityScrap });
      expect(wo.operations.map((op: any) => [op.sequence, op.machine.id, op.machine.name, op.machine.state])).toEqual(
        record.operations.map((op) => {
          const machine = world.mes.machines.find((m) => m.id === op.machineId)!;
          return [op.sequence, machine.id, machine.name, machine.state];
        }),
      );
      expect(wo.inspections.map((i: any) => i.id).sort()).toEqual(
        world.mes.inspections.filter((i) => i.workOrderId === wo.id).map((i) => i.id).sort(),
      );
    }
    expect(so.productionProgress).toMatchObject({
      quantityPlanned: sum(expectedWorkOrders.map((w) => w.quantityPlanned)),
      quantityGood: sum(expectedWorkOrders.map((w) => w.quantityGood)),
      quantityScrap: sum(expectedWorkOrders.map((w) => w.quantityScrap)),
    });
  });

  it('bi: a page of orders with totals, customers and production progress, and the next page by cursor', async () => {
    const ordered = [...world.erp.salesOrders].sort((a, b) => a.orderedAt.localeCompare(b.orderedAt) || a.id.localeCompare(b.id));
    const first = await stack.query(loadOperation('bi'), { first: 50 });
    expect(first.errors).toBeUndefined();
    const page = first.data.salesOrders;
    expect(page.totalCount).toBe(SCALE);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.nodes.map((n: any) => n.id)).toEqual(ordered.slice(0, 50).map((o) => o.id));
    for (const node of page.nodes) {
      const order = ordered.find((o) => o.id === node.id)!;
      expect(node.total).toBe(orderTotal(order));
      expect(node.customer.name).toBe(customerName(order.customerId));
      const wos = workOrdersOf(order.id);
      expect(node.productionProgress.quantityPlanned).toBe(sum(wos.map((w) => w.quantityPlanned)));
      expect(node.productionProgress.quantityGood).toBe(sum(wos.map((w) => w.quantityGood)));
    }

    const second = await stack.query(loadOperation('bi'), { first: 50, after: page.pageInfo.endCursor });
    expect(second.data.salesOrders.nodes.map((n: any) => n.id)).toEqual(ordered.slice(50).map((o) => o.id));
    expect(second.data.salesOrders.pageInfo.hasNextPage).toBe(false);
  });

  it('recall: exactly the customers whose shipments contain lots made from the suspect lot', async () => {
    // The raw lot reaching the most distinct shipments makes the strongest check.
    const descendantsOf = (lotNumber: string): Set<string> => {
      const found = new Set<string>();
      const queue = [lotNumber];
      while (queue.length > 0) {
        const current = queue.shift()!;
        for (const child of world.mes.lots.filter((l) => l.parentLotNumbers.includes(current))) {
          if (!found.has(child.lotNumber)) (found.add(child.lotNumber), queue.push(child.lotNumber));
        }
      }
      return found;
    };
    const expectedCustomersOf = (lotNumber: string): string[] => {
      const descendants = descendantsOf(lotNumber);
      const shipments = world.erp.shipments.filter((s) => s.lots.some((l) => descendants.has(l.lotNumber)));
      const orders = shipments.map((s) => world.erp.salesOrders.find((o) => o.id === s.salesOrderId)!);
      return [...new Set(orders.map((o) => o.customerId))].sort();
    };
    const rawLots = world.mes.lots.filter((l) => l.producedByWorkOrderId === null);
    const suspect = rawLots
      .map((lot) => ({ lot, customers: expectedCustomersOf(lot.lotNumber) }))
      .sort((a, b) => b.customers.length - a.customers.length)[0];
    expect(suspect.customers.length).toBeGreaterThan(1);

    const response = await stack.query(loadOperation('recall'), { lotNumber: suspect.lot.lotNumber });
    expect(response.errors).toBeUndefined();
    const lot = response.data.materialLot;
    expect(lot.lotNumber).toBe(suspect.lot.lotNumber);
    expect(lot.consumedBy.map((w: any) => w.id).sort()).toEqual([...suspect.lot.consumedByWorkOrderIds].sort());

    const customers = new Set<string>();
    const names = new Map<string, string>();
    for (const wo of lot.consumedBy)
      for (const produced of wo.producedLots)
        for (const shipment of produced.shipments) {
          customers.add(shipment.salesOrder.customer.id);
          names.set(shipment.salesOrder.customer.id, shipment.salesOrder.customer.name);
        }
    expect([...customers].sort()).toEqual(suspect.customers);
    for (const [id, name] of names) expect(name).toBe(customerName(id));
  });

  it('an unknown id is null, not an error', async () => {
    const response = await stack.query(loadOperation('portal'), { id: 'SO-999999' });
    expect(response.errors).toBeUndefined();
    expect(response.data.salesOrder).toBeNull();
  });

  // Last: it stops the MES process.
  it('a subgraph that is down costs only its own fields: partial data with SUBGRAPH_UNAVAILABLE', async () => {
    await stack.processes.mes.stop();
    const order = world.erp.salesOrders.find((o) => o.status === 'IN_PRODUCTION')!;
    const response = await stack.query(loadOperation('bi'), { first: 5 });
    expect(response.data.salesOrders.nodes.map((n: any) => n.number)).toHaveLength(5);
    expect(response.data.salesOrders.nodes[0].customer.name).toEqual(expect.any(String));
    expect(response.errors?.map((e) => e.extensions?.code)).toContain('SUBGRAPH_UNAVAILABLE');

    const portal = await stack.query(loadOperation('portal'), { id: order.id });
    expect(portal.data.salesOrder.number).toBe(order.number);
    expect(portal.errors?.[0].extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
  });
});
