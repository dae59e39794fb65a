import type { Pool, PoolClient } from 'pg';
import { notFound } from '../../../common/errors';
import type { IsoDateTime } from '../../../common/paging';
import { inspectionResult } from '../../quality/inspection-result';
import type { PendingEvent } from '../../events/event-types';
import type {
  MachineRecord,
  MachineStateChange,
  NewInspection,
  NonConformanceRecord,
  ProductionCountRecord,
  ProductionReportInput,
  ProductionReportRecord,
  QualityInspectionRecord,
  WorkOrderRecord,
  WorkOrderStatus,
} from '../mes-backend';
import { writeOutbox } from './outbox';
import { toInspection, toMachine, toNonConformance, toReport, toWorkOrder, WORK_ORDER_SELECT } from './rows';
import { idOrder, inTransaction, instant, nextCounter } from './sql';

/** Machine states in which a machine names the work order it serves (the mocks' ATTACHED_STATES). */
const ATTACHED_STATES = ['RUNNING', 'SETUP', 'DOWN'];
/** Thrown inside a transaction only to roll it back; never escapes this module. */
const LOST_RACE = new Error('idempotency key taken by a concurrent report');
const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** The writes of PostgresMesBackend: each one transaction, its outbox events committed with it or not at all. */
export class PostgresMesWrites {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  /**
   * Compare-and-set in one UPDATE … WHERE status = $from: of two racing callers exactly one gets the row.
   * The times and operations follow mocks/mes/work-order-transitions (RUNNING starts the first pending step
   * unless one runs; COMPLETED closes every step).
   */
  transitionWorkOrder(id: string, from: WorkOrderStatus, to: WorkOrderStatus, at: IsoDateTime, events?: PendingEvent[]): Promise<WorkOrderRecord | null> {
    const when = instant(at, 'at');
    return inTransaction(this.pool, async (client) => {
      const moved = await client.query(
        `UPDATE work_orders SET status = $3,
           actual_start = CASE WHEN $3 IN ('RUNNING', 'COMPLETED') THEN coalesce(actual_start, $4) ELSE actual_start END,
           actual_end = CASE WHEN $3 = 'COMPLETED' THEN $4 ELSE actual_end END
         WHERE id = $1 AND status = $2 RETURNING id`,
        [id, from, to, when],
      );
      if (moved.rowCount === 0) return null;
      if (to === 'RUNNING') {
        await client.query(
          `UPDATE operations SET status = 'RUNNING', started_at = $2
           WHERE work_order_id = $1 AND NOT EXISTS (SELECT 1 FROM operations r WHERE r.work_order_id = $1 AND r.status = 'RUNNING')
             AND position = (SELECT min(position) FROM operations p WHERE p.work_order_id = $1 AND p.status = 'PENDING')`,
          [id, when],
        );
      }
      if (to === 'COMPLETED') {
        await client.query(
          `UPDATE operations SET status = 'DONE', ended_at = $2,
             started_at = CASE WHEN status = 'PENDING' THEN $2 ELSE started_at END
           WHERE work_order_id = $1 AND status IN ('PENDING', 'RUNNING')`,
          [id, when],
        );
      }
      const machines = await client.query('SELECT DISTINCT machine_id FROM operations WHERE work_order_id = $1', [id]);
      await refreshAttachment(client, machines.rows.map((row) => row.machine_id));
      await writeOutbox(client, this.schema, events);
      const { rows } = await client.query(`${WORK_ORDER_SELECT} WHERE wo.id = $1`, [id]);
      return toWorkOrder(rows[0]);
    });
  }

