import { ArgsType, Field, Int } from 'type-graphql';
import { Page, PageResult } from '../common/paging';
import { ConnectionShape, pageRequest, toConnection } from '../common/connection';

/** `first` / `after` of every list query; validated by pageRequest (0..MAX_PAGE_SIZE, cursor we issued). */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size; default 50, at most 1000.' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

/**
 * A list query is one backend call by nature; what it returns is primed into the by-key loader so that the
 * references and field resolvers that follow in the same request do not fetch the same records again.
 */
export async function listConnection<R, N>(
  args: PageArgs,
  fetch: (page: Page) => Promise<PageResult<R>>,
  prime: (records: R[]) => void,
  toNode: (record: R) => N,
): Promise<ConnectionShape<N>> {
  const page = pageRequest(args.first, args.after);
  const result = await fetch(page);
  prime(result.items);
  return toConnection(result.items.map(toNode), result.totalCount, page);
}
