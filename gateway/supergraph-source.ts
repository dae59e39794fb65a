import fs from 'node:fs';
import { IntrospectAndCompose, type SupergraphManager, type SupergraphSdlHook } from '@apollo/gateway';
import { withForgeEnforcedLinks } from './authorization/security-links';

export interface SupergraphSourceOptions {
  supergraphPath: string;
  subgraphs?: Record<string, string>;
  /** How often the supergraph file is checked for a new version; 0 turns reloading off. */
  pollIntervalMs?: number;
  onReload?(path: string): void;
}

/**
 * The committed supergraph by default: what was composed and reviewed is what is served. A new version of the
 * file (a deploy writes it) is picked up without a restart, and open subscriptions stay open across it.
 * Composing from live subgraphs is for development against subgraphs ahead of the committed file.
 */
export function supergraphSource(options: SupergraphSourceOptions): { supergraphSdl: SupergraphSdlHook | SupergraphManager } {
  if (options.subgraphs) {
    const subgraphs = Object.entries(options.subgraphs).map(([name, url]) => ({ name, url }));
    return { supergraphSdl: enforcedLinks(new IntrospectAndCompose({ subgraphs })) };
  }
  const { supergraphPath, pollIntervalMs = 1000 } = options;
  return {
    supergraphSdl: async ({ update }) => {
      let current = readSupergraph(supergraphPath);
      const check = (): void => {
        let next: string;
        try {
          next = fs.readFileSync(supergraphPath, 'utf8');
        } catch {
          return; // mid-write or briefly gone: keep serving the current one, look again next tick
        }
        if (next === current) return;
        current = next;
        update(withForgeEnforcedLinks(next));
        options.onReload?.(supergraphPath);
      };
      if (pollIntervalMs > 0) fs.watchFile(supergraphPath, { interval: pollIntervalMs, persistent: false }, check);
      return { supergraphSdl: withForgeEnforcedLinks(current), cleanup: async () => fs.unwatchFile(supergraphPath, check) };
    },
  };
}

/** Composed supergraphs link @authenticated / @requiresScopes `for: SECURITY`: see authorization/security-links.ts. */
function enforcedLinks(manager: SupergraphManager): SupergraphManager {
  return {
    async initialize(hooks) {
      const result = await manager.initialize({ ...hooks, update: (sdl) => hooks.update(withForgeEnforcedLinks(sdl)) });
      return { ...result, supergraphSdl: withForgeEnforcedLinks(result.supergraphSdl) };
    },
  };
}

function readSupergraph(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the supergraph at ${path} (run \`npm run compose\`): ${(error as Error).message}`);
  }
}
