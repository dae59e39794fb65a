import { createMockErpBackend } from '../../../mocks/erp/in-memory-erp-backend';
import { createMockMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import { loadWorld } from '../../../mocks/dataset';

// Benchmark size: generation must simply work (and stay bounded); speed is the benchmarks' business.
describe('a benchmark-sized world (scale 20,000)', () => {
  const options = { seed: 2026, scale: 20_000 };
  const world = loadWorld(options);

  it('has the sizes the scale implies', () => {
    expect(world.erp.salesOrders).toHaveLength(20_000);
    expect(world.erp.customers).toHaveLength(1_000);
    expect(world.erp.products.length).toBeLessThanOrEqual(48);
    expect(world.erp.suppliers.length).toBeLessThanOrEqual(6);
    expect(world.erp.purchaseOrders).toHaveLength(2_000);
    expect(world.mes.machines.length).toBeGreaterThan(16);
    expect(world.mes.machines.length).toBeLessThanOrEqual(100);
    expect(world.mes.workOrders.length).toBeGreaterThan(20_000);
    expect(world.mes.lots.length).toBeGreaterThan(world.mes.workOrders.length / 2);
    expect(world.erp.shipments.length).toBeGreaterThan(5_000);
    expect(world.mes.inspections.length).toBeGreaterThan(world.mes.workOrders.length / 2);
  });

  it('keeps ids unique and ordered', () => {
    const ids = world.erp.salesOrders.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[ids.length - 1]).toBe('SO-020000');
    expect(new Set(world.mes.lots.map((l) => l.lotNumber)).size).toBe(world.mes.lots.length);
  });

  it('serves both backends from the one world of this process', async () => {
    const erp = createMockErpBackend(options);
    const mes = createMockMesBackend(options);
    const page = await erp.listSalesOrders({ status: 'SHIPPED' }, { offset: 0, limit: 500 });
    expect(page.items).toHaveLength(500);
    const workOrders = await mes.getWorkOrdersBySalesOrders(page.items.map((o) => o.id));
    page.items.forEach((order, i) => expect(workOrders[i]!.map((wo) => wo.sku)).toEqual(order.lines.map((l) => l.sku)));
  });
});
