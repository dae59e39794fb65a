import { Pool, type PoolConfig } from 'pg';
import type { IsoDateTime, Page, PageResult } from '../../../common/paging';
import type { WorldOptions } from '../../../../mocks/dataset/world';
import type { PendingEvent } from '../../events/event-types';
import type {
  InspectionFilter,
  LotFilter,
  MachineFilter,
  MachineRecord,
  MachineStateChange,
  MaterialLotRecord,
  MesBackend,
  NewInspection,
  NonConformanceFilter,
  NonConformanceRecord,
  ProductionCountRecord,
  ProductionReportInput,
  QualityInspectionRecord,
  StateIntervalRecord,
  WorkOrderFilter,
  WorkOrderRecord,
  WorkOrderStatus,
} from '../mes-backend';
import { migrate } from './migrations';
import { LOT_SELECT, toCount, toInspection, toInterval, toLot, toMachine, toNonConformance, toWorkOrder, WORK_ORDER_SELECT } from './rows';
import { seedIfEmpty } from './seed';
import { byKeys, checkSchemaName, groupedByKeys, idOrder, instant, pageOf } from './sql';
import { PostgresMesWrites } from './writes';

export const DEFAULT_SCHEMA = 'forge_mes';

export interface PostgresMesBackendOptions {
  connectionString: string;
  /** PostgreSQL schema holding the tables; tests use their own and drop it afterwards. */
  schema?: string;
  /** The world loaded into an empty store (same seed and scale as the mocks → same data). */
  seed: WorldOptions;
  pool?: Omit<PoolConfig, 'connectionString' | 'options'>;
}

/**
 * MesBackend on PostgreSQL: every read is one set-based query per batch (`= ANY($1)`), grouped in key order
 * here; every write is one transaction that also stores its events in `event_outbox` (persistsEvents), which
 * the outbox relay publishes once committed.
 */
export class PostgresMesBackend implements MesBackend {
  readonly persistsEvents = true;
  private readonly writes: PostgresMesWrites;

  private constructor(
    readonly pool: Pool,
    readonly schema: string,
  ) {
    this.writes = new PostgresMesWrites(pool, schema);
  }

