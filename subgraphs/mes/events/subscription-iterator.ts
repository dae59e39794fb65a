import type { BusEvent, EventStream } from './event-types';

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * The iterator half shared by both buses: subclasses only say how to get the next event (`pull`) and what to
 * drop when the subscriber goes away (`release`).
 *
 * - `next()` calls are serialized, so a consumer that calls next() twice without awaiting still receives the
 *   events in order, once each.
 * - `return()` is not queued behind a pending `next()`: it ends the subscription at once and the pending
 *   `next()` resolves `done`, which is what graphql-ws does when a client unsubscribes while waiting.
 * - After an error the iterator is finished, like a generator that threw.
 */
export abstract class SubscriptionIterator<S extends EventStream> implements AsyncIterableIterator<BusEvent<S>> {
  protected finished = false;
  private tail: Promise<unknown> = Promise.resolve();
  private waiter: (() => void) | null = null;

  /** The next event, or null once the subscription is finished. */
  protected abstract pull(): Promise<BusEvent<S> | null>;

  /** Drops every reference the bus holds to this subscriber (called once, when it finishes). */
  protected abstract release(): void;

  next(): Promise<IteratorResult<BusEvent<S>, undefined>> {
    const result = this.tail.then(async (): Promise<IteratorResult<BusEvent<S>, undefined>> => {
      if (this.finished) return DONE;
      try {
        const event = await this.pull();
        return event ? { value: event, done: false } : DONE;
      } catch (error) {
        this.finish();
        throw error;
      }
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  return(): Promise<IteratorResult<BusEvent<S>, undefined>> {
    this.finish();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Ends the subscription (unsubscribe or bus closed); a pending next() resolves done. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.release();
    this.wake();
  }

  /** Called by the bus when something this subscriber may be waiting for happened. */
  wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  /**
   * Resolves on the next wake(). Callers check their state synchronously right before, so a wake-up cannot be
   * lost between the check and the wait.
   */
  protected waitForWake(): Promise<void> {
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}
