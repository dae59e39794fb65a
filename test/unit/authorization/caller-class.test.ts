import type { ApolloGateway } from '@apollo/gateway';
import { createAuthorization } from '../../../gateway/authorization';
import { verifyIdentity } from '../../../subgraphs/common/identity';

const gateway = { onSchemaLoadOrUpdate: () => () => undefined } as unknown as ApolloGateway;
const SECRET = 'a-test-identity-signing-secret-of-32+chars';
const context = (identity?: { sub: string | null; scopes: string[]; tenant?: string }) => ({ identity });

describe('caller class (what the entity cache keeps answers apart by)', () => {
  const signed = createAuthorization(gateway, { production: true, authConfigured: true, identitySigningSecret: SECRET });

  it('is one class for everyone when no identity is forwarded', () => {
    const unsigned = createAuthorization(gateway, { production: true, authConfigured: true });
    expect(unsigned.callerClass(context({ sub: 'a', scopes: ['orders:read'], tenant: 'C1' }))).toBe('');
    expect(unsigned.callerClass(context())).toBe('');
  });

  it('follows the rights a subgraph is told: tenant and scopes, in any order, not the subject', () => {
    const staff = signed.callerClass(context({ sub: 'ann', scopes: ['orders:read', 'production:read'] }));
    expect(signed.callerClass(context({ sub: 'bob', scopes: ['production:read', 'orders:read'] }))).toBe(staff);
    expect(signed.callerClass(context({ sub: 'ann', scopes: ['orders:read'] }))).not.toBe(staff);
    const partner = signed.callerClass(context({ sub: 'p', scopes: ['orders:read', 'production:read'], tenant: 'C1' }));
    expect(partner).not.toBe(staff);
    expect(signed.callerClass(context({ sub: 'p', scopes: ['orders:read', 'production:read'], tenant: 'C2' }))).not.toBe(partner);
    expect(signed.callerClass(context())).not.toBe(staff);
  });

  it("signs the gateway's own staff identity for its streams", () => {
    const identity = signed.gatewayIdentity(['production:read']);
    expect(verifyIdentity(identity!.sign(), SECRET)).toMatchObject({ sub: 'forge-gateway', scopes: ['production:read'] });
    expect(createAuthorization(gateway, { production: true, authConfigured: true }).gatewayIdentity(['production:read'])).toBeUndefined();
  });
});
