import { BadEventIdError, compareEventIds, parseEventId } from '../../../subgraphs/mes/events/event-bus';

/** The definition the scanner must agree with: `<milliseconds>-<sequence>`, 1–15 ASCII digits each. */
function reference(value: string): [number, number] | 'bad' {
  const match = /^(\d{1,15})-(\d{1,15})$/.exec(value);
  return match ? [Number(match[1]), Number(match[2])] : 'bad';
}

const parsed = (value: string): [number, number] | 'bad' => {
  try {
    return parseEventId(value);
  } catch (error) {
    expect(error).toBeInstanceOf(BadEventIdError);
    return 'bad';
  }
};

describe('event ids', () => {
  const corpus = [
    '0-0', '1-0', '0-1', '1700000000000-0', '1700000000000-12', '007-008', '999999999999999-999999999999999',
    '1234567890123456-0', '0-1234567890123456', '', '-', '1-', '-1', '1--1', '1-1-1', ' 1-1', '1-1 ', '1-1\n', '1_1',
    '1-a', 'a-1', '1.5-1', '+1-1', '1-+1', '١-١', '1-1\u0000', '12e3-1', 'Infinity-0', '0x1-0',
  ];

  it.each(corpus)('parses %j as the <ms>-<seq> definition does', (value) => {
    expect(parsed(value)).toEqual(reference(value));
  });

  it('orders by milliseconds, then by sequence, and refuses a malformed side', () => {
    const ordered = ['0-0', '0-1', '0-10', '1-0', '9-99', '10-0', '1700000000000-0', '1700000000000-1', '999999999999999-0'];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) expect(Math.sign(compareEventIds(ordered[i]!, ordered[j]!))).toBe(Math.sign(i - j));
    }
    expect(compareEventIds('007-1', '7-1')).toBe(0);
    expect(() => compareEventIds('1-1', 'x')).toThrow(BadEventIdError);
    expect(() => compareEventIds('x', '1-1')).toThrow(BadEventIdError);
  });
});
