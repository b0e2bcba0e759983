/**
 * A port number from an environment variable, as `npm start` and `npm run api` read
 * `CRM_API_PORT` and `CRM_ADDIN_PORT`: unset or blank means the default (a blank variable is
 * what `CRM_API_PORT= npm run api` or an empty line in a .env file gives, and it never means
 * "any free port").
 */

/** `portFromEnv(process.env, "CRM_API_PORT", 8787)`; throws a readable Error for a non-port. */
export function portFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
): number {
  const raw = (env[name] ?? "").trim();
  if (raw === "") return fallback;
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535) {
    throw new Error(
      `${name} must be a port number from 0 to 65535 (blank for ${fallback}), not "${raw}".`,
    );
  }
  return port;
}
