import { productTotals, summarizeProgress, totalsYield, workInProgress } from '../../../subgraphs/mes/production/production-progress';
import type { WorkOrderStatus } from '../../../subgraphs/mes/backend/mes-backend';

const wo = (status: WorkOrderStatus, quantityPlanned: number, quantityGood: number, quantityScrap: number) => ({
  status,
  quantityPlanned,
  quantityGood,
  quantityScrap,
});

describe('summarizeProgress', () => {
  it('sums live work orders and leaves cancelled ones out', () => {
    expect(
      summarizeProgress([wo('COMPLETED', 100, 100, 4), wo('RUNNING', 300, 50, 6), wo('CANCELLED', 500, 20, 20)]),
    ).toEqual({
      quantityPlanned: 400,
      quantityGood: 150,
      quantityScrap: 10,
      percentComplete: 37.5,
      workOrderCount: 2,
      completedWorkOrderCount: 1,
    });
  });

  it('caps percentComplete at 100 and gives 0 when nothing is planned', () => {
    expect(summarizeProgress([wo('COMPLETED', 100, 120, 0)]).percentComplete).toBe(100);
    expect(summarizeProgress([])).toEqual({
      quantityPlanned: 0,
      quantityGood: 0,
      quantityScrap: 0,
      percentComplete: 0,
      workOrderCount: 0,
      completedWorkOrderCount: 0,
    });
  });
});

describe('workInProgress', () => {
  it('is the open quantity of work orders neither completed nor cancelled', () => {
    expect(
      workInProgress([
        wo('PLANNED', 100, 0, 0),
        wo('RUNNING', 300, 120, 9),
        wo('PAUSED', 50, 60, 0), // over-produced: owes nothing
        wo('COMPLETED', 200, 150, 0),
        wo('CANCELLED', 400, 0, 0),
      ]),
    ).toBe(280);
  });
});

describe('qualityYield (totalsYield of productTotals)', () => {
  const qualityYield = (workOrders: ReturnType<typeof wo>[]) => totalsYield(productTotals('P-1', workOrders));
  it('is good / (good + scrap) over every work order, null before any output', () => {
    expect(qualityYield([wo('COMPLETED', 100, 90, 10), wo('CANCELLED', 100, 45, 5)])).toBeCloseTo(135 / 150, 12);
    expect(qualityYield([wo('PLANNED', 100, 0, 0)])).toBeNull();
    expect(qualityYield([])).toBeNull();
  });
});
