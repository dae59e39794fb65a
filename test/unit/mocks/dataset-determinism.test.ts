import { DEFAULT_ANCHOR, generateWorld, loadWorld } from '../../../mocks/dataset';

describe('generateWorld determinism', () => {
  it('builds the identical world from the same seed and scale', () => {
    expect(generateWorld({ seed: 7, scale: 60 })).toStrictEqual(generateWorld({ seed: 7, scale: 60 }));
  });

  it('builds a different world from another seed', () => {
    const a = generateWorld({ seed: 7, scale: 60 });
    const b = generateWorld({ seed: 8, scale: 60 });
    expect(b.erp.salesOrders).not.toEqual(a.erp.salesOrders);
    expect(b.mes.stateIntervals).not.toEqual(a.mes.stateIntervals);
  });

  it('defaults the anchor and moves every timestamp with a different one', () => {
    const base = generateWorld({ seed: 3, scale: 20 });
    expect(base.anchor).toBe(DEFAULT_ANCHOR.toISOString());
    expect(base.anchor).toBe('2026-03-02T06:00:00.000Z');

    const shifted = generateWorld({ seed: 3, scale: 20, anchor: new Date(DEFAULT_ANCHOR.getTime() + 86_400_000) });
    const day = (a: string, b: string) => Date.parse(b) - Date.parse(a);
    expect(shifted.erp.salesOrders.map((o) => o.id)).toEqual(base.erp.salesOrders.map((o) => o.id));
    shifted.erp.salesOrders.forEach((order, i) => expect(day(base.erp.salesOrders[i]!.orderedAt, order.orderedAt)).toBe(86_400_000));
  });

  it('freezes the world so no caller can change shared data', () => {
    const world = generateWorld({ seed: 1, scale: 10 });
    const order = world.erp.salesOrders[0]!;
    expect(Object.isFrozen(world.erp.salesOrders)).toBe(true);
    expect(() => {
      order.status = 'CANCELLED';
    }).toThrow(TypeError);
    expect(() => order.lines.push({ lineNo: 9, sku: 'X', quantity: 1, unitPrice: 1 })).toThrow(TypeError);
  });

  it('memoizes one world per (seed, scale, anchor) in a process', () => {
    expect(loadWorld({ seed: 5, scale: 15 })).toBe(loadWorld({ seed: 5, scale: 15, anchor: DEFAULT_ANCHOR }));
    expect(loadWorld({ seed: 5, scale: 16 })).not.toBe(loadWorld({ seed: 5, scale: 15 }));
  });

  it('rejects sizes and seeds it cannot honour', () => {
    expect(() => generateWorld({ seed: 1, scale: 0 })).toThrow(RangeError);
    expect(() => generateWorld({ seed: 1.5, scale: 10 })).toThrow(RangeError);
  });

  it('still builds a complete tiny world', () => {
    const world = generateWorld({ seed: 99, scale: 5 });
    expect(world.erp.salesOrders).toHaveLength(5);
    expect(world.erp.customers).toHaveLength(3);
    expect(world.mes.machines.length).toBeGreaterThanOrEqual(8);
  });
});
