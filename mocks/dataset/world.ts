import type {
  CustomerRecord,
  InvoiceRecord,
  ProductRecord,
  PurchaseOrderRecord,
  SalesOrderRecord,
  ShipmentRecord,
  SupplierRecord,
} from '../../subgraphs/erp/backend/erp-backend';
import type {
  MachineRecord,
  MaterialLotRecord,
  NonConformanceRecord,
  ProductionCountRecord,
  QualityInspectionRecord,
  StateIntervalRecord,
  WorkOrderRecord,
} from '../../subgraphs/mes/backend/mes-backend';
import type { IsoDateTime } from '../../subgraphs/common/paging';

/** The "now" of the seeded dataset: history lies before it, due dates on both sides of it. */
export const DEFAULT_ANCHOR = new Date('2026-03-02T06:00:00.000Z');
export const DEFAULT_SCALE = 200;

export interface WorldOptions {
  seed: number;
  /** Number of sales orders; everything else is sized from it. */
  scale: number;
  anchor?: Date;
}

/** What the ERP backend serves. Arrays are in id order (sales orders: orderedAt, then id). */
export interface ErpData {
  customers: CustomerRecord[];
  products: ProductRecord[];
  suppliers: SupplierRecord[];
  salesOrders: SalesOrderRecord[];
  shipments: ShipmentRecord[];
  invoices: InvoiceRecord[];
  purchaseOrders: PurchaseOrderRecord[];
}

/** What the MES backend serves. Intervals and counts are per machine in time order. */
export interface MesData {
  machines: MachineRecord[];
  stateIntervals: StateIntervalRecord[];
  productionCounts: ProductionCountRecord[];
  workOrders: WorkOrderRecord[];
  lots: MaterialLotRecord[];
  inspections: QualityInspectionRecord[];
  nonConformances: NonConformanceRecord[];
}

/** One consistent, deeply frozen dataset; the two halves reference each other by ids, sku and lot numbers. */
export interface World {
  seed: number;
  scale: number;
  anchor: IsoDateTime;
  erp: ErpData;
  mes: MesData;
}

/** How a finished good is made: known to both halves of the world, stored in neither contract. */
export interface ProductPlan {
  sku: string;
  /** Indexes into WORK_CENTERS, in routing order. */
  routing: number[];
  bom: { sku: string; perUnit: number }[];
  /** Indexes into CHARACTERISTICS checked on this product. */
  characteristics: number[];
}
