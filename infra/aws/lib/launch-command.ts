/**
 * @module infra/aws/lib/launch-command
 * The container command that turns separately injected secrets into the connection URLs Cleave reads.
 * ECS injects one Secrets Manager value per variable, but Cleave takes whole URLs (`DATABASE_URL`,
 * `REDIS_URL`); composing them in the container at start means a rotated password reaches every new
 * task without a redeploy, and no password ever appears in the CloudFormation template.
 *
 * The generated passwords are restricted to URL-safe characters (see `URL_SAFE_EXCLUDED`), so they
 * need no percent-encoding inside the URL.
 */

/** Characters a generated password must not contain to stand unencoded in a URL's userinfo. */
export const URL_SAFE_EXCLUDED = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\,=^';

/** Variables the launch command reads; ECS sets them from Secrets Manager and the task's environment. */
export const LAUNCH_VARIABLES = {
  database: ['DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USER', 'DB_PASSWORD'],
  /** Not a secret: the read replica's host, set in the task's environment when there is one. */
  replica: ['DB_READ_HOST'],
  redis: ['REDIS_HOST', 'REDIS_PORT', 'REDIS_AUTH_TOKEN'],
} as const;

/**
 * `sh -c` arguments that export DATABASE_URL (and DATABASE_READ_URL when `DB_READ_HOST` names a read
 * replica) and REDIS_URL, then exec the given command, so the
 * Node.js process replaces the shell and receives SIGTERM from tini directly.
 */
export function launchCommand(command: readonly string[]): string[] {
  const script = [
    // RDS requires TLS (rds.force_ssl). Node.js does not trust the RDS certificate authority, so the
    // connection is encrypted without verifying the server; verify-full needs the RDS CA bundle in
    // the image (NODE_EXTRA_CA_CERTS), see docs/deployment.md.
    'export DATABASE_URL="postgres://$DB_USER:$DB_PASSWORD@$DB_HOST:$DB_PORT/$DB_NAME?sslmode=no-verify"',
    // Analysis reads go to the read replica when there is one (same credentials: a replica of it).
    'if [ -n "$DB_READ_HOST" ]; then export DATABASE_READ_URL="postgres://$DB_USER:$DB_PASSWORD@$DB_READ_HOST:$DB_PORT/$DB_NAME?sslmode=no-verify"; fi',
    // ElastiCache with encryption in transit: TLS (rediss) and the AUTH token as the password.
    'export REDIS_URL="rediss://:$REDIS_AUTH_TOKEN@$REDIS_HOST:$REDIS_PORT"',
    'unset DB_PASSWORD REDIS_AUTH_TOKEN',
    'exec "$@"',
  ].join('; ');
  return ['sh', '-c', script, 'cleave', ...command];
}
