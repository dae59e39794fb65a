import type http from 'node:http';
import { bearerToken } from './bearer';
import { AuthError, reasonFor, unauthenticated } from './errors';
import { ANONYMOUS, type Identity } from './identity';
import type { TokenVerifier } from './verifier';

/** The part of the gateway's context this module owns. */
export interface AuthContext {
  identity: Identity;
}

/**
 * The identity of an HTTP request: anonymous without a token; a refused token throws a GraphQLError that Apollo
 * answers with 401 `UNAUTHENTICATED` before planning, so no subgraph is called.
 */
export async function identifyRequest(verifier: TokenVerifier, req: http.IncomingMessage): Promise<Identity> {
  try {
    const token = bearerToken(req.headers.authorization);
    return token === null ? ANONYMOUS : await verifier.verify(token);
  } catch (error) {
    throw unauthenticated(error instanceof AuthError ? error.reason : reasonFor(error));
  }
}
