import { startMachineSimulator, type MachineSimulatorOptions } from '../../../mocks/simulator/machine-simulator';
import { startPacer } from '../../../mocks/simulator/pacer';
import { deferred, freshBackend, RecordingEventBus, SIM_SEED, steppingClock } from './simulator-fixtures';

/**
 * Pacing under jest's fake timers: simulated seconds only, no wall-clock sleeps or thresholds. nextTick and
 * setImmediate stay real: DataLoader batches on them, and an action must be able to finish between two ticks.
 */
const useFakeTimers = () => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });

describe('startMachineSimulator pacing', () => {
  beforeEach(useFakeTimers);
  afterEach(() => jest.useRealTimers());

  const options = (overrides: Partial<MachineSimulatorOptions> = {}): MachineSimulatorOptions => ({
    seed: SIM_SEED,
    ratePerSecond: 5,
    backend: freshBackend(),
    events: new RecordingEventBus(),
    clock: steppingClock(),
    ...overrides,
  });

  it.each([
    [5, 10],
    [0.5, 20],
    [3, 7],
    // Above 100 per second ticks carry small batches.
    [250, 2],
  ])('runs about N·R actions in N seconds at rate R (R = %p, N = %p)', async (rate, seconds) => {
    const errors: unknown[] = [];
    const simulator = startMachineSimulator(options({ ratePerSecond: rate, onError: (e) => errors.push(e) }));
    await jest.advanceTimersByTimeAsync(seconds * 1000);
    expect(Math.abs(simulator.actions() - rate * seconds)).toBeLessThanOrEqual(1);
    await simulator.stop();
    expect(errors).toEqual([]);
  });

  it('spreads actions evenly over the second instead of bunching them', async () => {
    const simulator = startMachineSimulator(options({ ratePerSecond: 4 }));
    const counts: number[] = [];
    for (let i = 0; i < 8; i++) {
      await jest.advanceTimersByTimeAsync(250);
      counts.push(simulator.actions());
    }
    expect(counts).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await simulator.stop();
  });

  it('does nothing at rate 0: no timer, no backend read', async () => {
    const backend = freshBackend();
    const listMachines = jest.spyOn(backend, 'listMachines');
    const simulator = startMachineSimulator(options({ ratePerSecond: 0, backend }));
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(simulator.actions()).toBe(0);
    expect(listMachines).not.toHaveBeenCalled();
    await simulator.stop();
  });

  it('refuses a negative or non-numeric rate', () => {
    expect(() => startMachineSimulator(options({ ratePerSecond: -1 }))).toThrow(RangeError);
    expect(() => startMachineSimulator(options({ ratePerSecond: Number.NaN }))).toThrow(RangeError);
  });

  it('stops for good: no timer left, no action after stop()', async () => {
    const events = new RecordingEventBus();
    const simulator = startMachineSimulator(options({ ratePerSecond: 10, events }));
    await jest.advanceTimersByTimeAsync(1_000);
    await simulator.stop();
    const actions = simulator.actions();
    const published = events.published.length;
    expect(actions).toBe(10);
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(simulator.actions()).toBe(actions);
    expect(events.published).toHaveLength(published);
    await simulator.stop(); // idempotent
  });

  it('stop() waits for the action in flight', async () => {
    const backend = freshBackend();
    const gate = deferred();
    const listMachines = backend.listMachines.bind(backend);
    let calls = 0;
    backend.listMachines = async (...args) => {
      if (++calls === 1) await gate.promise;
      return listMachines(...args);
    };
    const simulator = startMachineSimulator(options({ ratePerSecond: 1, backend }));
    await jest.advanceTimersByTimeAsync(1_000); // the first action starts and blocks on the gate
    expect(calls).toBe(1);

    let stopped = false;
    const stopping = simulator.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(stopped).toBe(false);
    expect(simulator.actions()).toBe(0);

    gate.resolve();
    await stopping;
    expect(simulator.actions()).toBe(1);
    expect(calls).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps its pace while every action fails, reporting each failure', async () => {
    const backend = freshBackend();
    backend.listMachines = async () => {
      throw new Error('backend unavailable');
    };
    const errors: unknown[] = [];
    const simulator = startMachineSimulator(options({ ratePerSecond: 5, backend, onError: (e) => errors.push(e) }));
    await jest.advanceTimersByTimeAsync(4_000);
    expect(errors).toHaveLength(20);
    expect(simulator.actions()).toBe(0); // nothing could be chosen without a view of the floor
    await simulator.stop();
  });
});

describe('startPacer', () => {
  beforeEach(useFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('carries on after a rejected call and never runs two calls at once', async () => {
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    const pacer = startPacer(500, async () => {
      calls += 1;
      active += 1;
      maxActive = Math.max(maxActive, active);
      await Promise.resolve();
      active -= 1;
      if (calls % 2 === 0) throw new Error('rejected');
    });
    await jest.advanceTimersByTimeAsync(1_000);
    await pacer.stop();
    expect(calls).toBe(500);
    expect(maxActive).toBe(1);
  });

  it('gives up missed ticks after a long stall instead of bursting to catch up', async () => {
    let calls = 0;
    const pacer = startPacer(10, async () => void (calls += 1));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(10);
    // The event loop was blocked for a minute: time moved, no timer could fire.
    jest.setSystemTime(Date.now() + 60_000);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(calls).toBeLessThanOrEqual(21);
    await pacer.stop();
  });
});
