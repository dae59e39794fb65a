import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../schema/error-codes';
import { badUserInput } from '../../common/errors';
import { BadEventIdError, EventBus, EventIdExpiredError } from './event-bus';
import type { BusEvent, EventStream, PayloadOf } from './event-types';

/**
 * The source of a subscription: the bus stream from `after` on, filtered before anything else is done with
 * an event (no loader, no hydration for events nobody asked for). `filter` is the synchronous part, applied by the
 * bus itself (an event it refuses costs the subscription no wake-up); `accept`, when given, is a further check
 * that may wait (a partner's orders). A resume point that cannot be honoured is refused before the subscription
 * starts, so the client gets a GraphQL error rather than a dropped socket.
 */
export async function filteredEvents<S extends EventStream>(
  events: EventBus,
  stream: S,
  after: string | null | undefined,
  filter: (payload: PayloadOf[S]) => boolean,
  accept?: (payload: PayloadOf[S]) => Promise<boolean>,
): Promise<AsyncIterable<BusEvent<S>>> {
  if (after) {
    try {
      await events.ensureResumable(stream, after);
    } catch (error) {
      throw asGraphQLError(error);
    }
  }
  const source = events.subscribe(stream, { after: after ?? undefined, filter });
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for await (const event of source) if (!accept || (await accept(event.payload))) yield event;
      } catch (error) {
        throw asGraphQLError(error);
      } finally {
        await source.return?.();
      }
    },
  };
}

function asGraphQLError(error: unknown): unknown {
  if (error instanceof BadEventIdError) return badUserInput(error.message, 'after');
  if (error instanceof EventIdExpiredError) {
    return new GraphQLError(`${error.message}; re-read current state, then subscribe without \`after\``, {
      extensions: { code: ErrorCode.EVENT_ID_EXPIRED, field: 'after', oldestRetained: error.oldestRetained },
    });
  }
  return error;
}
