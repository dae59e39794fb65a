/**
 * A backend's methods bound to it, as a plain object that a wrapper can spread and override method by method
 * (class instances keep their methods on the prototype, which a spread would drop). Own data properties such
 * as `persistsEvents` are copied too.
 */
export function boundBackend<T extends object>(backend: T): T {
  const bound: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(backend)) if (typeof value !== 'function') bound[key] = value;
  let proto: object | null = backend;
  while (proto && proto !== Object.prototype) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const value = (backend as Record<string, unknown>)[key];
      if (key !== 'constructor' && typeof value === 'function' && !(key in bound)) bound[key] = (value as (...args: unknown[]) => unknown).bind(backend);
    }
    proto = Object.getPrototypeOf(proto);
  }
  return bound as T;
}
