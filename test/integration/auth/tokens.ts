import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** Tokens built by hand with node:crypto (jose is ESM-only and jest runs CommonJS), including broken ones. */
export const SECRET = 'test-secret-0123456789-abcdefghijklmnop';
export const ISSUER = 'https://id.forge.test';
export const AUDIENCE = 'forge-graph';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
export const now = () => Math.floor(Date.now() / 1000);

export function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { sub: 'alice', scope: 'orders:read finance:read production:read', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600, ...overrides };
}

export function hs256(payload: Record<string, unknown>, secret = SECRET, header: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT', ...header })}.${b64(payload)}`;
  return `${input}.${crypto.createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export function unsigned(payload: Record<string, unknown>): string {
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
}

export interface SigningKey {
  kid: string;
  jwk: crypto.JsonWebKey;
  sign(payload: Record<string, unknown>): string;
}

export function rsaKey(kid: string): SigningKey {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
    sign(payload) {
      const input = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(payload)}`;
      return `${input}.${crypto.sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    },
  };
}

/** A JWKS endpoint on node:http whose key set the test can swap (key rotation). */
export async function serveJwks(initial: SigningKey[]) {
  let keys = initial;
  let fetches = 0;
  const server = http.createServer((_req, res) => {
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    rotate: (next: SigningKey[]) => void (keys = next),
    fetches: () => fetches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A plain HTTP POST that keeps the status and headers. */
export async function post(url: string, query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: any }[] } };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface AuthSubscriber {
  results: unknown[];
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/** A graphql-ws client sending connectionParams, recording results and the close event. */
export function subscribeWith(url: string, connectionParams: Record<string, unknown>, query: string, variables: Record<string, unknown> = {}): AuthSubscriber {
  const results: unknown[] = [];
  let resolveClosed!: (value: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (resolveClosed = resolve));
  const client: Client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: { closed: (event) => resolveClosed({ code: (event as { code: number }).code, reason: String((event as { reason?: string }).reason ?? '') }) },
  });
  client.subscribe({ query, variables }, { next: (r) => void results.push(r), error: () => undefined, complete: () => undefined });
  return { results, closed, close: () => client.dispose() as Promise<void> };
}

export async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
