import { parseArgs } from 'node:util';

/**
 * `npm run token -- --scope "orders:read finance:read" [--tenant C-0001] [--sub alice] [--ttl 3600]`:
 * prints a JWT signed with AUTH_JWT_SECRET (HS256), with AUTH_ISSUER / AUTH_AUDIENCE when they are set.
 * For development and tests only: production verifies tokens from its identity provider's JWKS.
 */
export async function devToken(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scope: { type: 'string', default: '' },
      tenant: { type: 'string' },
      sub: { type: 'string', default: 'dev' },
      ttl: { type: 'string', default: '3600' },
    },
  });
  const secret = env.AUTH_JWT_SECRET;
  if (!secret || secret.length < 32) throw new Error('set AUTH_JWT_SECRET (at least 32 characters) to the gateway\'s secret');
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error(`--ttl must be a positive number of seconds, not "${values.ttl}"`);
  const { SignJWT } = await import('jose');
  const claims: Record<string, unknown> = { scope: values.scope.split(/\s+/).filter(Boolean).join(' ') };
  if (values.tenant) claims.tenant = values.tenant;
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(values.sub).setIssuedAt().setExpirationTime(`${ttl}s`);
  if (env.AUTH_ISSUER) jwt = jwt.setIssuer(env.AUTH_ISSUER);
  if (env.AUTH_AUDIENCE) jwt = jwt.setAudience(env.AUTH_AUDIENCE);
  return jwt.sign(new TextEncoder().encode(secret));
}

if (require.main === module) {
  devToken(process.argv.slice(2), process.env).then(
    (token) => process.stdout.write(`${token}\n`),
    (error: unknown) => {
      process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
