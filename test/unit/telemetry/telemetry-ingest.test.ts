import { createTelemetryIngest, type TelemetryIngest } from '../../../subgraphs/mes/telemetry/telemetry-ingest';
import { decodePayload } from '../../../subgraphs/mes/telemetry/sparkplug-codec';
import { freshBackend, RecordingEventBus, steppingClock } from '../simulator/simulator-fixtures';
import { byAlias, bytes, count, nbirth, ndeath, str, topic } from './sparkplug-fixtures';
import type { InMemoryMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import type { MachineRecord } from '../../../subgraphs/mes/backend/mes-backend';

describe('telemetry ingest (Sparkplug B → MES write paths)', () => {
  let backend: InMemoryMesBackend;
  let events: RecordingEventBus;
  let ingest: TelemetryIngest;
  let commands: { topic: string; payload: Buffer }[];
  let machine: MachineRecord;
  const warnings: string[] = [];

  const state = async (id = machine.id) => (await backend.getMachines([id]))[0]!;
  const counts = async () => {
    const [list] = await backend.getProductionCounts([machine.id], '2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
    return list;
  };

  beforeEach(async () => {
    backend = freshBackend();
    events = new RecordingEventBus();
    commands = [];
    warnings.length = 0;
    machine = (await backend.listMachines({ state: 'RUNNING' }, { offset: 0, limit: 1 })).items[0];
    ingest = createTelemetryIngest({
      backend,
      events,
      clock: steppingClock(),
      publish: async (t, payload) => void commands.push({ topic: t, payload }),
      logger: { info: () => undefined, warn: (_d, message) => void warnings.push(message) },
    });
  });

  const birth = async () => {
    await ingest.handle(topic('NBIRTH'), nbirth(1));
    await ingest.handle(
      topic('DBIRTH', machine.id),
      bytes(1, [
        str('Machine/State', 'Execute', 1),
        str('Machine/ReasonCode', '', 2),
        str('Machine/LossCategory', '', 3),
        count('Counts/Good', 100, 4),
        count('Counts/Total', 105, 5),
      ]),
    );
  };

  it('moves the machine through changeMachineState and publishes machine-status events', async () => {
    await birth();
    expect(events.machineStatus()).toHaveLength(0); // already RUNNING: the birth changes nothing
    await ingest.handle(
      topic('DDATA', machine.id),
      bytes(2, [byAlias(1, 'String', 'Held'), byAlias(2, 'String', 'Malfunction'), byAlias(3, 'String', 'AVAILABILITY')]),
    );
    expect(await state()).toMatchObject({ state: 'DOWN', reasonCode: 'Malfunction', lossCategory: 'AVAILABILITY' });
    expect(events.machineStatus()).toHaveLength(1);
    expect(events.production().map((e) => e.type)).toContain('MACHINE_DOWN');
  });

  it('records counter deltas as production counts, scrap = total growth beyond good', async () => {
    await birth();
    const before = (await counts()).length;
    await ingest.handle(topic('DDATA', machine.id), bytes(2, [byAlias(4, 'UInt64', 103), byAlias(5, 'UInt64', 110)]));
    const after = await counts();
    expect(after).toHaveLength(before + 1);
    expect(after[after.length - 1]).toMatchObject({ machineId: machine.id, good: 3, scrap: 2 });
    // A counter reset (lower reading) is a new baseline, not a negative count.
    await ingest.handle(topic('DDATA', machine.id), bytes(3, [byAlias(4, 'UInt64', 0), byAlias(5, 'UInt64', 0)]));
    expect(await counts()).toHaveLength(before + 1);
  });

  it('a stop without a reason is recorded as Unassigned; a new state does not inherit the old reason', async () => {
    await birth();
    await ingest.handle(topic('DDATA', machine.id), bytes(2, [str('Machine/State', 'Held'), str('Machine/ReasonCode', 'Malfunction')]));
    await ingest.handle(topic('DDATA', machine.id), bytes(3, [str('Machine/State', 'IDLE')]));
    expect(await state()).toMatchObject({ state: 'IDLE', reasonCode: 'Unassigned' });
  });

  it('DDEATH and NDEATH take machines OFFLINE without a reason code', async () => {
    await birth();
    await ingest.handle(topic('DDEATH', machine.id), bytes(2, []));
    expect(await state()).toMatchObject({ state: 'OFFLINE', reasonCode: null });
    await birth();
    expect((await state()).state).toBe('RUNNING');
    await ingest.handle(topic('NDEATH'), ndeath(1));
    expect((await state()).state).toBe('OFFLINE');
    expect(events.machineStatus().map((e) => e)).toHaveLength(3);
  });

  it('on a seq gap publishes an NCMD Node Control/Rebirth to that node and ignores DATA until rebirth', async () => {
    await birth();
    await ingest.handle(topic('DDATA', machine.id), bytes(9, [str('Machine/State', 'Held')]));
    expect(commands.map((c) => c.topic)).toEqual(['spBv1.0/g/NCMD/line-1']);
    expect(decodePayload(commands[0].payload).metrics).toEqual([{ name: 'Node Control/Rebirth', alias: null, value: true }]);
    expect((await state()).state).toBe('RUNNING');
    expect(ingest.stats().rebirthsRequested).toBe(1);
  });

  it('counts malformed payloads, bad topics and unknown machines, and carries on', async () => {
    await ingest.handle(topic('NBIRTH'), Buffer.from('not protobuf at all \u00ff\u00ff'));
    await ingest.handle('spBv1.0/g/WHAT/line-1', nbirth(1));
    await birth();
    await ingest.handle(topic('DBIRTH', 'NO-SUCH-MACHINE'), bytes(2, [str('Machine/State', 'Execute')]));
    await ingest.handle(topic('DDATA', 'NO-SUCH-MACHINE'), bytes(3, [str('Machine/State', 'Held')]));
    await ingest.handle(topic('DDATA', machine.id), bytes(4, [str('Machine/State', 'Dancing'), str('Machine/ReasonCode', 'x')]));
    const stats = ingest.stats();
    expect(stats).toMatchObject({ malformed: 2, unknownMachines: 2, failures: 0 });
    expect(warnings.filter((w) => w.includes('not a known machine'))).toHaveLength(1);
    expect(warnings).toContain('telemetry: unreadable metrics');
    // The readable part of that message (the reason) still applied to the RUNNING machine's view; state unchanged.
    expect((await state()).state).toBe('RUNNING');
  });
});
