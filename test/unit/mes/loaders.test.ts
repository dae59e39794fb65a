import { countCalls } from '../../../mocks/counting-backend';
import { loadWorld } from '../../../mocks/dataset/load-world';
import { createMockMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import { createMesLoaders } from '../../../subgraphs/mes/loaders';
import { DATASET } from './harness';

describe('MES loaders', () => {
  const backend = createMockMesBackend(DATASET);
  const counted = countCalls(backend);
  const workOrders = loadWorld(DATASET).mes.workOrders;
  const sku = workOrders[0]!.sku;
  const ofProduct = workOrders.filter((wo) => wo.sku === sku);
  const other = workOrders.find((wo) => wo.sku !== sku)!;
  beforeEach(() => counted.reset());

  it('answers a work order by id from a relation read of the same request, without a read of its own', async () => {
    const loaders = createMesLoaders(counted.backend);
    const related = await loaders.workOrdersByProduct.load(sku);
    expect(related.map((wo) => wo.id).sort()).toEqual(ofProduct.map((wo) => wo.id).sort());
    const last = ofProduct[ofProduct.length - 1]!;
    expect(await loaders.workOrder.load(last.id)).toEqual(last);
    expect(counted.calls()).toEqual({ getWorkOrdersByProducts: 1 });
  });

  it('reads only the keys no earlier read returned, in one call, and answers each key in order', async () => {
    const loaders = createMesLoaders(counted.backend);
    await loaders.workOrdersByProduct.load(sku);
    const keys = [other.id, ofProduct[0]!.id, 'WO-999999'];
    const spy = jest.spyOn(backend, 'getWorkOrders');
    expect(await loaders.workOrder.loadMany(keys)).toEqual([other, ofProduct[0], null]);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy).toHaveBeenCalledWith([other.id, 'WO-999999']);
    spy.mockRestore();
  });

  it('keeps nothing between requests', async () => {
    await createMesLoaders(counted.backend).workOrdersByProduct.load(sku);
    counted.reset();
    expect(await createMesLoaders(counted.backend).workOrder.load(ofProduct[0]!.id)).toEqual(ofProduct[0]);
    expect(counted.calls()).toEqual({ getWorkOrders: 1 });
  });
});