  /** Connects, migrates and seeds an empty store, under an advisory lock so concurrent starts do this once. */
  static async open(options: PostgresMesBackendOptions): Promise<PostgresMesBackend> {
    const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
    // search_path on every pooled connection: queries name tables unqualified, the schema picks the store.
    const pool = new Pool({ max: 10, ...options.pool, connectionString: options.connectionString, options: `-c search_path=${schema}` });
    // An idle client's network error is emitted on the pool; without a listener it would crash the process.
    pool.on('error', () => undefined);
    try {
      await migrate(pool, schema, (client) => seedIfEmpty(client, options.seed).then(() => undefined));
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresMesBackend(pool, schema);
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  async getWorkOrders(ids: readonly string[]) {
    const { rows } = await this.pool.query(`${WORK_ORDER_SELECT} WHERE wo.id = ANY($1)`, [ids]);
    return byKeys(rows, (r) => r.id, toWorkOrder, ids);
  }

  listWorkOrders(filter: WorkOrderFilter, page: Page): Promise<PageResult<WorkOrderRecord>> {
    return pageOf(
      this.pool,
      `${WORK_ORDER_SELECT}
       WHERE ($1::text IS NULL OR wo.status = $1) AND ($2::text IS NULL OR wo.sales_order_id = $2) AND ($3::text IS NULL OR wo.sku = $3)
         AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM operations m WHERE m.work_order_id = wo.id AND m.machine_id = $4))`,
      `scheduled_start, ${idOrder('id')}`,
      [filter.status ?? null, filter.salesOrderId ?? null, filter.sku ?? null, filter.machineId ?? null],
      page,
      toWorkOrder,
    );
  }

  /** Per sales order in id order, which is its line order. */
  async getWorkOrdersBySalesOrders(salesOrderIds: readonly string[]) {
    const { rows } = await this.pool.query(
      `SELECT w.*, w.sales_order_id AS key FROM (${WORK_ORDER_SELECT} WHERE wo.sales_order_id = ANY($1)) w ORDER BY ${idOrder('w.id')}`,
      [salesOrderIds],
    );
    return groupedByKeys(rows, toWorkOrder, salesOrderIds);
  }

  async getWorkOrdersByProducts(skus: readonly string[]) {
    const { rows } = await this.pool.query(`SELECT w.*, w.sku AS key FROM (${WORK_ORDER_SELECT} WHERE wo.sku = ANY($1)) w ORDER BY ${idOrder('w.id')}`, [skus]);
    return groupedByKeys(rows, toWorkOrder, skus);
  }

  /** One aggregate per sku over the sku index; the rule is production-progress.ts's productTotals. */
  async getProductTotals(skus: readonly string[]) {
    const { rows } = await this.pool.query<{ sku: string; wip: string; good: string; scrap: string }>(
      `SELECT sku,
              SUM(CASE WHEN status IN ('COMPLETED', 'CANCELLED') THEN 0 ELSE GREATEST(0, quantity_planned - quantity_good) END) AS wip,
              SUM(quantity_good) AS good, SUM(quantity_scrap) AS scrap
         FROM work_orders WHERE sku = ANY($1) GROUP BY sku`,
      [skus],
    );
    const bySku = new Map(rows.map((row) => [row.sku, row]));
    return skus.map((sku) => {
      const row = bySku.get(sku);
      return { sku, workInProgress: Number(row?.wip ?? 0), quantityGood: Number(row?.good ?? 0), quantityScrap: Number(row?.scrap ?? 0) };
    });
  }

  async getWorkOrdersByMachines(machineIds: readonly string[]) {
    const { rows } = await this.pool.query(
      `SELECT w.*, o.machine_id AS key FROM (SELECT DISTINCT work_order_id, machine_id FROM operations WHERE machine_id = ANY($1)) o
       JOIN (${WORK_ORDER_SELECT}) w ON w.id = o.work_order_id ORDER BY ${idOrder('w.id')}`,
      [machineIds],
    );
    return groupedByKeys(rows, toWorkOrder, machineIds);
  }

  async getMachines(ids: readonly string[]) {
    const { rows } = await this.pool.query('SELECT * FROM machines WHERE id = ANY($1)', [ids]);
    return byKeys(rows, (r) => r.id, toMachine, ids);
  }

  listMachines(filter: MachineFilter, page: Page): Promise<PageResult<MachineRecord>> {
    return pageOf(
      this.pool,
      `SELECT * FROM machines WHERE ($1::text IS NULL OR work_center = $1) AND ($2::text IS NULL OR state = $2)`,
      idOrder('id'),
      [filter.workCenter ?? null, filter.state ?? null],
      page,
      toMachine,
    );
  }

  async getStateHistory(machineIds: readonly string[], from: IsoDateTime, to: IsoDateTime): Promise<StateIntervalRecord[][]> {
    const start = instant(from, 'from');
    const end = instant(to, 'to');
    if (start >= end) return machineIds.map(() => []);
    const { rows } = await this.pool.query(
      `SELECT *, machine_id AS key FROM state_intervals
       WHERE machine_id = ANY($1) AND from_at < $3 AND (to_at IS NULL OR to_at > $2) ORDER BY from_at, id`,
      [machineIds, start, end],
    );
    return groupedByKeys(rows, toInterval, machineIds);
  }

  async getProductionCounts(machineIds: readonly string[], from: IsoDateTime, to: IsoDateTime): Promise<ProductionCountRecord[][]> {
    const start = instant(from, 'from');
    const end = instant(to, 'to');
    const { rows } = await this.pool.query(
      `SELECT *, machine_id AS key FROM production_counts WHERE machine_id = ANY($1) AND at >= $2 AND at < $3 ORDER BY at, id`,
      [machineIds, start, end],
    );
    return groupedByKeys(rows, toCount, machineIds);
  }

  async getLots(lotNumbers: readonly string[]) {
    const { rows } = await this.pool.query(`${LOT_SELECT} WHERE l.lot_number = ANY($1)`, [lotNumbers]);
    return byKeys(rows, (r) => r.lot_number, toLot, lotNumbers);
  }

  listLots(filter: LotFilter, page: Page): Promise<PageResult<MaterialLotRecord>> {
    return pageOf(this.pool, `${LOT_SELECT} WHERE ($1::text IS NULL OR l.sku = $1)`, idOrder('lot_number'), [filter.sku ?? null], page, toLot);
  }

  async getLotsProducedBy(workOrderIds: readonly string[]) {
    const { rows } = await this.pool.query(
      `SELECT x.*, x.produced_by_work_order_id AS key FROM (${LOT_SELECT} WHERE l.produced_by_work_order_id = ANY($1)) x ORDER BY ${idOrder('x.lot_number')}`,
      [workOrderIds],
    );
    return groupedByKeys(rows, toLot, workOrderIds);
  }

  async getLotsConsumedBy(workOrderIds: readonly string[]) {
    const { rows } = await this.pool.query(
      `SELECT x.*, c.work_order_id AS key FROM lot_consumption c JOIN (${LOT_SELECT}) x ON x.lot_number = c.lot_number
       WHERE c.work_order_id = ANY($1) ORDER BY ${idOrder('x.lot_number')}, c.position`,
      [workOrderIds],
    );
    return groupedByKeys(rows, toLot, workOrderIds);
  }

  async getLotChildren(lotNumbers: readonly string[]) {
    const { rows } = await this.pool.query(
      `SELECT x.*, g.parent_lot_number AS key FROM lot_genealogy g JOIN (${LOT_SELECT}) x ON x.lot_number = g.child_lot_number
       WHERE g.parent_lot_number = ANY($1) ORDER BY ${idOrder('x.lot_number')}, g.position`,
      [lotNumbers],
    );
    return groupedByKeys(rows, toLot, lotNumbers);
  }

  async getInspections(ids: readonly string[]) {
    const { rows } = await this.pool.query('SELECT * FROM inspections WHERE id = ANY($1)', [ids]);
    return byKeys(rows, (r) => r.id, toInspection, ids);
  }

  async getInspectionsByWorkOrders(workOrderIds: readonly string[]) {
    const { rows } = await this.pool.query(`SELECT *, work_order_id AS key FROM inspections WHERE work_order_id = ANY($1) ORDER BY ${idOrder('id')}`, [workOrderIds]);
    return groupedByKeys(rows, toInspection, workOrderIds);
  }

  async getInspectionsByLots(lotNumbers: readonly string[]) {
    const { rows } = await this.pool.query(`SELECT *, lot_number AS key FROM inspections WHERE lot_number = ANY($1) ORDER BY ${idOrder('id')}`, [lotNumbers]);
    return groupedByKeys(rows, toInspection, lotNumbers);
  }

  listInspections(filter: InspectionFilter, page: Page): Promise<PageResult<QualityInspectionRecord>> {
    return pageOf(
      this.pool,
      `SELECT * FROM inspections WHERE ($1::text IS NULL OR result = $1) AND ($2::text IS NULL OR work_order_id = $2)`,
      idOrder('id'),
      [filter.result ?? null, filter.workOrderId ?? null],
      page,
      toInspection,
    );
  }

  async getNonConformances(ids: readonly string[]) {
    const { rows } = await this.pool.query('SELECT * FROM non_conformances WHERE id = ANY($1)', [ids]);
    return byKeys(rows, (r) => r.id, toNonConformance, ids);
  }

  listNonConformances(filter: NonConformanceFilter, page: Page): Promise<PageResult<NonConformanceRecord>> {
    return pageOf(
      this.pool,
      `SELECT * FROM non_conformances WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR work_order_id = $2)`,
      idOrder('id'),
      [filter.status ?? null, filter.workOrderId ?? null],
      page,
      toNonConformance,
    );
  }

  transitionWorkOrder(id: string, from: WorkOrderStatus, to: WorkOrderStatus, at: IsoDateTime, events?: PendingEvent[]) {
    return this.writes.transitionWorkOrder(id, from, to, at, events);
  }

  reportProduction(input: ProductionReportInput, events?: PendingEvent[]) {
    return this.writes.reportProduction(input, events);
  }

  recordInspection(input: NewInspection, events?: PendingEvent[]) {
    return this.writes.recordInspection(input, events);
  }

  recordMachineState(machineId: string, change: MachineStateChange, events?: PendingEvent[]) {
    return this.writes.recordMachineState(machineId, change, events);
  }

  recordProductionCount(count: ProductionCountRecord) {
    return this.writes.recordProductionCount(count);
  }
}
