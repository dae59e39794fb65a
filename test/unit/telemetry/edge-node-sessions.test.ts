import { EdgeNodeSessions, REBIRTH_RETRY_MS } from '../../../subgraphs/mes/telemetry/edge-node-sessions';
import { decodePayload } from '../../../subgraphs/mes/telemetry/sparkplug-codec';
import { parseTopic } from '../../../subgraphs/mes/telemetry/sparkplug-topic';
import { byAlias, count, decoded, nbirth, ndeath, str, topic } from './sparkplug-fixtures';

describe('EdgeNodeSessions (Sparkplug B host rules)', () => {
  let now = 1_000_000;
  let sessions: EdgeNodeSessions;
  const send = (type: string, payload: ReturnType<typeof decoded> | Buffer, device?: string) =>
    sessions.accept(parseTopic(topic(type, device))!, Buffer.isBuffer(payload) ? decodePayload(payload) : payload);

  const born = () => {
    send('NBIRTH', nbirth(7));
    return send('DBIRTH', decoded(1, [str('Machine/State', 'Execute', 1), count('Counts/Good', 10, 2)]), 'M1');
  };

  beforeEach(() => {
    now = 1_000_000;
    sessions = new EdgeNodeSessions(() => now);
  });

  it('turns a DBIRTH into the full device state, and DATA sent by alias into named metrics', () => {
    expect(born()).toEqual([
      { kind: 'device', machineId: 'M1', birth: true, metrics: new Map<string, unknown>([['Machine/State', 'Execute'], ['Counts/Good', 10]]) },
    ]);
    expect(send('DDATA', decoded(2, [byAlias(2, 'UInt64', 12)]), 'M1')).toEqual([
      { kind: 'device', machineId: 'M1', birth: false, metrics: new Map([['Counts/Good', 12]]) },
    ]);
  });

  it('ignores a duplicate delivery of the same seq', () => {
    born();
    const data = decoded(2, [str('Machine/State', 'Held')]);
    expect(send('DDATA', data, 'M1')[0].kind).toBe('device');
    expect(send('DDATA', data, 'M1')).toEqual([{ kind: 'ignored', reason: 'duplicate' }]);
  });

  it('wraps seq after 255', () => {
    born();
    for (let seq = 2; seq <= 255; seq++) send('NDATA', decoded(seq, []));
    expect(send('DDATA', decoded(0, [str('Machine/State', 'Idle')]), 'M1')[0].kind).toBe('device');
  });

  it('on a seq gap asks for a rebirth and ignores DATA until the NBIRTH, asking again only after a while', () => {
    born();
    expect(send('DDATA', decoded(5, [str('Machine/State', 'Held')]), 'M1')).toEqual([
      { kind: 'rebirth', group: 'g', edgeNode: 'line-1', reason: 'sequence-gap' },
    ]);
    expect(send('DDATA', decoded(6, []), 'M1')).toEqual([{ kind: 'ignored', reason: 'awaiting-rebirth' }]);
    now += REBIRTH_RETRY_MS;
    expect(send('DDATA', decoded(7, []), 'M1')[0].kind).toBe('rebirth');

    expect(born()[0]).toMatchObject({ kind: 'device', birth: true });
    expect(send('DDATA', decoded(2, [str('Machine/State', 'Idle')]), 'M1')[0].kind).toBe('device');
  });

  it('asks an unknown node (host started after it) to rebirth, once', () => {
    expect(send('DDATA', decoded(3, []), 'M1')).toEqual([{ kind: 'rebirth', group: 'g', edgeNode: 'line-1', reason: 'unknown-node' }]);
    expect(send('DDATA', decoded(4, []), 'M1')).toEqual([{ kind: 'ignored', reason: 'unknown-node' }]);
  });

  it('takes a device offline on DDEATH, and every live device of the node on NDEATH', () => {
    born();
    send('DBIRTH', decoded(2, [str('Machine/State', 'Idle')]), 'M2');
    expect(send('DDEATH', decoded(3, []), 'M2')).toEqual([{ kind: 'offline', machineIds: ['M2'] }]);
    expect(send('NDEATH', ndeath(7))).toEqual([{ kind: 'offline', machineIds: ['M1'] }]);
  });

  it('ignores a stale NDEATH (bdSeq of an earlier session) that arrives after the new NBIRTH', () => {
    send('NBIRTH', nbirth(7));
    send('NBIRTH', nbirth(8));
    send('DBIRTH', decoded(1, [str('Machine/State', 'Execute')]), 'M1');
    expect(send('NDEATH', ndeath(7))).toEqual([{ kind: 'ignored', reason: 'stale-death' }]);
    expect(send('DDATA', decoded(2, [str('Machine/State', 'Idle')]), 'M1')[0].kind).toBe('device');
    expect(send('NDEATH', ndeath(8))).toEqual([{ kind: 'offline', machineIds: ['M1'] }]);
  });

  it('asks for a rebirth on DATA from a device it never saw born', () => {
    send('NBIRTH', nbirth(1));
    expect(send('DDATA', decoded(1, []), 'M9')[0]).toMatchObject({ kind: 'rebirth', reason: 'unknown-device' });
  });

  it('after the host reconnects, asks every known node to rebirth', () => {
    born();
    expect(sessions.rebirthAll()).toEqual([{ kind: 'rebirth', group: 'g', edgeNode: 'line-1', reason: 'reconnected' }]);
    expect(send('DDATA', decoded(2, []), 'M1')).toEqual([{ kind: 'ignored', reason: 'awaiting-rebirth' }]);
  });

  it('ignores commands and DATA without seq', () => {
    born();
    expect(send('NCMD', decoded(undefined, []))).toEqual([{ kind: 'ignored', reason: 'command' }]);
    expect(send('DDATA', decoded(undefined, []), 'M1')).toEqual([{ kind: 'ignored', reason: 'no-seq' }]);
  });
});
