import { selectOrdered } from '../../../mocks/backend-support';
import { pageOf } from '../../../subgraphs/common/paging';

/** The obvious definition selectOrdered must agree with: filter everything, then cut the page. */
function naive<T>(ids: readonly string[], records: ReadonlyMap<string, T>, keep: ((r: T) => boolean) | null, page: { offset: number; limit: number }) {
  return pageOf(ids.map((id) => records.get(id)!).filter((r) => keep === null || keep(r)), page);
}

describe('selectOrdered', () => {
  const ids = Array.from({ length: 37 }, (_, i) => `R-${String(i).padStart(3, '0')}`);
  const records = new Map(ids.map((id, i) => [id, { id, n: i }]));
  const filters: [string, ((r: { n: number }) => boolean) | null][] = [
    ['none', null],
    ['every third', (r) => r.n % 3 === 0],
    ['nothing', () => false],
    ['everything', () => true],
  ];
  const pages = [
    { offset: 0, limit: 5 },
    { offset: 4, limit: 3 },
    { offset: 11, limit: 100 },
    { offset: 36, limit: 2 },
    { offset: 37, limit: 2 },
    { offset: 500, limit: 10 },
    { offset: 3, limit: 0 },
    { offset: -2, limit: 4 },
    { offset: 2.7, limit: 3.9 },
  ];

  it.each(filters)('pages filter "%s" exactly as filtering everything first would', (_, keep) => {
    for (const page of pages) {
      const result = selectOrdered(ids, records, keep, page);
      expect(result).toEqual(naive(ids, records, keep, page));
    }
  });

  it('counts every match but returns only the page', () => {
    const result = selectOrdered(ids, records, (r) => r.n % 2 === 0, { offset: 2, limit: 3 });
    expect(result.totalCount).toBe(19);
    expect(result.items.map((r) => r.n)).toEqual([4, 6, 8]);
    expect(selectOrdered(ids, records, null, { offset: 35, limit: 10 })).toEqual({ items: [records.get('R-035'), records.get('R-036')], totalCount: 37 });
  });
});
