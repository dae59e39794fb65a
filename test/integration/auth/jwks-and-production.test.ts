import path from 'node:path';
import { startProcess } from '../../../gateway/stack/child-process';
import { DIST, Service, startService } from '../../fixtures/stack';
import { freePort } from '../../fixtures/free-port';
import { bearer, claims, hs256, post, rsaKey, SECRET, serveJwks } from './tokens';

/** Production-style gateways: keys from a JWKS endpoint (with rotation), and NODE_ENV=production rules. */
describe('JWKS verification with key rotation', () => {
  const first = rsaKey('key-2024');
  const second = rsaKey('key-2025');
  let jwks: Awaited<ReturnType<typeof serveJwks>>;
  let gateway: Service;
  beforeAll(async () => {
    jwks = await serveJwks([first]);
    gateway = await startService('gateway', { AUTH_JWKS_URL: jwks.url, AUTH_JWKS_COOLDOWN_MS: '0', AUTH_CLOCK_TOLERANCE_S: '1', SUPERGRAPH_POLL_MS: '0' });
  });
  afterAll(async () => {
    await gateway?.stop();
    await jwks?.close();
  });

  it('accepts a token signed with a key of the JWKS', async () => {
    const res = await post(gateway.url, '{ __typename }', bearer(first.sign(claims())));
    expect(res.status).toBe(200);
  });

  it('after a rotation, accepts the new key and refuses the retired one', async () => {
    jwks.rotate([second]);
    const fetched = jwks.fetches();
    const fresh = await post(gateway.url, '{ __typename }', bearer(second.sign(claims())));
    expect(fresh.status).toBe(200);
    expect(jwks.fetches()).toBeGreaterThan(fetched);
    const retired = await post(gateway.url, '{ __typename }', bearer(first.sign(claims())));
    expect(retired.status).toBe(401);
    expect(retired.body.errors![0]!.message).toMatch(/signing key|bad signature/);
  });

  it('refuses HS256 tokens when only a JWKS is configured (algorithms are pinned)', async () => {
    const res = await post(gateway.url, '{ __typename }', bearer(hs256(claims(), SECRET)));
    expect(res.status).toBe(401);
    expect(res.body.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('NODE_ENV=production', () => {
  it('refuses to start without auth configuration: one line, exit 1', async () => {
    const proc = startProcess({
      name: 'gateway',
      script: path.join(DIST, 'gateway/main.js'),
      env: { ...process.env, NODE_ENV: 'production', GATEWAY_PORT: String(await freePort()), AUTH_JWT_SECRET: '', AUTH_JWKS_URL: '', IDENTITY_SIGNING_SECRET: 'identity-secret-0123456789-abcdefghij' },
      echo: false,
    });
    expect(await proc.exited).toBe(1);
    const lines = proc.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^gateway: NODE_ENV=production needs authentication: set AUTH_JWKS_URL \(or AUTH_JWT_SECRET\)/);
  });

  describe('with auth configured', () => {
    let gateway: Service;
    let dead: string;
    beforeAll(async () => {
      dead = `http://127.0.0.1:${await freePort()}/graphql`;
      gateway = await startService('gateway', { NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET, IDENTITY_SIGNING_SECRET: 'identity-secret-0123456789-abcdefghij', SUBGRAPH_URL_ERP: dead, SUBGRAPH_URL_MES: dead, SUPERGRAPH_POLL_MS: '0' });
    });
    afterAll(async () => {
      await gateway?.stop();
    });
    const token = () => bearer(hs256({ sub: 'ops', scope: 'orders:read', exp: Math.floor(Date.now() / 1000) + 300 }));

    it('has introspection off', async () => {
      const res = await post(gateway.url, '{ __schema { queryType { name } } }', token());
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors![0]!.message).toMatch(/introspection/i);
    });

    it('serves no landing page', async () => {
      const res = await fetch(gateway.url, { headers: { accept: 'text/html' } });
      expect(await res.text()).not.toMatch(/<html/i);
    });

    it('sends typed errors without stack traces or internal URLs', async () => {
      const res = await post(gateway.url, '{ salesOrders(first: 1) { totalCount } }', token());
      expect(res.body.errors!.length).toBeGreaterThan(0);
      const text = JSON.stringify(res.body.errors);
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toMatch(/stacktrace|\bat .*\.js:\d+/);
      for (const error of res.body.errors!) expect(typeof error.extensions.code).toBe('string');
    });

    it('still refuses bad tokens with 401', async () => {
      const res = await post(gateway.url, '{ __typename }', bearer('x.y.z'));
      expect(res.status).toBe(401);
    });
  });
});
