import { computeOee, isPlannedLoss, type OeeStateInterval } from '../../../subgraphs/mes/equipment/oee';

const at = (hhmm: string) => `2026-03-01T${hhmm}:00.000Z`;
const window = { from: new Date(at('08:00')), to: new Date(at('16:00')) };
const HOUR = 3600;

describe('computeOee', () => {
  it('clips intervals to the window, excludes planned losses and counts only inside [from, to)', () => {
    const intervals: OeeStateInterval[] = [
      { state: 'RUNNING', lossCategory: null, from: at('07:00'), to: at('10:00') }, // 2 h inside
      { state: 'DOWN', lossCategory: 'AVAILABILITY', from: at('10:00'), to: at('11:00') },
      { state: 'MAINTENANCE', lossCategory: 'PLANNED', from: at('11:00'), to: at('12:00') },
      { state: 'RUNNING', lossCategory: null, from: at('12:00'), to: null }, // open: runs to the window end, 4 h
    ];
    const counts = [
      { at: at('07:59'), good: 100, scrap: 0 }, // before the window
      { at: at('09:00'), good: 300, scrap: 20 },
      { at: at('13:00'), good: 350, scrap: 30 },
      { at: at('16:00'), good: 50, scrap: 0 }, // the end is exclusive
    ];
    const result = computeOee({ window, idealCycleTimeSeconds: 30, intervals, counts });

    expect(result).toMatchObject({
      windowTime: 8 * HOUR,
      plannedLossTime: 1 * HOUR,
      plannedTime: 7 * HOUR,
      runTime: 6 * HOUR,
      stopTime: 1 * HOUR,
      totalCount: 700,
      goodCount: 650,
      scrapCount: 50,
      idealCycleTime: 30,
    });
    expect(result.availability).toBeCloseTo(6 / 7, 12);
    expect(result.performance).toBeCloseTo((30 * 700) / (6 * HOUR), 12); // 0.9722…
    expect(result.quality).toBeCloseTo(650 / 700, 12);
    expect(result.oee).toBeCloseTo((6 / 7) * ((30 * 700) / (6 * HOUR)) * (650 / 700), 12);
    expect(result.from).toEqual(window.from);
    expect(result.to).toEqual(window.to);
  });

  it('caps performance at 1 when more was counted than the ideal rate allows', () => {
    const result = computeOee({
      window: { from: new Date(at('08:00')), to: new Date(at('09:00')) },
      idealCycleTimeSeconds: 60,
      intervals: [{ state: 'RUNNING', lossCategory: null, from: at('08:00'), to: at('09:00') }],
      counts: [{ at: at('08:30'), good: 90, scrap: 10 }], // 100 × 60 s = 6000 s of work in 3600 s
    });
    expect(result.performance).toBe(1);
    expect(result.availability).toBe(1);
    expect(result.quality).toBeCloseTo(0.9, 12);
    expect(result.oee).toBeCloseTo(0.9, 12);
  });

  it('gives availability 0 and oee 0 when the machine never ran; performance and quality cannot be measured', () => {
    const result = computeOee({
      window: { from: new Date(at('08:00')), to: new Date(at('10:00')) },
      idealCycleTimeSeconds: 30,
      intervals: [{ state: 'DOWN', lossCategory: 'AVAILABILITY', from: at('06:00'), to: null }],
      counts: [],
    });
    expect(result).toMatchObject({ plannedTime: 2 * HOUR, runTime: 0, availability: 0, performance: null, quality: null, oee: 0 });
  });

  it('gives oee 0 when the machine ran but counted nothing', () => {
    const result = computeOee({
      window: { from: new Date(at('08:00')), to: new Date(at('10:00')) },
      idealCycleTimeSeconds: 30,
      intervals: [{ state: 'RUNNING', lossCategory: null, from: at('08:00'), to: at('09:00') }],
      counts: [],
    });
    expect(result).toMatchObject({ runTime: HOUR, availability: 0.5, performance: 0, quality: null, oee: 0 });
  });

  it('returns null factors and null oee when the whole window was a planned loss', () => {
    const result = computeOee({
      window: { from: new Date(at('08:00')), to: new Date(at('10:00')) },
      idealCycleTimeSeconds: 30,
      intervals: [
        { state: 'OFFLINE', lossCategory: 'PLANNED', from: at('07:00'), to: at('09:00') }, // no orders
        { state: 'MAINTENANCE', lossCategory: null, from: at('09:00'), to: at('11:00') }, // uncategorised maintenance
      ],
      counts: [],
    });
    expect(result).toMatchObject({ plannedLossTime: 2 * HOUR, plannedTime: 0, availability: null, performance: null, quality: null, oee: null });
  });

  it('keeps time the history does not cover inside planned time (missing data never flatters)', () => {
    const result = computeOee({
      window: { from: new Date(at('08:00')), to: new Date(at('12:00')) },
      idealCycleTimeSeconds: 36,
      intervals: [{ state: 'RUNNING', lossCategory: null, from: at('10:00'), to: at('12:00') }],
      counts: [{ at: at('11:00'), good: 200, scrap: 0 }],
    });
    expect(result.plannedTime).toBe(4 * HOUR);
    expect(result.availability).toBe(0.5);
    expect(result.performance).toBe(1); // 200 × 36 s = 7200 s = the run time
    expect(result.oee).toBe(0.5);
  });

  it('treats an empty window as nothing planned', () => {
    const instant = new Date(at('08:00'));
    const result = computeOee({ window: { from: instant, to: instant }, idealCycleTimeSeconds: 30, intervals: [], counts: [] });
    expect(result).toMatchObject({ windowTime: 0, plannedTime: 0, oee: null });
  });
});

describe('isPlannedLoss', () => {
  it.each([
    ['RUNNING', 'PLANNED', false],
    ['MAINTENANCE', 'PLANNED', true],
    ['MAINTENANCE', null, true],
    ['MAINTENANCE', 'AVAILABILITY', false],
    ['OFFLINE', 'PLANNED', true],
    ['OFFLINE', null, false],
    ['IDLE', 'PERFORMANCE', false],
    ['DOWN', null, false],
  ] as const)('%s with category %s → %s', (state, lossCategory, expected) => {
    expect(isPlannedLoss({ state, lossCategory })).toBe(expected);
  });
});
