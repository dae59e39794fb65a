import type { PoolClient } from 'pg';
import { loadWorld } from '../../../../mocks/dataset/load-world';
import type { MesData, WorldOptions } from '../../../../mocks/dataset/world';

/** Rows per INSERT: each column travels as one array parameter, so a batch is one round trip whatever its width. */
const BATCH = 10_000;

/**
 * Inserts `rows` with one `INSERT … SELECT FROM unnest($1::t[], $2::t[], …)` per batch: a multi-row insert with
 * a fixed number of parameters, which loads the scale-200 world in well under a second.
 */
async function bulkInsert<R>(client: PoolClient, table: string, columns: [name: string, type: string, value: (row: R) => unknown][], rows: readonly R[]) {
  const names = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    const params = columns.map(([, , value]) => batch.map(value));
    // WITH ORDINALITY + ORDER BY keeps the array order, so bigserial ids follow the data's order.
    await client.query(
      `INSERT INTO ${table} (${names}) SELECT ${columns.map((_, i) => `u.c${i}`).join(', ')}
       FROM unnest(${arrays}) WITH ORDINALITY AS u(${columns.map((_, i) => `c${i}`).join(', ')}, n) ORDER BY u.n`,
      params,
    );
  }
}

/** Highest numeric suffix of ids like `QI-000123` (the mocks' Sequence.after). */
function highest(prefix: string, values: Iterable<string>): number {
  let top = 0;
  for (const value of values) {
    if (!value.startsWith(`${prefix}-`)) continue;
    const n = Number(value.slice(prefix.length + 1));
    if (Number.isInteger(n) && n > top) top = n;
  }
  return top;
}

/** Per-year highest `NCR-YYYY-NNNNN` (the mocks' YearlySeries.after). */
function yearlyHighest(prefix: string, references: Iterable<string>): Map<string, number> {
  const counters = new Map<string, number>();
  const pattern = new RegExp(`^${prefix}-(\\d{4})-(\\d+)$`);
  for (const reference of references) {
    const match = pattern.exec(reference);
    if (!match) continue;
    const name = `${prefix}-${match[1]}`;
    counters.set(name, Math.max(counters.get(name) ?? 0, Number(match[2])));
  }
  return counters;
}

/**
 * Loads the seeded world's MES half when the store is empty; a store holding anything is never reseeded (it
 * holds real writes). Runs inside the migration transaction, under its advisory lock, so instances starting
 * together seed once. Returns whether it seeded.
 */
export async function seedIfEmpty(client: PoolClient, options: WorldOptions): Promise<boolean> {
  const { rows } = await client.query(`SELECT EXISTS (SELECT 1 FROM store_meta WHERE key = 'seed') AS seeded`);
  if (rows[0].seeded) return false;
  await seedWorld(client, loadWorld(options).mes);
  await client.query(`INSERT INTO store_meta (key, value) VALUES ('seed', $1)`, [
    JSON.stringify({ seed: options.seed, scale: options.scale, anchor: options.anchor?.toISOString() ?? null, at: new Date().toISOString() }),
  ]);
  return true;
}

