/** Who is calling: from a verified JWT, or anonymous when the request carries no token. */
export interface Identity {
  /** The token's `sub`; null for an anonymous caller. */
  sub: string | null;
  /** From the space-separated `scope` claim (an array `scp`/`scope` is accepted too). */
  scopes: string[];
  /** A partner's customer id (`tenant` claim); absent for staff. */
  tenant?: string;
  /** When the token stops being valid (epoch seconds); absent for anonymous callers. */
  expiresAt?: number;
}

export const ANONYMOUS: Identity = Object.freeze({ sub: null, scopes: [] }) as Identity;

export function isAnonymous(identity: Identity): boolean {
  return identity.sub === null;
}

/** The identity carried by already-verified claims. */
export function identityFromClaims(claims: Record<string, unknown>): Identity {
  const identity: Identity = { sub: String(claims.sub), scopes: scopesOf(claims.scope ?? claims.scp) };
  if (typeof claims.tenant === 'string' && claims.tenant.length > 0) identity.tenant = claims.tenant;
  if (typeof claims.exp === 'number') identity.expiresAt = claims.exp;
  return identity;
}

function scopesOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? value.split(' ') : [];
  return [...new Set(list.map((s) => s.trim()).filter(Boolean))];
}
