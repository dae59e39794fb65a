import { generateWorld } from './generate-world';
import { DEFAULT_ANCHOR, type World, type WorldOptions } from './world';

/** Each process generates a world once: the ERP and MES mocks of one process share it instead of rebuilding. */
const cache = new Map<string, World>();
/** Enough for a test file that compares a few worlds, small enough that benchmark worlds do not pile up. */
const CACHE_SIZE = 4;

export function loadWorld(options: WorldOptions): World {
  const anchor = options.anchor ?? DEFAULT_ANCHOR;
  const key = `${options.seed}:${options.scale}:${anchor.toISOString()}`;
  const cached = cache.get(key);
  if (cached) {
    // Re-insert to mark it most recently used.
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const world = generateWorld({ ...options, anchor });
  cache.set(key, world);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return world;
}