  /**
   * Once per idempotency key, also under concurrency: the report row is inserted ON CONFLICT DO NOTHING, and a
   * racing transaction with the same key waits on the unique index until the first commits, then sees the
   * conflict and returns the first report as a duplicate (its own transaction rolls back, changing nothing).
   */
  async reportProduction(input: ProductionReportInput, events?: PendingEvent[]): Promise<{ report: ProductionReportRecord; duplicate: boolean }> {
    const earlier = await this.findReport(this.pool, input.idempotencyKey);
    if (earlier) return { report: earlier, duplicate: true };
    const at = instant(input.at, 'at');
    const outcome = await inTransaction(this.pool, async (client) => {
      const found = await client.query(`${WORK_ORDER_SELECT} WHERE wo.id = $1`, [input.workOrderId]);
      if (found.rowCount === 0) throw notFound('WorkOrder', input.workOrderId, 'workOrderId');
      const workOrder = toWorkOrder(found.rows[0]);
      const machineId = input.machineId ?? workOrder.operations.find((op) => op.status === 'RUNNING')?.machineId ?? null;
      if (machineId !== null && !(await machineExists(client, machineId))) throw notFound('Machine', machineId, 'machineId');

      const id = `PR-${pad(await nextCounter(client, 'PR'), 6)}`;
      const inserted = await client.query(
        `INSERT INTO production_reports (id, idempotency_key, work_order_id, machine_id, good, scrap, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
        [id, input.idempotencyKey, workOrder.id, machineId, input.good, input.scrap, at],
      );
      // Lost the race: throw to roll back the counter (no gap in PR ids), then read the winner outside it.
      if (inserted.rowCount === 0) throw LOST_RACE;
      await client.query('UPDATE work_orders SET quantity_good = quantity_good + $2, quantity_scrap = quantity_scrap + $3 WHERE id = $1', [
        workOrder.id,
        input.good,
        input.scrap,
      ]);
      if (machineId !== null) {
        await client.query('INSERT INTO production_counts (machine_id, work_order_id, at, good, scrap) VALUES ($1, $2, $3, $4, $5)', [
          machineId,
          workOrder.id,
          at,
          input.good,
          input.scrap,
        ]);
      }
      await writeOutbox(client, this.schema, events);
      return toReport(inserted.rows[0]);
    }).catch((error) => {
      if (error === LOST_RACE) return null;
      throw error;
    });
    if (outcome) return { report: outcome, duplicate: false };
    const winner = await this.findReport(this.pool, input.idempotencyKey);
    if (!winner) throw new Error(`production report ${input.idempotencyKey} conflicted but cannot be read`);
    return { report: winner, duplicate: true };
  }

  /** The inspection, and for a FAIL its non-conformance, in one transaction. */
  recordInspection(input: NewInspection, events?: PendingEvent[]): Promise<{ inspection: QualityInspectionRecord; nonConformance: NonConformanceRecord | null }> {
    const inspectedAt = instant(input.inspectedAt, 'input.inspectedAt');
    return inTransaction(this.pool, async (client) => {
      const workOrder = await client.query('SELECT 1 FROM work_orders WHERE id = $1', [input.workOrderId]);
      if (workOrder.rowCount === 0) throw notFound('WorkOrder', input.workOrderId, 'input.workOrderId');
      if (input.lotNumber !== null) {
        const lot = await client.query('SELECT 1 FROM lots WHERE lot_number = $1', [input.lotNumber]);
        if (lot.rowCount === 0) throw notFound('MaterialLot', input.lotNumber, 'input.lotNumber');
      }
      const result = inspectionResult(input.measuredValue, input.lowerLimit, input.upperLimit);
      const id = `QI-${pad(await nextCounter(client, 'QI'), 6)}`;
      let nonConformance: NonConformanceRecord | null = null;
      if (result === 'FAIL') {
        const ncId = `NC-${pad(await nextCounter(client, 'NC'), 6)}`;
        const year = inspectedAt.getUTCFullYear();
        const number = `NCR-${year}-${pad(await nextCounter(client, `NCR-${year}`), 5)}`;
        const description = `${input.characteristic} ${input.measuredValue} ${input.unit} outside ${input.lowerLimit}–${input.upperLimit} ${input.unit}`;
        const { rows } = await client.query(
          `INSERT INTO non_conformances (id, number, inspection_id, work_order_id, lot_number, description, status, opened_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'OPEN', $7) RETURNING *`,
          [ncId, number, id, input.workOrderId, input.lotNumber, description, inspectedAt],
        );
        nonConformance = toNonConformance(rows[0]);
      }
      const { rows } = await client.query(
        `INSERT INTO inspections (id, work_order_id, lot_number, characteristic, measured_value, lower_limit, upper_limit, unit, result, inspected_at, non_conformance_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
        [id, input.workOrderId, input.lotNumber, input.characteristic, input.measuredValue, input.lowerLimit, input.upperLimit, input.unit, result, inspectedAt, nonConformance?.id ?? null],
      );
      await writeOutbox(client, this.schema, events);
      return { inspection: toInspection(rows[0]), nonConformance };
    });
  }

  /**
   * Closes the open interval and opens the new one (the mocks' MachineTimeline.changeState): a change at the
   * instant the open interval began replaces it, so no empty interval is stored. The machine row is locked
   * first, so concurrent changes of one machine apply one after the other.
   */
  recordMachineState(machineId: string, change: MachineStateChange, events?: PendingEvent[]): Promise<{ previous: MachineRecord; machine: MachineRecord }> {
    const at = instant(change.at, 'at');
    return inTransaction(this.pool, async (client) => {
      const locked = await client.query('SELECT * FROM machines WHERE id = $1 FOR UPDATE', [machineId]);
      if (locked.rowCount === 0) throw notFound('Machine', machineId, 'machineId');
      const previous = toMachine(locked.rows[0]);
      const open = await client.query('SELECT id, from_at FROM state_intervals WHERE machine_id = $1 ORDER BY from_at DESC, id DESC LIMIT 1', [machineId]);
      if (open.rowCount) {
        const openedAt: Date = open.rows[0].from_at;
        if (at < openedAt) throw new RangeError(`state change at ${at.toISOString()} precedes the current state's start ${openedAt.toISOString()}`);
        if (at > openedAt) await client.query('UPDATE state_intervals SET to_at = $2 WHERE id = $1', [open.rows[0].id, at]);
        else await client.query('DELETE FROM state_intervals WHERE id = $1', [open.rows[0].id]);
      }
      await client.query('INSERT INTO state_intervals (machine_id, state, reason_code, loss_category, from_at) VALUES ($1, $2, $3, $4, $5)', [
        machineId,
        change.state,
        change.reasonCode,
        change.lossCategory,
        at,
      ]);
      await client.query('UPDATE machines SET state = $2, state_since = $3, reason_code = $4, loss_category = $5 WHERE id = $1', [
        machineId,
        change.state,
        at,
        change.reasonCode,
        change.lossCategory,
      ]);
      await refreshAttachment(client, [machineId]);
      await writeOutbox(client, this.schema, events);
      const { rows } = await client.query('SELECT * FROM machines WHERE id = $1', [machineId]);
      return { previous, machine: toMachine(rows[0]) };
    });
  }

  async recordProductionCount(count: ProductionCountRecord): Promise<void> {
    const at = instant(count.at, 'at');
    if (!(await machineExists(this.pool, count.machineId))) throw notFound('Machine', count.machineId, 'machineId');
    await this.pool.query('INSERT INTO production_counts (machine_id, work_order_id, at, good, scrap) VALUES ($1, $2, $3, $4, $5)', [
      count.machineId,
      count.workOrderId,
      at,
      count.good,
      count.scrap,
    ]);
  }

  private async findReport(db: Pick<Pool, 'query'>, key: string): Promise<ProductionReportRecord | null> {
    const { rows } = await db.query('SELECT * FROM production_reports WHERE idempotency_key = $1', [key]);
    return rows[0] ? toReport(rows[0]) : null;
  }
}

async function machineExists(db: Pick<Pool, 'query'>, machineId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM machines WHERE id = $1', [machineId]);
  return (rowCount ?? 0) > 0;
}

/**
 * A machine names the RUNNING work order whose running step is on it (lowest id first), while it is in a state
 * that serves one; otherwise none. Same rule as the mocks' refreshAttachment.
 */
async function refreshAttachment(client: PoolClient, machineIds: string[]): Promise<void> {
  if (machineIds.length === 0) return;
  await client.query(
    `UPDATE machines m SET current_work_order_id = next.work_order_id
     FROM (
       SELECT m2.id, CASE WHEN m2.state = ANY($2) THEN (
         SELECT wo.id FROM operations o JOIN work_orders wo ON wo.id = o.work_order_id
         WHERE o.machine_id = m2.id AND o.status = 'RUNNING' AND wo.status = 'RUNNING'
           AND o.position = (SELECT min(f.position) FROM operations f WHERE f.work_order_id = wo.id AND f.status = 'RUNNING')
         ORDER BY ${idOrder('wo.id')} LIMIT 1) END AS work_order_id
       FROM machines m2 WHERE m2.id = ANY($1)
     ) AS next
     WHERE m.id = next.id AND m.current_work_order_id IS DISTINCT FROM next.work_order_id`,
    [machineIds, ATTACHED_STATES],
  );
}
