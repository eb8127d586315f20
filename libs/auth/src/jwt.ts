import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  createRemoteJWKSet,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { unauthenticated } from './auth.errors';
import { PERMISSIONS, ROLES, type Permission, type Role, type Viewer } from './viewer';

export interface AuthSettings {
  jwtSecret: string | undefined;
  jwksUrl: string | undefined;
}

/** Verified tokens kept per process (a few hundred bytes each). */
const VERIFIED_MAX = 5_000;

/**
 * Verifies `Authorization: Bearer <JWT>`: HS256 with the shared secret, or RS256 against a JWKS.
 * `exp` is required; `alg: none`, a wrong signature, an expired token or a missing tenant (for
 * any role but PLATFORM_ADMIN) is UNAUTHENTICATED.
 *
 * A token that verified is remembered (by its exact text) until its `exp`: a client sends the
 * same token with every request, and checking its signature each time cost more server CPU than
 * a cached read. Only successes are kept, at most VERIFIED_MAX (the oldest go first); a key
 * removed from the JWKS does not revoke tokens already verified before their `exp`.
 */
export class JwtVerifier {
  private readonly jwks: JWTVerifyGetKey | undefined;
  private readonly secret: Uint8Array | undefined;
  private readonly verified = new Map<string, { viewer: Viewer; expiresAtMs: number }>();

  constructor(
    settings: AuthSettings,
    /** The clock, in ms since the epoch (tests move it). */
    private readonly now: () => number = Date.now,
  ) {
    if (settings.jwksUrl) this.jwks = createRemoteJWKSet(new URL(settings.jwksUrl));
    if (settings.jwtSecret) this.secret = new TextEncoder().encode(settings.jwtSecret);
    if (!this.jwks && !this.secret)
      throw new Error('JwtVerifier needs AUTH_JWT_SECRET or AUTH_JWKS_URL');
  }

  /**
   * The viewer of a token verified before and not yet expired, without waiting: the response
   * cache's fast path (anything else, including an expired or unknown token, goes through verify).
   */
  known(authorization: string | undefined): Viewer | undefined {
    if (!authorization || !authorization.startsWith('Bearer ')) return undefined;
    const known = this.verified.get(authorization.slice(7));
    return known && this.now() < known.expiresAtMs ? known.viewer : undefined;
  }

  async verify(authorization: string | undefined): Promise<Viewer> {
    if (!authorization) throw unauthenticated('no bearer token');
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw unauthenticated('the Authorization header must be "Bearer <token>"');
    const token = match[1]!;
    const now = this.now();
    const known = this.verified.get(token);
    if (known && now < known.expiresAtMs) return known.viewer;
    if (known) this.verified.delete(token);
    let payload: JWTPayload;
    try {
      const options = { requiredClaims: ['exp', 'sub'], currentDate: new Date(now) };
      payload = this.jwks
        ? (await jwtVerify(token, this.jwks, { ...options, algorithms: ['RS256'] })).payload
        : (await jwtVerify(token, this.secret!, { ...options, algorithms: ['HS256'] })).payload;
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw unauthenticated(
        code === 'ERR_JWT_EXPIRED' ? 'the token has expired' : 'the token is not valid',
      );
    }
    const viewer = toViewer(payload);
    this.remember(token, viewer, payload.exp! * 1000);
    return viewer;
  }

  private remember(token: string, viewer: Viewer, expiresAtMs: number): void {
    if (this.verified.size >= VERIFIED_MAX) {
      // the oldest first (a Map iterates in insertion order); expired ones go on their next use
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(token, { viewer, expiresAtMs });
  }
}

const str = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value : null;

export function toViewer(payload: JWTPayload): Viewer {
  const roles = Array.isArray(payload.roles)
    ? payload.roles.filter((r): r is Role => ROLES.includes(r as Role))
    : [];
  if (roles.length === 0) throw unauthenticated('the token carries no known role');
  const tenantId = str(payload.tenant);
  if (!tenantId && !(roles.length === 1 && roles[0] === 'PLATFORM_ADMIN')) {
    throw unauthenticated('the token names no tenant');
  }
  if (roles.includes('MEMBER') && !str(payload.member))
    throw unauthenticated('a MEMBER token must name the member');
  const permissions = Array.isArray(payload.permissions)
    ? payload.permissions.filter((p): p is Permission => PERMISSIONS.includes(p as Permission))
    : [];
  return Object.freeze({
    userId: payload.sub!,
    tenantId,
    roles: Object.freeze(roles),
    unitId: str(payload.unit),
    memberId: str(payload.member),
    permissions: Object.freeze(permissions),
  });
}

export interface TokenClaims {
  sub: string;
  tenant?: string;
  roles: Role[];
  unit?: string;
  member?: string;
  /** e.g. `['PII_READ']`: national id and phone in full */
  permissions?: Permission[];
}

/** HS256 token for development, tests and the demo (never used to verify). */
export async function mintToken(
  secret: string,
  claims: TokenClaims,
  ttlSeconds = 8 * 3600,
): Promise<string> {
  const { sub, ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

/**
 * Outside production, without AUTH_JWT_SECRET: a random secret kept under the data directory, so
 * that `npm start` and `npm run token` agree and nothing weak is ever hard-coded.
 */
export function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
