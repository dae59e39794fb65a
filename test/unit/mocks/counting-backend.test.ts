import { countCalls } from '../../../mocks/counting-backend';

class Store {
  #rows = new Map([['a', 1], ['b', 2]]);
  label = 'store';

  async get(keys: readonly string[]) {
    return keys.map((key) => this.#rows.get(key) ?? null);
  }

  async getTwice(keys: readonly string[]) {
    await this.get(keys);
    return this.get(keys);
  }
}

describe('countCalls', () => {
  it('counts each method call and passes results through', async () => {
    const counted = countCalls(new Store());
    expect(await counted.backend.get(['b', 'x'])).toEqual([2, null]);
    await counted.backend.get(['a']);
    await counted.backend.getTwice(['a']);
    // Calls a method makes on its own object are internal, not calls on the backend.
    expect(counted.calls()).toEqual({ get: 2, getTwice: 1 });
    expect(counted.total()).toBe(3);
    expect(counted.backend.label).toBe('store');
  });

  it('resets, and hands out a copy of the counts', async () => {
    const counted = countCalls(new Store());
    await counted.backend.get(['a']);
    const snapshot = counted.calls();
    counted.reset();
    expect(snapshot).toEqual({ get: 1 });
    expect(counted.calls()).toEqual({});
    expect(counted.total()).toBe(0);
    await counted.backend.get(['a']);
    expect(counted.calls()).toEqual({ get: 1 });
  });

  it('keeps method identity and honours methods replaced later', async () => {
    const store = new Store();
    const counted = countCalls(store);
    expect(counted.backend.get).toBe(counted.backend.get);
    const spy = jest.spyOn(store, 'get').mockResolvedValue([42]);
    expect(await counted.backend.get(['a'])).toEqual([42]);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(counted.calls()).toEqual({ get: 1 });
  });
});
