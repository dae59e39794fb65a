import fs from 'node:fs';
import { composeSupergraph, schemaFile, SUBGRAPHS } from '../../../schema/compose';

describe('composition', () => {
  let composition: Awaited<ReturnType<typeof composeSupergraph>>;
  beforeAll(async () => {
    composition = await composeSupergraph();
  });

  it('composes without errors (all of them printed when it does not)', () => {
    if (composition.errors.length > 0) {
      throw new Error(`composition failed with ${composition.errors.length} error(s):\n\n${composition.errors.join('\n\n')}`);
    }
    expect(composition.supergraphSdl).toContain('join__Graph');
  });

  it.each(SUBGRAPHS.map((s) => s.name))('the committed %s subgraph SDL matches the code (run `npm run compose`)', (name) => {
    const fresh = composition.subgraphs.find((s) => s.name === name)!.sdl.trim();
    expect(fs.readFileSync(schemaFile(name), 'utf8').trim()).toBe(fresh);
  });

  it('the committed supergraph matches a fresh composition (run `npm run compose`)', () => {
    expect(fs.readFileSync(schemaFile('supergraph'), 'utf8').trim()).toBe(composition.supergraphSdl?.trim());
  });

  it('the supergraph joins ERP and MES on the shared entities', () => {
    const sdl = composition.supergraphSdl!;
    for (const [type, key] of [['SalesOrder', 'id'], ['Product', 'sku'], ['WorkOrder', 'id'], ['MaterialLot', 'lotNumber']]) {
      expect(sdl).toMatch(new RegExp(`type ${type}\\s+@join__type\\(graph: ERP, key: "${key}"\\)\\s+@join__type\\(graph: MES, key: "${key}"\\)`));
    }
    expect(sdl).toMatch(/productionRisk: ProductionRisk @join__field\(graph: MES, requires: "dueDate"\)/);
  });
});