async function seedWorld(client: PoolClient, mes: MesData): Promise<void> {
  await bulkInsert(client, 'machines', [
    ['id', 'text', (m) => m.id], ['name', 'text', (m) => m.name], ['site', 'text', (m) => m.site], ['area', 'text', (m) => m.area],
    ['work_center', 'text', (m) => m.workCenter], ['ideal_cycle_time_seconds', 'float8', (m) => m.idealCycleTimeSeconds],
    ['state', 'text', (m) => m.state], ['state_since', 'timestamptz', (m) => m.stateSince], ['reason_code', 'text', (m) => m.reasonCode],
    ['loss_category', 'text', (m) => m.lossCategory], ['current_work_order_id', 'text', (m) => m.currentWorkOrderId],
  ], mes.machines);
  await bulkInsert(client, 'state_intervals', [
    ['machine_id', 'text', (s) => s.machineId], ['state', 'text', (s) => s.state], ['reason_code', 'text', (s) => s.reasonCode],
    ['loss_category', 'text', (s) => s.lossCategory], ['from_at', 'timestamptz', (s) => s.from], ['to_at', 'timestamptz', (s) => s.to],
  ], mes.stateIntervals);
  await bulkInsert(client, 'production_counts', [
    ['machine_id', 'text', (c) => c.machineId], ['work_order_id', 'text', (c) => c.workOrderId], ['at', 'timestamptz', (c) => c.at],
    ['good', 'int4', (c) => c.good], ['scrap', 'int4', (c) => c.scrap],
  ], mes.productionCounts);
  await bulkInsert(client, 'work_orders', [
    ['id', 'text', (w) => w.id], ['erp_reference', 'text', (w) => w.erpReference], ['number', 'text', (w) => w.number],
    ['sales_order_id', 'text', (w) => w.salesOrderId], ['sku', 'text', (w) => w.sku], ['quantity_planned', 'int4', (w) => w.quantityPlanned],
    ['quantity_good', 'int4', (w) => w.quantityGood], ['quantity_scrap', 'int4', (w) => w.quantityScrap], ['status', 'text', (w) => w.status],
    ['scheduled_start', 'timestamptz', (w) => w.scheduledStart], ['scheduled_end', 'timestamptz', (w) => w.scheduledEnd],
    ['actual_start', 'timestamptz', (w) => w.actualStart], ['actual_end', 'timestamptz', (w) => w.actualEnd],
  ], mes.workOrders);
  const operations = mes.workOrders.flatMap((w) => w.operations.map((op, position) => ({ ...op, workOrderId: w.id, position })));
  await bulkInsert(client, 'operations', [
    ['work_order_id', 'text', (o) => o.workOrderId], ['position', 'int4', (o) => o.position], ['sequence', 'int4', (o) => o.sequence],
    ['name', 'text', (o) => o.name], ['work_center', 'text', (o) => o.workCenter], ['machine_id', 'text', (o) => o.machineId],
    ['status', 'text', (o) => o.status], ['started_at', 'timestamptz', (o) => o.startedAt], ['ended_at', 'timestamptz', (o) => o.endedAt],
  ], operations);
  await bulkInsert(client, 'lots', [
    ['lot_number', 'text', (l) => l.lotNumber], ['sku', 'text', (l) => l.sku], ['quantity', 'float8', (l) => l.quantity],
    ['unit_of_measure', 'text', (l) => l.unitOfMeasure], ['produced_by_work_order_id', 'text', (l) => l.producedByWorkOrderId],
    ['created_at', 'timestamptz', (l) => l.createdAt],
  ], mes.lots);
  const consumption = mes.lots.flatMap((l) => l.consumedByWorkOrderIds.map((workOrderId, position) => ({ lot: l.lotNumber, position, workOrderId })));
  await bulkInsert(client, 'lot_consumption', [
    ['lot_number', 'text', (c) => c.lot], ['position', 'int4', (c) => c.position], ['work_order_id', 'text', (c) => c.workOrderId],
  ], consumption);
  const genealogy = mes.lots.flatMap((l) => l.parentLotNumbers.map((parent, position) => ({ child: l.lotNumber, position, parent })));
  await bulkInsert(client, 'lot_genealogy', [
    ['child_lot_number', 'text', (g) => g.child], ['position', 'int4', (g) => g.position], ['parent_lot_number', 'text', (g) => g.parent],
  ], genealogy);
  await bulkInsert(client, 'inspections', [
    ['id', 'text', (i) => i.id], ['work_order_id', 'text', (i) => i.workOrderId], ['lot_number', 'text', (i) => i.lotNumber],
    ['characteristic', 'text', (i) => i.characteristic], ['measured_value', 'float8', (i) => i.measuredValue],
    ['lower_limit', 'float8', (i) => i.lowerLimit], ['upper_limit', 'float8', (i) => i.upperLimit], ['unit', 'text', (i) => i.unit],
    ['result', 'text', (i) => i.result], ['inspected_at', 'timestamptz', (i) => i.inspectedAt],
    ['non_conformance_id', 'text', (i) => i.nonConformanceId],
  ], mes.inspections);
  await bulkInsert(client, 'non_conformances', [
    ['id', 'text', (n) => n.id], ['number', 'text', (n) => n.number], ['inspection_id', 'text', (n) => n.inspectionId],
    ['work_order_id', 'text', (n) => n.workOrderId], ['lot_number', 'text', (n) => n.lotNumber], ['description', 'text', (n) => n.description],
    ['status', 'text', (n) => n.status], ['opened_at', 'timestamptz', (n) => n.openedAt],
  ], mes.nonConformances);

  const counters = new Map<string, number>([
    ['QI', highest('QI', mes.inspections.map((i) => i.id))],
    ['NC', highest('NC', mes.nonConformances.map((n) => n.id))],
    ...yearlyHighest('NCR', mes.nonConformances.map((n) => n.number)),
  ]);
  await bulkInsert(client, 'counters', [['name', 'text', ([name]) => name], ['value', 'int8', ([, value]) => value]], [...counters]);
}
