import { assessProductionRisk, type RiskWorkOrder } from '../../../subgraphs/mes/production/production-risk';

const now = new Date('2026-03-02T06:00:00.000Z');
const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);
const iso = (h: number) => hours(h).toISOString();

function workOrder(overrides: Partial<RiskWorkOrder>): RiskWorkOrder {
  return {
    status: 'RUNNING',
    quantityPlanned: 1000,
    quantityGood: 0,
    quantityScrap: 0,
    actualStart: null,
    actualEnd: null,
    ...overrides,
  };
}

// 420 units (400 good) in the 4 h since start: 105/h measured, 100 good/h; 600 remain → 6 h → now + 6 h.
const running = workOrder({ quantityGood: 400, quantityScrap: 20, actualStart: iso(-4) });

describe('assessProductionRisk', () => {
  it('is ON_TRACK when the projection at the measured good rate lands before the due date', () => {
    expect(assessProductionRisk([running], hours(10), now)).toEqual({
      level: 'ON_TRACK',
      projectedCompletion: hours(6),
      remainingQuantity: 600,
      ratePerHour: 105,
      goodRatePerHour: 100,
    });
  });

  it('is ON_TRACK when the projection lands exactly on the due date', () => {
    expect(assessProductionRisk([running], hours(6), now).level).toBe('ON_TRACK');
  });

  it('is AT_RISK when the projection lands after a due date still ahead', () => {
    expect(assessProductionRisk([running], hours(5), now)).toMatchObject({ level: 'AT_RISK', projectedCompletion: hours(6) });
  });

  it('is LATE once the due date has passed with quantity remaining, and still projects', () => {
    expect(assessProductionRisk([running], hours(-1), now)).toMatchObject({
      level: 'LATE',
      projectedCompletion: hours(6),
      remainingQuantity: 600,
    });
  });

  it('is AT_RISK without a projection when a started work order has made no good units', () => {
    const stuck = workOrder({ quantityScrap: 30, actualStart: iso(-2) });
    expect(assessProductionRisk([stuck], hours(10), now)).toEqual({
      level: 'AT_RISK',
      projectedCompletion: null,
      remainingQuantity: 1000,
      ratePerHour: 15,
      goodRatePerHour: 0,
    });
  });

  it('is NOT_STARTED when nothing has started and the due date is ahead, LATE when it has passed', () => {
    const planned = workOrder({ status: 'RELEASED' });
    expect(assessProductionRisk([planned], hours(48), now)).toEqual({
      level: 'NOT_STARTED',
      projectedCompletion: null,
      remainingQuantity: 1000,
      ratePerHour: null,
      goodRatePerHour: null,
    });
    expect(assessProductionRisk([planned], hours(-1), now).level).toBe('LATE');
  });

  it('is NOT_STARTED with nothing remaining when there are no live work orders', () => {
    expect(assessProductionRisk([], hours(1), now)).toMatchObject({ level: 'NOT_STARTED', remainingQuantity: 0 });
    const cancelled = workOrder({ status: 'CANCELLED', quantityGood: 10, actualStart: iso(-3) });
    expect(assessProductionRisk([cancelled], hours(-1), now)).toMatchObject({ level: 'NOT_STARTED', remainingQuantity: 0 });
  });

  it('is COMPLETE when every live work order is done, projecting the last actual end', () => {
    const first = workOrder({ status: 'COMPLETED', quantityGood: 1000, actualStart: iso(-20), actualEnd: iso(-12) });
    // Completed short of plan: closed, nothing more is owed.
    const second = workOrder({ status: 'COMPLETED', quantityGood: 950, quantityScrap: 50, actualStart: iso(-12), actualEnd: iso(-4) });
    expect(assessProductionRisk([first, second, workOrder({ status: 'CANCELLED' })], hours(-1), now)).toEqual({
      level: 'COMPLETE',
      projectedCompletion: hours(-4),
      remainingQuantity: 0,
      ratePerHour: 2000 / 16,
      goodRatePerHour: 1950 / 16,
    });
  });

  it('is COMPLETE at now when the quantity is made but the work order is not closed yet', () => {
    const done = workOrder({ quantityGood: 1000, actualStart: iso(-5) });
    expect(assessProductionRisk([done], hours(1), now)).toMatchObject({ level: 'COMPLETE', projectedCompletion: now });
  });

  it('measures one rate over all started work orders, from the earliest start to now', () => {
    const finished = workOrder({ status: 'COMPLETED', quantityPlanned: 200, quantityGood: 200, actualStart: iso(-8), actualEnd: iso(-6) });
    const current = workOrder({ quantityPlanned: 500, quantityGood: 200, actualStart: iso(-6) });
    const waiting = workOrder({ status: 'PLANNED', quantityPlanned: 300 });
    // 400 good in 8 h = 50/h; remaining 300 + 300 = 600 → 12 h.
    expect(assessProductionRisk([finished, current, waiting], hours(24), now)).toEqual({
      level: 'ON_TRACK',
      projectedCompletion: hours(12),
      remainingQuantity: 600,
      ratePerHour: 50,
      goodRatePerHour: 50,
    });
  });

  it('measures up to the last actual end when every started work order has ended', () => {
    const finished = workOrder({ status: 'COMPLETED', quantityPlanned: 100, quantityGood: 100, actualStart: iso(-10), actualEnd: iso(-8) });
    const waiting = workOrder({ status: 'RELEASED', quantityPlanned: 100 });
    // 100 in 2 h = 50/h; 100 remaining → 2 h from now.
    expect(assessProductionRisk([finished, waiting], hours(1), now)).toMatchObject({
      level: 'AT_RISK',
      projectedCompletion: hours(2),
      ratePerHour: 50,
    });
  });
});
