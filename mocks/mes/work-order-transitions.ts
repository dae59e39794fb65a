import type { OperationRecord, WorkOrderRecord, WorkOrderStatus } from '../../subgraphs/mes/backend/mes-backend';

/**
 * What a status change does to a work order's times and operations, as an MES would book it. Whether the
 * change is allowed is the subgraph's rule; the backend only applies it.
 */
export function applyTransition(workOrder: WorkOrderRecord, to: WorkOrderStatus, at: string): WorkOrderRecord {
  const next: WorkOrderRecord = { ...workOrder, status: to, operations: workOrder.operations.map((op) => ({ ...op })) };
  if (to === 'RUNNING') {
    next.actualStart ??= at;
    // Starting (or resuming) work puts the first unfinished step on its machine.
    if (!next.operations.some((op) => op.status === 'RUNNING')) {
      const pending = next.operations.find((op) => op.status === 'PENDING');
      if (pending) start(pending, at);
    }
  }
  if (to === 'COMPLETED') {
    next.actualStart ??= at;
    next.actualEnd = at;
    // Completion closes every step, including ones booked on paper only.
    for (const op of next.operations) {
      if (op.status === 'PENDING') start(op, at);
      if (op.status === 'RUNNING') finish(op, at);
    }
  }
  return next;
}

/** The operation currently on a machine, if any: where a production report's units were made. */
export const runningOperation = (workOrder: WorkOrderRecord): OperationRecord | undefined =>
  workOrder.operations.find((op) => op.status === 'RUNNING');

function start(op: OperationRecord, at: string): void {
  op.status = 'RUNNING';
  op.startedAt = at;
}

function finish(op: OperationRecord, at: string): void {
  op.status = 'DONE';
  op.endedAt = at;
}
