import { parseArgs } from 'node:util';
import {
  developmentSecret,
  mintToken,
  PERMISSIONS,
  ROLES,
  type Permission,
  type Role,
} from '@app/auth';
import { loadConfig } from '@app/database';

/**
 * npm run token -- --tenant demo --role OFFICER [--role AUDITOR] [--unit <unionId>] [--member <memberId>]
 *                  [--permission PII_READ] [--sub <userId>] [--hours 8]
 * Mints an HS256 development token with AUTH_JWT_SECRET (or the development secret in .data/).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      role: { type: 'string', multiple: true },
      unit: { type: 'string' },
      member: { type: 'string' },
      permission: { type: 'string', multiple: true },
      sub: { type: 'string' },
      hours: { type: 'string', default: '8' },
    },
  });
  const roles = (values.role ?? ['OFFICER']) as Role[];
  const unknown = roles.filter((r) => !ROLES.includes(r));
  if (unknown.length)
    throw new Error(`unknown role ${unknown.join(', ')}; use ${ROLES.join(', ')}`);
  const permissions = (values.permission ?? []) as Permission[];
  const unknownPermissions = permissions.filter((p) => !PERMISSIONS.includes(p));
  if (unknownPermissions.length)
    throw new Error(
      `unknown permission ${unknownPermissions.join(', ')}; use ${PERMISSIONS.join(', ')}`,
    );
  if (!values.tenant && !(roles.length === 1 && roles[0] === 'PLATFORM_ADMIN'))
    throw new Error('--tenant is required');
  const hours = Number(values.hours);
  if (!(hours > 0 && hours <= 24 * 30)) throw new Error('--hours must be between 0 and 720');
  const config = loadConfig();
  if (config.nodeEnv === 'production')
    throw new Error('development tokens are not minted in production');
  const secret = config.auth.jwtSecret ?? developmentSecret(config.dataDir);
  const token = await mintToken(
    secret,
    {
      sub: values.sub ?? `dev-${roles.join('-').toLowerCase()}`,
      roles,
      ...(values.tenant ? { tenant: values.tenant } : {}),
      ...(values.unit ? { unit: values.unit } : {}),
      ...(values.member ? { member: values.member } : {}),
      ...(permissions.length ? { permissions } : {}),
    },
    Math.round(hours * 3600),
  );
  console.log(token);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
