import { ArgsType, ClassType, Directive, Field, Int, ObjectType } from 'type-graphql';
import { badUserInput } from './errors';
import type { Page, PageResult } from './paging';

/** Shared by both subgraphs, hence @shareable: federation 2 requires it for identical value types. */
@ObjectType({ description: 'Relay-style paging state.', simpleResolvers: true })
@Directive('@shareable')
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 50;

export interface PageRequest {
  offset: number;
  limit: number;
}

/** Cursors are opaque to clients; they encode an offset into the filtered, ordered list. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  const match = /^o:(\d+)$/.exec(text);
  if (!match) throw badUserInput(`"${cursor}" is not a cursor this server issued`, field);
  return Number(match[1]);
}

export function pageRequest(first: number | null | undefined, after: string | null | undefined): PageRequest {
  const limit = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, 'first');
  }
  const offset = after ? decodeCursor(after) + 1 : 0;
  return { offset, limit };
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

export function toConnection<T>(items: T[], totalCount: number, page: PageRequest): ConnectionShape<T> {
  const edges = items.map((node, i) => ({ cursor: encodeCursor(page.offset + i), node }));
  return {
    edges,
    nodes: items,
    totalCount,
    pageInfo: {
      hasNextPage: page.offset + items.length < totalCount,
      hasPreviousPage: page.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/**
 * Base of one connection type per node type, as type-graphql's generics guide does:
 * `@ObjectType() class SalesOrderConnection extends Connection(SalesOrder, 'SalesOrder') {}`.
 * `nodes` is a shortcut for clients that do not need a cursor per row.
 */
export function Connection<T extends object>(nodeType: ClassType<T>, name: string) {
  // Plain properties (`simple`): graphql-js reads them directly, without a type-graphql resolver per field.
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field(() => String) cursor!: string;
    @Field(() => nodeType) node!: T;
  }

  @ObjectType()
  abstract class ConnectionClass {
    @Field(() => [Edge], { simple: true }) edges!: Edge[];
    @Field(() => [nodeType], { simple: true }) nodes!: T[];
    @Field(() => PageInfo, { simple: true }) pageInfo!: PageInfo;
    @Field(() => Int, { simple: true }) totalCount!: number;
  }
  return ConnectionClass;
}

/** `first` / `after` of every list query; validated by pageRequest (0..MAX_PAGE_SIZE, a cursor we issued). */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size; ${DEFAULT_PAGE_SIZE} when omitted, at most ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

/**
 * The shape of every list query: validate paging, ask the backend for one page (one call by nature), prime the
 * by-key loader with what came back so later lookups in the same request are free, wrap it as a connection.
 */
export async function listConnection<R, N>(
  args: PageArgs,
  fetch: (page: Page) => Promise<PageResult<R>>,
  prime: (records: readonly R[]) => void,
  toNode: (record: R) => N,
): Promise<ConnectionShape<N>> {
  const page = pageRequest(args.first, args.after);
  const result = await fetch(page);
  prime(result.items);
  return toConnection(result.items.map(toNode), result.totalCount, page);
}

/** GraphQL input objects carry explicit nulls for omitted filters; backends want the key absent instead. */
export function withoutNulls<T extends object>(value: T | null | undefined): { [K in keyof T]?: Exclude<T[K], null> } {
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value ?? {})) {
    if (entry !== null && entry !== undefined) result[key] = entry;
  }
  return result as { [K in keyof T]?: Exclude<T[K], null> };
}
