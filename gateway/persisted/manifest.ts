import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parse, print } from 'graphql';

/**
 * The persisted-operations manifest (`PERSISTED_OPERATIONS_PATH`). Two JSON shapes are accepted:
 *
 * - Apollo's persisted query list, as `generate-persisted-query-manifest` writes it:
 *   `{ "format": "apollo-persisted-query-manifest", "version": 1,
 *      "operations": [{ "id": "<sha256 of body>", "name": "Bi", "type": "query", "body": "query Bi … " }] }`
 * - a simple map of operation id to document: `{ "bi-v1": "query Bi … ", "portal-v1": "query Portal … " }`.
 *
 * Every operation can be asked for by its id or by the SHA-256 (hex) of its document, so APQ-style
 * `extensions.persistedQuery.sha256Hash` requests find it as well.
 */
export class PersistedManifest {
  private readonly byId = new Map<string, string>();
  /** Listed documents in printed (normalised) form: a listed document sent in full is recognised. */
  private readonly printed = new Set<string>();

  constructor(entries: Iterable<[string, string]>) {
    for (const [id, document] of entries) {
      this.byId.set(id, document);
      this.byId.set(sha256(document), document);
      this.printed.add(normalise(document) ?? document);
    }
  }

  static empty(): PersistedManifest {
    return new PersistedManifest([]);
  }

  static load(path: string): PersistedManifest {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`cannot read the persisted operations manifest ${path}: ${(error as Error).message}`);
    }
    return new PersistedManifest(manifestEntries(json, path));
  }

  get size(): number {
    return this.printed.size;
  }

  /** The document listed under this id or SHA-256 hash. */
  document(idOrHash: string): string | undefined {
    return this.byId.get(idOrHash);
  }

  /** Whether this document (text, compared after parsing and printing) is listed. */
  lists(document: string): boolean {
    if (this.byId.has(sha256(document))) return true;
    const normalised = normalise(document);
    return normalised !== undefined && this.printed.has(normalised);
  }
}

function manifestEntries(json: unknown, path: string): [string, string][] {
  const problem = (what: string) => new Error(`persisted operations manifest ${path}: ${what}`);
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw problem('expected a JSON object');
  const record = json as Record<string, unknown>;
  if (record.format === 'apollo-persisted-query-manifest') {
    if (!Array.isArray(record.operations)) throw problem('"operations" must be an array');
    return record.operations.map((op: unknown, i) => {
      const { id, body } = (op ?? {}) as { id?: unknown; body?: unknown };
      if (typeof id !== 'string' || typeof body !== 'string') throw problem(`operations[${i}] needs a string id and body`);
      return check([id, body], problem);
    });
  }
  return Object.entries(record).map(([id, body]) => {
    if (typeof body !== 'string') throw problem(`"${id}" must map to a GraphQL document string`);
    return check([id, body], problem);
  });
}

function check(entry: [string, string], problem: (what: string) => Error): [string, string] {
  if (normalise(entry[1]) === undefined) throw problem(`"${entry[0]}" is not a parsable GraphQL document`);
  return entry;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Documents longer than this many tokens are never listed (and are not parsed here). */
const MAX_TOKENS = 100_000;

function normalise(document: string): string | undefined {
  try {
    return print(parse(document, { noLocation: true, maxTokens: MAX_TOKENS }));
  } catch {
    return undefined;
  }
}
