/**
 * `npm run token -- <userId> [buyer|staff|admin] [ttlSeconds]`: prints a bearer token signed with
 * JWT_SECRET (the development default unless set), for curl and the seat-map page.
 */
import { issueToken } from '../api/auth/tokens';
import { readEnv } from '../config/env';
import { ROLES, type Role } from '../domain/roles';

async function main(): Promise<void> {
  const [userId, roleArg = 'buyer', ttlArg = String(12 * 3600)] = process.argv.slice(2);
  if (!userId) throw new Error('usage: npm run token -- <userId> [buyer|staff|admin] [ttlSeconds]');
  if (!(ROLES as readonly string[]).includes(roleArg)) throw new Error(`role must be one of ${ROLES.join(', ')}`);
  const ttl = Number(ttlArg);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error('ttlSeconds must be a positive integer');
  console.log(await issueToken(readEnv().jwtSecret, { userId, role: roleArg as Role }, ttl));
}

main().catch((err) => {
  console.error((err as Error).message);
  process.exit(1);
});
