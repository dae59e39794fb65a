import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../../subgraphs/common/repo-root';
import { gatewayService } from '../../../gateway/main';
import { GATEWAY_NODE_FLAGS } from '../../../gateway/node-flags';
import { erpService } from '../../../subgraphs/erp/main';
import { mesService } from '../../../subgraphs/mes/main';
import { fakeErpNextService } from '../../../mocks/erpnext/main';
import type { z } from 'zod';

/** No Docker engine runs here: the file is checked by parsing it and resolving what it points at. */
describe('docker-compose.yml', () => {
  const root = repoRoot();
  const compose = parse(fs.readFileSync(path.join(root, "docker-compose.yml"), "utf8"), { merge: true }) as {
    services: Record<string, { command?: string | string[]; environment?: Record<string, string>; depends_on?: Record<string, unknown> }>;
  };

  it('describes the production-like stack: two gateways, both subgraphs, Redis and an MQTT broker', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['gateway-1', 'gateway-2', 'erp', 'mes', 'redis', 'mosquitto']));
  });

  it('starts each forge service from an entry point that exists in the sources', () => {
    for (const name of ['erpnext', 'erp', 'mes', 'gateway-1', 'gateway-2']) {
      const command = String(compose.services[name].command);
      const match = /^node (?:--\S+ )*dist\/(\S+)\.js$/.exec(command);
      expect(match).not.toBeNull();
      expect(fs.existsSync(path.join(root, `${match![1]}.ts`))).toBe(true);
    }
  });

  it('starts the gateways with the Node flags every launcher gives them', () => {
    for (const name of ['gateway-1', 'gateway-2']) {
      expect(String(compose.services[name].command)).toBe(`node ${GATEWAY_NODE_FLAGS.join(' ')} dist/gateway/main.js`);
    }
  });

  it('points the gateways at the subgraph services on the ports those services listen on', () => {
    for (const name of ['gateway-1', 'gateway-2']) {
      const env = compose.services[name].environment!;
      expect(env.SUBGRAPH_URL_ERP).toBe(`http://erp:${compose.services.erp.environment!.ERP_PORT}/graphql`);
      expect(env.SUBGRAPH_URL_MES).toBe(`http://mes:${compose.services.mes.environment!.MES_PORT}/graphql`);
      expect(Object.keys(compose.services[name].depends_on!)).toEqual(expect.arrayContaining(['erp', 'mes']));
    }
  });

  it('sets only variables the services read (a typo would silently fall back to a default)', () => {
    const known = (service: { env: unknown }) => new Set(Object.keys((service.env as z.AnyZodObject).shape));
    const services = { erpnext: fakeErpNextService, erp: erpService, mes: mesService, 'gateway-1': gatewayService, 'gateway-2': gatewayService };
    for (const [name, service] of Object.entries(services)) {
      const variables = Object.keys(compose.services[name].environment ?? {}).filter((v) => v !== 'NODE_ENV');
      const unknown = variables.filter((v) => !known(service).has(v));
      expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
    }
  });

  it('configures what production mode requires: authentication on the gateways, one identity secret everywhere', () => {
    for (const name of ['gateway-1', 'gateway-2']) {
      const env = compose.services[name].environment!;
      expect(env.NODE_ENV).toBe('production');
      expect(env.AUTH_JWKS_URL ?? env.AUTH_JWT_SECRET).toBeTruthy();
    }
    const secrets = ['erp', 'mes', 'gateway-1', 'gateway-2'].map((name) => compose.services[name].environment!.IDENTITY_SIGNING_SECRET);
    expect(new Set(secrets).size).toBe(1);
    expect(secrets[0]).toBeTruthy();
  });
});
