/**
 * `npm start`: build, make a localhost dev certificate offline, start the local API
 * (DynamoDB Local with data in .data/) and the HTTPS dev server on https://localhost:3000 that
 * serves dist/ and proxies /v1 to the API; then print how to sideload the add-in and where
 * the preview page is. Ctrl-C stops everything.
 */
import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ApiClient } from "../addin/api.ts";
import { portFromEnv } from "../functions/local/envPort.ts";
import { type LocalStack, startLocalStack } from "../functions/local/stack.ts";
import { startAddinServer } from "./addin-server.ts";
import { buildFunctions } from "./build-functions.ts";
import { buildTaskpane } from "./build-taskpane.ts";
import { writeManifest } from "./manifest.ts";

const DEFAULT_ADDIN_PORT = 3000;
const CERT_DIR = join(homedir(), ".office-addin-dev-certs");

/** The dev certificate of office-addin-dev-certs, made offline (no prompt, no network) if missing or expiring. */
async function devCertificate(): Promise<{ key: Buffer; cert: Buffer; ca: string }> {
  const files = {
    ca: join(CERT_DIR, "ca.crt"),
    cert: join(CERT_DIR, "localhost.crt"),
    key: join(CERT_DIR, "localhost.key"),
  };
  const fresh = (): boolean => {
    if (!Object.values(files).every((f) => existsSync(f))) return false;
    const validTo = Date.parse(new X509Certificate(readFileSync(files.cert)).validTo);
    return validTo - Date.now() > 24 * 3_600_000;
  };
  if (!fresh()) {
    // generateCertificates writes nothing when ca.crt exists, so an old set goes first.
    for (const f of Object.values(files)) rmSync(f, { force: true });
    const { generateCertificates } = await import("office-addin-dev-certs/lib/generate.js");
    await generateCertificates();
  }
  return { key: readFileSync(files.key), cert: readFileSync(files.cert), ca: files.ca };
}

/** True when the sample team (acme) has no customers yet: the pane then offers to load them. */
async function teamIsEmpty(api: LocalStack): Promise<boolean> {
  const token = await api.token("li", "acme", ["managers"]);
  const client = new ApiClient({ baseUrl: api.url, token: () => token });
  return (await client.listCustomers({ limit: 1 })).items.length === 0;
}

let api: LocalStack | null = null;
try {
  const PORT = portFromEnv(process.env, "CRM_ADDIN_PORT", DEFAULT_ADDIN_PORT);
  const BASE_URL = `https://localhost:${PORT}`;
  const apiPort = portFromEnv(process.env, "CRM_API_PORT", 8787);
  await buildFunctions({ outDir: "dist" });
  await buildTaskpane({ outDir: "dist" });
  writeManifest(BASE_URL, "dist/manifest.xml");
  const manifest = PORT === DEFAULT_ADDIN_PORT ? "manifest.xml" : "dist/manifest.xml";
  const tls = await devCertificate();
  api = await startLocalStack({
    port: apiPort,
    db: { dir: ".data/dynamodb" },
    keysDir: ".data/keys",
    onCrash: (message) => {
      console.error(`${message}\nRestart npm start.`);
      process.exit(1);
    },
  });
  const server = await startAddinServer({
    root: "dist",
    apiUrl: api.url,
    port: PORT,
    host: "localhost",
    tls,
  });
  const empty = await teamIsEmpty(api).catch(() => false);
  const firstRun = empty
    ? `
The team store is empty. Open the preview and press "Load the sample team" on the Sign in tab:
it signs in as li (credit manager) and saves 12 sample customers for team acme. A manager,
because the samples carry credit limits and staff may not set a limit (four-eyes rule).
`
    : "";
  console.log(`
CRM add-in running.
  Add-in (HTTPS):  ${server.url}/taskpane.html   (API proxied at ${server.url}/v1 → ${api.url}/v1)
  Preview:         ${server.url}/preview.html   the real pane over an in-memory workbook, any browser
  Dev certificate: ${tls.ca}
    Trust it once (needs admin rights) so Excel and browsers accept https://localhost:${PORT}:
      npx office-addin-dev-certs install

${firstRun}
Sideload ${manifest}${PORT === DEFAULT_ADDIN_PORT ? " (at the top of this folder)" : ` (for port ${PORT})`}:
  Excel on Windows: File > Options > Trust Center > Trust Center Settings > Trusted Add-in Catalogs:
    add a shared folder holding manifest.xml, tick "Show in Menu", restart Excel, then
    Home > Add-ins > Advanced > Shared Folder > CRM Credit.
  Excel on Mac: copy ${manifest} to
    ~/Library/Containers/com.microsoft.Excel/Data/Documents/wef/ and restart Excel, then
    Home > Add-ins > CRM Credit.
  Excel on the web: open a workbook, Home > Add-ins > More Add-ins > My Add-ins >
    Upload My Add-in, and choose ${manifest}.

Sign in from the pane as a dev user (ana: staff, li: credit manager, bo: another team).
Ctrl-C stops the API and the server.`);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    await api?.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  // The API may be up already (DynamoDB Local is a child process): never leave it behind.
  await api?.stop().catch(() => undefined);
  process.exit(1);
}
