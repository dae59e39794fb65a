import type { MachineRecord, MesBackend, WorkOrderRecord, WorkOrderStatus } from '../../subgraphs/mes/backend/mes-backend';

/**
 * What the simulator looks at before each action: read fresh every time, because other writers (mutations,
 * telemetry) change the same backend between two simulated actions.
 */
export interface ShopFloorSnapshot {
  /** Every machine, in the backend's order. */
  machines: readonly MachineRecord[];
  /** Work orders production can be reported on (RELEASED, RUNNING, PAUSED), at most REPORTABLE_PAGE per status. */
  reportable: readonly WorkOrderRecord[];
  /** How many reportable work orders exist in all (the page above may hold fewer). */
  reportableCount: number;
  /** The PLANNED work order scheduled first: the one a dispatcher would release next. */
  nextPlanned: WorkOrderRecord | null;
}

/** The plant tops out at 100 machines (mocks/dataset/machines.ts); one page holds them all. */
const ALL_MACHINES = { offset: 0, limit: 1_000 };
/**
 * Caps what one action reads at benchmark scales (thousands of open work orders): a random pick among the
 * earliest-scheduled few hundred per status is as plausible as one among all of them.
 */
export const REPORTABLE_PAGE = 200;
const REPORTABLE_STATUSES: readonly WorkOrderStatus[] = ['RUNNING', 'PAUSED', 'RELEASED'];

export async function readShopFloor(backend: MesBackend): Promise<ShopFloorSnapshot> {
  const [machines, planned, ...open] = await Promise.all([
    backend.listMachines({}, ALL_MACHINES),
    backend.listWorkOrders({ status: 'PLANNED' }, { offset: 0, limit: 1 }),
    ...REPORTABLE_STATUSES.map((status) => backend.listWorkOrders({ status }, { offset: 0, limit: REPORTABLE_PAGE })),
  ]);
  return {
    machines: machines.items,
    reportable: open.flatMap((page) => page.items),
    reportableCount: open.reduce((sum, page) => sum + page.totalCount, 0),
    nextPlanned: planned.items[0] ?? null,
  };
}
