import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { connectionParamsToken, bearerToken } from '../../../gateway/auth/bearer';
import { assertProductionAuth } from '../../../gateway/auth/config';
import { allowedOrigin } from '../../../gateway/auth/cors';
import { AuthError, reasonFor } from '../../../gateway/auth/errors';
import { ANONYMOUS, identityFromClaims } from '../../../gateway/auth/identity';
import { maskProductionError } from '../../../gateway/auth/production-errors';
import { connectionAuth } from '../../../gateway/auth/websocket';
import type { TokenVerifier } from '../../../gateway/auth/verifier';
import { GatewayEnv } from '../../../gateway/config';

describe('identity from claims', () => {
  it('splits the space-separated scope, keeps the tenant and expiry', () => {
    expect(identityFromClaims({ sub: 'alice', scope: 'orders:read  finance:read orders:read', tenant: 'C-0001', exp: 10 })).toEqual({
      sub: 'alice',
      scopes: ['orders:read', 'finance:read'],
      tenant: 'C-0001',
      expiresAt: 10,
    });
    expect(identityFromClaims({ sub: 'svc', scp: ['a', 'b'] })).toEqual({ sub: 'svc', scopes: ['a', 'b'] });
    expect(ANONYMOUS).toEqual({ sub: null, scopes: [] });
  });
});

describe('token extraction', () => {
  it('reads Authorization: Bearer, null without a header, refuses other schemes', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer   abc')).toBe('abc');
    expect(bearerToken(undefined)).toBeNull();
    expect(() => bearerToken('Basic abc')).toThrow(AuthError);
    expect(() => bearerToken('Bearer a b')).toThrow(/malformed/);
  });
  it('reads connectionParams.authorization (any case) or .token', () => {
    expect(connectionParamsToken({ Authorization: 'Bearer t1' })).toBe('t1');
    expect(connectionParamsToken({ token: 't2' })).toBe('t2');
    expect(connectionParamsToken({ token: 'Bearer t3' })).toBe('t3');
    expect(connectionParamsToken({})).toBeNull();
    expect(connectionParamsToken(undefined)).toBeNull();
    expect(() => connectionParamsToken({ token: 42 })).toThrow(AuthError);
  });
});

describe('refusal reasons', () => {
  it.each([
    [{ code: 'ERR_JWT_EXPIRED' }, 'token expired'],
    [{ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'nbf' }, 'token not yet valid'],
    [{ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' }, 'wrong audience'],
    [{ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'iss' }, 'wrong issuer'],
    [{ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' }, 'bad signature'],
    [{ code: 'ERR_JOSE_ALG_NOT_ALLOWED' }, 'signing algorithm not accepted'],
    [{ code: 'ERR_JWS_INVALID' }, 'malformed token'],
    [new Error('secret internals at http://idp.internal'), 'invalid token'],
  ])('%j → %s', (error, reason) => expect(reasonFor(error)).toBe(reason));
});

describe('configuration', () => {
  const env = { NODE_ENV: 'production' };
  it('production without AUTH_JWT_SECRET nor AUTH_JWKS_URL is a start-up problem', () => {
    expect(() => assertProductionAuth(true, {})).toThrow(/NODE_ENV=production needs authentication/);
    expect(() => assertProductionAuth(true, { jwksUrl: 'https://idp/jwks' })).not.toThrow();
    expect(() => assertProductionAuth(false, {})).not.toThrow();
  });
  it('parses CORS_ORIGINS and treats empty AUTH variables as unset', () => {
    const parsed = GatewayEnv.parse({ ...env, CORS_ORIGINS: 'https://a.example, https://b.example', AUTH_JWKS_URL: '' });
    expect(parsed.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(parsed.AUTH_JWKS_URL).toBeUndefined();
    expect(GatewayEnv.safeParse({ AUTH_JWT_SECRET: 'short' }).success).toBe(false);
    expect(GatewayEnv.safeParse({ AUTH_JWKS_ALGORITHMS: 'HS256' }).success).toBe(false);
  });
});

describe('CORS allowlist', () => {
  it('echoes allowed origins only', () => {
    expect(allowedOrigin('https://a.example', ['https://a.example'])).toBe('https://a.example');
    expect(allowedOrigin('https://evil.example', ['https://a.example'])).toBeNull();
    expect(allowedOrigin(undefined, ['*'])).toBeNull();
    expect(allowedOrigin('https://x', ['*'])).toBe('*');
    expect(allowedOrigin('https://a.example', [])).toBeNull();
  });
});

describe('production error masking', () => {
  it('keeps typed errors, strips URLs and stack traces, masks the rest', () => {
    expect(
      maskProductionError({ message: 'subgraph at http://10.0.0.5:4001/graphql timed out', extensions: { code: 'SUBGRAPH_UNAVAILABLE', stacktrace: ['x'] } }),
    ).toEqual({ message: 'subgraph at [internal] timed out', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    expect(maskProductionError({ message: 'Cannot read properties of undefined', path: ['a'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x.js:1'] } })).toEqual({
      message: 'internal server error',
      path: ['a'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(maskProductionError({ message: 'ECONNREFUSED 10.0.0.5' })).toEqual({ message: 'internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(maskProductionError({ message: 'unauthenticated: token expired', extensions: { code: 'UNAUTHENTICATED' } }).message).toBe('unauthenticated: token expired');
  });
});

describe('connection auth', () => {
  const fakeSocket = () => {
    const emitter = new EventEmitter() as EventEmitter & { closed?: [number, string]; close(code: number, reason: string): void };
    emitter.close = (code, reason) => {
      emitter.closed = [code, reason];
      emitter.emit('close');
    };
    return emitter;
  };
  const verifier = (expiresAt: number): TokenVerifier => ({
    clockToleranceS: 0,
    verify: async (token) => {
      if (token !== 'good') throw new AuthError('bad signature');
      return { sub: 'alice', scopes: ['production:read'], expiresAt };
    },
  });

  it('accepts anonymous and valid tokens, refuses bad ones with 4401 and the reason', async () => {
    const auth = connectionAuth(verifier(Math.floor(Date.now() / 1000) + 600));
    const anon = fakeSocket();
    expect(await auth.onConnect(anon as unknown as WebSocket, {})).toBe(true);
    expect(auth.identityOf(anon as unknown as WebSocket)).toEqual(ANONYMOUS);
    const good = fakeSocket();
    expect(await auth.onConnect(good as unknown as WebSocket, { token: 'good' })).toBe(true);
    expect(auth.identityOf(good as unknown as WebSocket).sub).toBe('alice');
    good.emit('close');
    const bad = fakeSocket();
    expect(await auth.onConnect(bad as unknown as WebSocket, { authorization: 'Bearer nope' })).toBe(false);
    expect(bad.closed).toEqual([4401, 'Unauthorized: bad signature']);
  });

  it('closes with 4803 when the token expires', async () => {
    jest.useFakeTimers({ now: 1_000_000_000_000 });
    try {
      const auth = connectionAuth(verifier(1_000_000_000 + 5));
      const socket = fakeSocket();
      await auth.onConnect(socket as unknown as WebSocket, { token: 'good' });
      jest.advanceTimersByTime(4_900);
      expect(socket.closed).toBeUndefined();
      jest.advanceTimersByTime(200);
      expect(socket.closed?.[0]).toBe(4803);
    } finally {
      jest.useRealTimers();
    }
  });
});
