/**
 * Wraps a backend in a Proxy that counts calls per method, so batching tests can assert that a query cost a
 * constant number of backend calls whatever its size.
 */
export interface CountedBackend<T extends object> {
  backend: T;
  /** Calls per method name since creation or the last reset. */
  calls(): Record<string, number>;
  total(): number;
  reset(): void;
}

export function countCalls<T extends object>(target: T): CountedBackend<T> {
  let counts: Record<string, number> = {};
  // One wrapper per method, so `backend.getX === backend.getX` still holds for code that compares them.
  const wrappers = new Map<PropertyKey, (...args: unknown[]) => unknown>();

  const backend = new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property === 'symbol' || property === 'constructor') return value;
      let wrapper = wrappers.get(property);
      if (!wrapper) {
        wrapper = (...args: unknown[]) => {
          counts[property] = (counts[property] ?? 0) + 1;
          // Looked up per call so a method replaced later (a jest spy) is honoured; called on the real object
          // so class internals never see the proxy and calls between methods are not counted.
          const method = Reflect.get(object, property) as (...a: unknown[]) => unknown;
          return method.apply(object, args);
        };
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });

  return {
    backend,
    calls: () => ({ ...counts }),
    total: () => Object.values(counts).reduce((sum, n) => sum + n, 0),
    reset: () => {
      counts = {};
    },
  };
}
