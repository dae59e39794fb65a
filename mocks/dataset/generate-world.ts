import { generateFulfilment } from './fulfilment';
import { generateGenealogy } from './genealogy';
import { generateMachineHistory } from './machine-history';
import { generateMachines } from './machines';
import { generateCatalog, generateCustomers, generateSuppliers, supplierCount, rawMaterialCount, finishedGoodCount } from './master-data';
import { generatePurchaseOrders } from './purchase-orders';
import { generateQuality } from './quality';
import { streamFor } from './random';
import { generateSalesOrders } from './sales-orders';
import { iso } from './time';
import { generateWorkOrders } from './work-orders';
import { DEFAULT_ANCHOR, type World, type WorldOptions } from './world';

/**
 * Builds the whole dataset from (seed, scale, anchor) alone. Each part draws from its own random stream, and
 * parts are generated in dependency order: orders → work orders → machine history → lots → shipments and
 * inspections. The result is deeply frozen so every backend built on it can share it safely.
 */
export function generateWorld({ seed, scale, anchor = DEFAULT_ANCHOR }: WorldOptions): World {
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`scale must be a positive integer, got ${scale}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const anchorMs = anchor.getTime();
  if (Number.isNaN(anchorMs)) throw new RangeError('anchor is not a valid date');
  const rng = (part: string) => streamFor(seed, part);

  const customers = generateCustomers(rng('customers'), scale);
  const suppliers = generateSuppliers(supplierCount(rawMaterialCount(finishedGoodCount(scale))));
  const catalog = generateCatalog(rng('catalog'), scale, suppliers);
  const salesOrders = generateSalesOrders(rng('sales-orders'), scale, anchorMs, customers, catalog.finishedGoods);
  const machineProfiles = generateMachines(rng('machines'), scale);
  const workOrders = generateWorkOrders(rng('work-orders'), anchorMs, salesOrders, catalog.plans, machineProfiles);
  const history = generateMachineHistory(rng('machine-history'), anchorMs, machineProfiles, workOrders);
  const genealogy = generateGenealogy(rng('genealogy'), anchorMs, workOrders, catalog.plans, catalog.products);
  const fulfilment = generateFulfilment(rng('fulfilment'), anchorMs, salesOrders, workOrders, genealogy.outputLots);
  const quality = generateQuality(rng('quality'), anchorMs, workOrders, genealogy.outputLots, catalog.plans);
  const purchaseOrders = generatePurchaseOrders(rng('purchase-orders'), scale, anchorMs, suppliers, catalog.rawMaterials, catalog.supplierOf);

  return deepFreeze({
    seed,
    scale,
    anchor: iso(anchorMs),
    erp: {
      customers,
      products: catalog.products,
      suppliers,
      salesOrders,
      shipments: fulfilment.shipments,
      invoices: fulfilment.invoices,
      purchaseOrders,
    },
    mes: {
      machines: history.machines,
      stateIntervals: history.stateIntervals,
      productionCounts: history.productionCounts,
      workOrders,
      lots: genealogy.lots,
      inspections: quality.inspections,
      nonConformances: quality.nonConformances,
    },
  });
}

/** Freezes records and their nested arrays; plain data only, so no cycles to guard against. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
