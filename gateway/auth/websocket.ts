import type { WebSocket } from 'ws';
import { ForgeCloseCode } from '../subscriptions/close-codes';
import { connectionParamsToken } from './bearer';
import { AuthError, reasonFor } from './errors';
import { ANONYMOUS, type Identity } from './identity';
import type { TokenVerifier } from './verifier';

/** graphql-ws's own close code for a refused connection_init (see close-codes.ts). */
const UNAUTHORIZED = 4401;
/** setTimeout's ceiling (~24.8 days); a longer-lived token is re-checked then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ConnectionAuth {
  /** For graphql-ws `onConnect`: true to accept; closes the socket with 4401 and returns false to refuse. */
  onConnect(socket: WebSocket, connectionParams: Readonly<Record<string, unknown>> | undefined): Promise<boolean>;
  /** The identity the socket authenticated with (anonymous before or without a token). */
  identityOf(socket: WebSocket): Identity;
}

/**
 * Subscriptions authenticate once, on `connection_init`, with the token in `connectionParams`. The identity holds
 * for the life of the socket, and the socket is closed with TOKEN_EXPIRED when the token runs out.
 */
export function connectionAuth(verifier: TokenVerifier): ConnectionAuth {
  const identities = new WeakMap<WebSocket, Identity>();
  return {
    async onConnect(socket, connectionParams) {
      let identity: Identity;
      try {
        const token = connectionParamsToken(connectionParams);
        identity = token === null ? ANONYMOUS : await verifier.verify(token);
      } catch (error) {
        const reason = error instanceof AuthError ? error.reason : reasonFor(error);
        socket.close(UNAUTHORIZED, `Unauthorized: ${reason}`.slice(0, 120));
        return false;
      }
      identities.set(socket, identity);
      if (identity.expiresAt !== undefined) closeOnExpiry(socket, identity.expiresAt + verifier.clockToleranceS);
      return true;
    },
    identityOf: (socket) => identities.get(socket) ?? ANONYMOUS,
  };
}

function closeOnExpiry(socket: WebSocket, expiresAtS: number): void {
  const wait = Math.max(0, expiresAtS * 1000 - Date.now());
  const timer = setTimeout(() => {
    if (wait > MAX_TIMER_MS) return closeOnExpiry(socket, expiresAtS);
    socket.close(ForgeCloseCode.TOKEN_EXPIRED, 'token expired; reconnect with a fresh token and resume with after');
  }, Math.min(wait, MAX_TIMER_MS));
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
