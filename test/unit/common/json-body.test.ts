import { Random } from '../../../mocks/dataset/random';
import { ByteWriter, JsonBody, jsonValue, RawJson } from '../../../subgraphs/common/json-body';

/** A random JSON-ish value, with the odd members JSON.stringify treats specially. */
function randomValue(random: Random, depth: number): unknown {
  const kind = random.int(0, depth >= 5 ? 9 : 14);
  switch (kind) {
    case 0: return null;
    case 1: return random.next() < 0.5;
    case 2: return random.int(-1e6, 1e6);
    case 3: return [random.float(-1, 1), Number.NaN, Number.POSITIVE_INFINITY, -0][random.int(0, 3)];
    case 4: return ['', 'plain', 'quote " and \\ backslash', 'line\nbreak\ttab', 'ünïcödé €', '\u2028\u2029', '\ud83d\ude00', '\ud800'][random.int(0, 7)];
    case 5: return undefined;
    case 6: return () => 1;
    case 7: return Symbol('s');
    case 8: return new Date(Date.UTC(2026, random.int(0, 11), random.int(1, 28)));
    case 9: return { toJSON: (key: string) => `custom:${key.length}` };
    case 10:
    case 11: {
      // Now and then a long list near the top, which JsonBody serializes an element at a time.
      const length = random.int(0, depth < 2 && random.next() < 0.3 ? 300 : 5);
      return Array.from({ length }, () => randomValue(random, depth + 1));
    }
    default: {
      const object: Record<string, unknown> = random.next() < 0.2 ? Object.create(null) : {};
      for (let i = random.int(0, 6); i > 0; i--) object[['id', 'name', 'a"b', 'ü', 'nodes', String(i)][random.int(0, 5)]!] = randomValue(random, depth + 1);
      return object;
    }
  }
}

/** The shape of bi's answer: 500 rows under data.salesOrders.nodes. */
function page(rows: number) {
  return {
    data: {
      salesOrders: {
        totalCount: 25_000,
        pageInfo: { hasNextPage: true, endCursor: 'b2Zmc2V0OjQ5OQ==' },
        nodes: Array.from({ length: rows }, (_, i) => ({
          id: `SO-${i}`,
          number: `SO-2026-${String(i).padStart(6, '0')}`,
          status: 'IN_PRODUCTION',
          dueDate: '2026-05-01T00:00:00.000Z',
          currency: 'EUR',
          total: 12_345.67 + i,
          customer: { id: `C-${i % 97}`, name: `Kunde ${i % 97} Müller & Søn — Ōsaka 😀` },
          productionProgress: { quantityPlanned: 120, quantityGood: 80, quantityScrap: 2, percentComplete: 66.67 },
        })),
      },
    },
  };
}

describe('JsonBody', () => {
  it('joins to exactly JSON.stringify(value) plus a newline, on 2,000 seeded random values', () => {
    const random = new Random(20261203);
    for (let i = 0; i < 2000; i++) {
      const value = { data: randomValue(random, 0), errors: i % 7 === 0 ? [{ message: 'm', path: ['a', 0] }] : undefined };
      expect(JsonBody.of(value).toString()).toBe(`${JSON.stringify(value)}\n`);
    }
  });

  it('serializes a value with a toJSON of its own, a boxed primitive or a class instance as JSON.stringify does', () => {
    class Point {
      constructor(readonly x: number, readonly y: number) {}
    }
    for (const value of [{ at: new Date(0) }, { n: new Number(3), s: new String('x') }, { p: new Point(1, 2) }, [new Point(3, 4)], { toJSON: () => ({ replaced: true }) }]) {
      expect(JsonBody.of(value).toString()).toBe(`${JSON.stringify(value)}\n`);
    }
  });

  it('encodes a 500-row or 5,000-row page, non-ASCII text included, as the UTF-8 of JSON.stringify', () => {
    for (const rows of [500, 5000]) {
      const value = page(rows);
      const body = JsonBody.of(value);
      // The pages outgrow the first buffer several times over.
      expect(body.bytes.length).toBeGreaterThan(rows * 250);
      expect(body.bytes.equals(Buffer.from(`${JSON.stringify(value)}\n`, 'utf8'))).toBe(true);
    }
  });

  it('encodes a small answer, and one whose single member is larger than the first buffer', () => {
    const small = { data: { __typename: 'Query' } };
    expect(JsonBody.of(small).bytes.toString('latin1')).toBe('{"data":{"__typename":"Query"}}\n');
    const long = { data: { note: 'é€😀'.repeat(20_000) } };
    expect(JsonBody.of(long).bytes.equals(Buffer.from(`${JSON.stringify(long)}\n`, 'utf8'))).toBe(true);
  });

  it('copies a RawJson member as its bytes, and gives everything else the value it stands for', () => {
    const value = { rows: [{ id: 'SO-1', note: 'Grüße "quoted"' }], total: 1 };
    let built = 0;
    const raw = new RawJson(Buffer.from(JSON.stringify(value)), () => (built++, value));
    const response = { errors: [{ message: 'm' }], data: raw, extensions: { a: 1 } };
    expect(JsonBody.of(response).toString()).toBe(`${JSON.stringify({ ...response, data: value })}\n`);
    expect(built).toBe(0);
    expect(JsonBody.of(raw).toString()).toBe(`${JSON.stringify(value)}\n`);
    expect(JSON.stringify(response)).toBe(JSON.stringify({ ...response, data: value }));
    expect(jsonValue(raw)).toBe(value);
    expect(jsonValue(value)).toBe(value);
    expect(built).toBe(2);
  });
});

describe('ByteWriter', () => {
  it('writes JSON string literals as JSON.stringify does, whatever the characters', () => {
    const texts = ['', 'plain', 'say "hi"', 'back\\slash', '\u0000\u0008\u001f\u007f', 'tab\tnew\nline\r', 'Grüße €', '\u2028\u2029', 'lone \ud800 \udc00', '🙂'];
    for (let code = 0; code < 0x100; code++) texts.push(`a${String.fromCharCode(code)}b`);
    const out = new ByteWriter(1);
    for (const text of texts) out.string(text);
    expect(out.done().toString('utf8')).toBe(texts.map((t) => JSON.stringify(t)).join(''));
  });

  it('takes back what was written after a point, and grows past any first size', () => {
    const out = new ByteWriter(0);
    out.ascii('[1,2');
    const mark = out.length;
    out.ascii(',3'.repeat(10_000));
    out.truncate(mark);
    out.bytes(Buffer.from(']'));
    expect(out.done().toString()).toBe('[1,2]');
  });
});
