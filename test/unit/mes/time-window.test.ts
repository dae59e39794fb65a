import { GraphQLError } from 'graphql';
import { MAX_WINDOW_DAYS, resolveWindow } from '../../../subgraphs/mes/equipment/time-window';

const now = new Date('2026-03-02T06:00:00.000Z');
const hoursBefore = (h: number) => new Date(now.getTime() - h * 3_600_000);

function errorOf(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('expected an error');
}

describe('resolveWindow', () => {
  it('defaults to the last 24 h of the clock', () => {
    expect(resolveWindow(undefined, undefined, now)).toEqual({ from: hoursBefore(24), to: now });
  });

  it('defaults from to 24 h before an explicit to', () => {
    expect(resolveWindow(null, hoursBefore(10), now)).toEqual({ from: hoursBefore(34), to: hoursBefore(10) });
  });

  it('caps the end at now', () => {
    const future = new Date(now.getTime() + 5 * 3_600_000);
    expect(resolveWindow(hoursBefore(2), future, now)).toEqual({ from: hoursBefore(2), to: now });
    // Entirely in the future: valid arguments, empty window.
    const later = new Date(now.getTime() + 9 * 3_600_000);
    expect(resolveWindow(future, later, now)).toEqual({ from: future, to: future });
  });

  it('refuses from ≥ to with BAD_USER_INPUT on from', () => {
    for (const [from, to] of [[hoursBefore(1), hoursBefore(2)], [hoursBefore(1), hoursBefore(1)]]) {
      const error = errorOf(() => resolveWindow(from, to, now));
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    }
  });

  it(`refuses windows longer than ${MAX_WINDOW_DAYS} days`, () => {
    expect(() => resolveWindow(hoursBefore(MAX_WINDOW_DAYS * 24), now, now)).not.toThrow();
    const error = errorOf(() => resolveWindow(hoursBefore(MAX_WINDOW_DAYS * 24 + 1), now, now));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });
});
