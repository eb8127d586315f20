import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { AccessError } from './auth.errors';
import { JwtVerifier, mintToken } from './jwt';

const secret = () => randomBytes(32).toString('base64url');
const bearer = (token: string) => `Bearer ${token}`;

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => (error instanceof AccessError ? `${error.code}: ${error.message}` : error),
  );

describe('JwtVerifier (verified tokens remembered until exp)', () => {
  it('refuses a token it verified before once the clock passes its exp', async () => {
    const key = secret();
    let now = Date.now();
    const verifier = new JwtVerifier({ jwtSecret: key, jwksUrl: undefined }, () => now);
    const tenant = randomUUID();
    const token = await mintToken(key, { sub: 'u1', tenant, roles: ['OFFICER'] }, 60);

    const first = await verifier.verify(bearer(token));
    expect(first).toMatchObject({ tenantId: tenant, roles: ['OFFICER'], userId: 'u1' });
    // again within its lifetime: the same viewer
    now += 30_000;
    expect(await verifier.verify(bearer(token))).toEqual(first);

    now += 31_000; // past exp (60 s after issue)
    expect(await refusal(verifier.verify(bearer(token)))).toBe(
      'UNAUTHENTICATED: Not authenticated: the token has expired',
    );
  });

  it('does not let a remembered token vouch for a different one', async () => {
    const key = secret();
    const verifier = new JwtVerifier({ jwtSecret: key, jwksUrl: undefined });
    const tenant = randomUUID();
    const good = await mintToken(key, { sub: 'u1', tenant, roles: ['AUDITOR'] });
    await verifier.verify(bearer(good));

    // same claims, signed with another key; and the good token with its signature cut off
    const forged = await mintToken(secret(), { sub: 'u1', tenant, roles: ['AUDITOR'] });
    const unsigned = good.split('.').slice(0, 2).join('.') + '.';
    for (const token of [forged, unsigned])
      expect(await refusal(verifier.verify(bearer(token)))).toBe(
        'UNAUTHENTICATED: Not authenticated: the token is not valid',
      );
  });

  it('never remembers a refusal: a token without a tenant stays refused', async () => {
    const key = secret();
    const verifier = new JwtVerifier({ jwtSecret: key, jwksUrl: undefined });
    const token = await new SignJWT({ roles: ['OFFICER'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u2')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(key));
    for (let i = 0; i < 2; i++)
      expect(await refusal(verifier.verify(bearer(token)))).toBe(
        'UNAUTHENTICATED: Not authenticated: the token names no tenant',
      );
  });

  it('hands out a viewer that cannot be changed (it is shared by every request of the token)', async () => {
    const key = secret();
    const verifier = new JwtVerifier({ jwtSecret: key, jwksUrl: undefined });
    const token = await mintToken(key, {
      sub: 'u3',
      tenant: randomUUID(),
      roles: ['OFFICER'],
      permissions: ['PII_READ'],
    });
    const viewer = await verifier.verify(bearer(token));
    expect(Object.isFrozen(viewer)).toBe(true);
    expect(Object.isFrozen(viewer.roles)).toBe(true);
    expect(Object.isFrozen(viewer.permissions)).toBe(true);
  });
});
