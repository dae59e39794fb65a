import { Stack, startStack } from '../../fixtures/stack';
import { AUDIENCE, bearer, claims, hs256, ISSUER, now, post, SECRET, unsigned } from './tokens';

/** Bearer tokens, CORS and CSRF against the real gateway and subgraph processes. */
const QUERY = '{ salesOrders(first: 2) { totalCount nodes { number } } }';
const ALLOWED = 'https://portal.example.com';

describe('gateway HTTP authentication and hardening', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      seed: 7,
      scale: 5,
      env: { AUTH_JWT_SECRET: SECRET, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, AUTH_CLOCK_TOLERANCE_S: '2', CORS_ORIGINS: `${ALLOWED},http://localhost:3000`, SIMULATOR_RATE: '0' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('accepts a valid HS256 token', async () => {
    const res = await post(stack.gatewayUrl, QUERY, bearer(hs256(claims())));
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.salesOrders.nodes).toHaveLength(2);
  });

  it('treats a request without a token as anonymous, not as an error', async () => {
    const res = await post(stack.gatewayUrl, '{ __typename }');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ __typename: 'Query' });
  });

  const refused: [string, () => string | Record<string, string>, RegExp][] = [
    ['expired', () => hs256(claims({ exp: now() - 60 })), /expired/],
    ['not yet valid', () => hs256(claims({ nbf: now() + 120 })), /not yet valid/],
    ['forged signature', () => hs256(claims(), 'another-secret-that-is-long-enough-000'), /bad signature/],
    ['alg none', () => unsigned(claims()), /algorithm not accepted|malformed/],
    ['signature-stripped', () => hs256(claims()).replace(/\.[^.]+$/, '.'), /bad signature|malformed/],
    ['wrong audience', () => hs256(claims({ aud: 'someone-else' })), /wrong audience/],
    ['wrong issuer', () => hs256(claims({ iss: 'https://evil.example' })), /wrong issuer/],
    ['malformed token', () => 'not-a-jwt', /malformed/],
    ['garbage segments', () => 'aaa.bbb.ccc', /malformed/],
    ['no exp claim', () => hs256(claims({ exp: undefined })), /"exp"/],
    ['a Basic header', () => ({ authorization: 'Basic YWxpY2U6c2VjcmV0' }), /malformed Authorization header/],
  ];

  it.each(refused)('refuses a token (%s) with 401 UNAUTHENTICATED, then still answers', async (_name, make, reason) => {
    const token = make();
    const res = await post(stack.gatewayUrl, QUERY, typeof token === 'string' ? bearer(token) : token);
    expect(res.status).toBe(401);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(res.body.errors![0]!.message).toMatch(reason);
    const after = await post(stack.gatewayUrl, QUERY, bearer(hs256(claims())));
    expect(after.status).toBe(200);
    expect(after.body.data.salesOrders.totalCount).toBeGreaterThan(0);
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(stack.gatewayUrl, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    const ok = await preflight(ALLOWED);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(ok.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const denied = await preflight('https://evil.example');
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    expect(denied.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('puts CORS headers on responses to allowed origins and none on others', async () => {
    const allowed = await post(stack.gatewayUrl, '{ __typename }', { origin: 'http://localhost:3000' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const other = await post(stack.gatewayUrl, '{ __typename }', { origin: 'https://evil.example' });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses CSRF-able requests (GET or a simple content type without a preflight-forcing header)', async () => {
    const get = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF/i);
    const form = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(form.status).toBe(400);
    const preflighted = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
    expect(await preflighted.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
