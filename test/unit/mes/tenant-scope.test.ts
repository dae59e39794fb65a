import { loadWorld } from '../../../mocks/dataset/load-world';
import { InMemoryMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import { productTotals } from '../../../subgraphs/mes/production/production-progress';
import { tenantScopedMesBackend } from '../../../subgraphs/mes/tenant-scope';

/** A partner's product totals (Product.workInProgress, qualityYield) count its own work orders only. */
describe('tenant-scoped product totals', () => {
  const world = loadWorld({ seed: 7, scale: 50 });
  const backend = new InMemoryMesBackend(world);

  it('sum only the work orders of the partner’s sales orders, not the stored totals of everyone’s', async () => {
    const sku = world.mes.workOrders[0]!.sku;
    const all = world.mes.workOrders.filter((wo) => wo.sku === sku);
    const own = new Set(all.slice(0, 2).map((wo) => wo.salesOrderId));
    expect(all.some((wo) => !own.has(wo.salesOrderId))).toBe(true); // someone else makes this product too
    const scoped = tenantScopedMesBackend(backend, async () => own);

    const [partner] = await scoped.getProductTotals([sku]);
    const expected = productTotals(sku, (await backend.getWorkOrdersByProducts([sku]))[0]!.filter((wo) => own.has(wo.salesOrderId)));
    expect(partner).toEqual(expected);
    const [everyone] = await backend.getProductTotals([sku]);
    expect(partner).not.toEqual(everyone);
  });
});
