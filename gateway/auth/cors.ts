import type http from 'node:http';

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** What browsers may send: JSON bodies, a bearer token, and the headers Apollo's CSRF rule asks for. */
const ALLOWED_HEADERS = 'authorization, content-type, apollo-require-preflight, x-apollo-operation-name';

/** The origin to echo in Access-Control-Allow-Origin, or null when this origin gets no CORS headers. */
export function allowedOrigin(origin: string | undefined, allowlist: readonly string[]): string | null {
  if (!origin) return null;
  if (allowlist.includes('*')) return '*';
  return allowlist.includes(origin.replace(/\/$/, '')) ? origin : null;
}

/**
 * CORS headers for allowed origins, and answers to preflight (OPTIONS) requests; disallowed origins get no CORS
 * headers at all, so the browser blocks them. Returns true when the request was answered here.
 */
export function handleCors(req: http.IncomingMessage, res: http.ServerResponse, allowlist: readonly string[]): boolean {
  const origin = allowedOrigin(req.headers.origin, allowlist);
  res.setHeader('vary', 'Origin');
  if (origin) res.setHeader('access-control-allow-origin', origin);
  if (req.method !== 'OPTIONS') return false;
  if (origin) {
    res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
    res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
    res.setHeader('access-control-max-age', '600');
  }
  res.writeHead(204).end();
  return true;
}

/**
 * Puts handleCors in front of the server's existing request handler (the shared node:http front), so the gateway
 * answers preflights without the subgraphs' HTTP code knowing about CORS.
 */
export function installCors(httpServer: http.Server, allowlist: readonly string[]): void {
  const handlers = httpServer.listeners('request') as ((req: http.IncomingMessage, res: http.ServerResponse) => void)[];
  httpServer.removeAllListeners('request');
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (handleCors(req, res, allowlist)) return;
    for (const handler of handlers) handler.call(httpServer, req, res);
  });
}
