import type { CustomerRecord, ProductRecord, SupplierRecord } from '../../subgraphs/erp/backend/erp-backend';
import {
  CHARACTERISTICS,
  COMPANY_CURRENCY,
  COMPANY_TRADES,
  COMPANY_WORDS,
  COUNTRIES,
  FINISHED_GOODS,
  RAW_MATERIALS,
  SUPPLIERS,
  WORK_CENTERS,
} from './catalog';
import { pad, widthFor } from './ids';
import type { Random } from './random';
import type { ProductPlan } from './world';
import { roundToCents } from '../../subgraphs/erp/money';

export const customerCount = (scale: number) => Math.max(3, Math.round(scale / 20));
/** Grows slowly with the order book and stops at the catalog size: a few dozen products at most. */
export const finishedGoodCount = (scale: number) => Math.min(FINISHED_GOODS.length, 6 + Math.floor(Math.sqrt(scale) / 4));
export const rawMaterialCount = (finishedGoods: number) => Math.min(RAW_MATERIALS.length, 4 + Math.ceil(finishedGoods / 2));
export const supplierCount = (rawMaterials: number) => Math.min(SUPPLIERS.length, Math.max(3, Math.ceil(rawMaterials / 3)));

const roundTo = (value: number, step: number) => Math.round(value / step) * step;

export function generateCustomers(rng: Random, scale: number): CustomerRecord[] {
  const count = customerCount(scale);
  const width = widthFor(count, 4);
  const erpWidth = widthFor(count, 5);
  // A shuffled walk over word × trade pairs keeps names unique; a branch number separates later rounds.
  const pairs = rng.shuffle(COMPANY_WORDS.flatMap((word) => COMPANY_TRADES.map((trade) => `${word} ${trade}`)));
  return Array.from({ length: count }, (_, i) => {
    const country = rng.weighted(COUNTRIES.map((c, index) => [c, index < 5 ? 3 : 1] as const));
    const round = Math.floor(i / pairs.length);
    const base = `${pairs[i % pairs.length]} ${country.legalForm}`;
    return {
      id: `C-${pad(i + 1, width)}`,
      erpReference: `CUST-${pad(i + 1, erpWidth)}`,
      name: round === 0 ? base : `${base} (${round + 1})`,
      country: country.code,
      creditLimit: roundTo(rng.float(20_000, 500_000) * country.rate, 5_000),
      currency: country.currency,
    };
  });
}

export function generateSuppliers(count: number): SupplierRecord[] {
  return SUPPLIERS.slice(0, count).map((supplier, i) => ({
    id: `S-${pad(i + 1, 4)}`,
    erpReference: `SUP-${pad(i + 1, 5)}`,
    name: supplier.name,
    country: supplier.country,
  }));
}

export interface Catalog {
  products: ProductRecord[];
  finishedGoods: ProductRecord[];
  rawMaterials: ProductRecord[];
  plans: Map<string, ProductPlan>;
  /** Raw material sku → supplier id. */
  supplierOf: Map<string, string>;
}

export function generateCatalog(rng: Random, scale: number, suppliers: readonly SupplierRecord[]): Catalog {
  const fgCount = finishedGoodCount(scale);
  const rmCount = rawMaterialCount(fgCount);
  const rawMaterials = RAW_MATERIALS.slice(0, rmCount).map((spec, i): ProductRecord => {
    const cost = roundToCents(spec.unitCost * rng.float(0.9, 1.1));
    const reorderPoint = roundTo(rng.float(200, 2_000), 50);
    return {
      sku: `RM-${pad(i + 1, 4)}`,
      // ERPNext names an Item by its item code.
      erpReference: `RM-${pad(i + 1, 4)}`,
      name: spec.name,
      unitOfMeasure: spec.unitOfMeasure,
      listPrice: cost,
      standardCost: cost,
      currency: COMPANY_CURRENCY,
      onHand: roundTo(reorderPoint * rng.float(0.3, 3), 10),
      reorderPoint,
    };
  });
  const finishedGoods = FINISHED_GOODS.slice(0, fgCount).map((spec, i): ProductRecord => {
    const listPrice = roundToCents(spec.basePrice * rng.float(0.9, 1.1));
    const reorderPoint = roundTo(rng.float(20, 150), 5);
    return {
      sku: `FG-${pad(i + 1, 4)}`,
      erpReference: `FG-${pad(i + 1, 4)}`,
      name: spec.name,
      unitOfMeasure: 'Nos',
      listPrice,
      standardCost: roundToCents(listPrice * rng.float(0.45, 0.7)),
      currency: COMPANY_CURRENCY,
      onHand: Math.round(reorderPoint * rng.float(0.2, 4)),
      reorderPoint,
    };
  });

  const plans = new Map<string, ProductPlan>();
  for (const product of finishedGoods) {
    const routingLength = rng.int(2, Math.min(4, WORK_CENTERS.length));
    plans.set(product.sku, {
      sku: product.sku,
      routing: rng.sample(WORK_CENTERS.map((_, i) => i), routingLength),
      bom: rng.sample(rawMaterials, rng.int(1, 3)).map((material) => {
        const spec = RAW_MATERIALS.find((s) => s.name === material.name)!;
        const perUnit = rng.float(spec.perUnit[0], spec.perUnit[1]);
        return { sku: material.sku, perUnit: spec.unitOfMeasure === 'Nos' ? Math.round(perUnit) : Math.round(perUnit * 100) / 100 };
      }),
      characteristics: rng.sample(CHARACTERISTICS.map((_, i) => i), rng.int(2, 3)),
    });
  }
  const supplierOf = new Map(rawMaterials.map((material, i) => [material.sku, suppliers[i % suppliers.length]!.id]));
  return { products: [...finishedGoods, ...rawMaterials], finishedGoods, rawMaterials, plans, supplierOf };
}
