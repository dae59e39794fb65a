import { ArgsType, Field, Int } from 'type-graphql';
import { pageRequest, toConnection, type ConnectionShape } from '../common/connection';
import type { Page, PageResult } from '../common/paging';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 0 to 1000; 50 when omitted.' }) first?: number | null;
  @Field(() => String, { nullable: true, description: 'endCursor of the previous page.' }) after?: string | null;
}

/**
 * The shape of every list query: validate paging, ask the backend for one page, prime the by-key loader with
 * what came back (so later entity lookups in the same request are free), wrap the page as a connection.
 */
export async function listPage<R, N extends object>(
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
