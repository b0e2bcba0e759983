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
import { startLocalStack } from "../functions/local/stack.ts";
import { buildFunctions } from "./build-functions.ts";
import { buildTaskpane } from "./build-taskpane.ts";
import { startDevServer } from "./dev-server.ts";

const PORT = Number(process.env.CRM_ADDIN_PORT ?? "3000");
const BASE_URL = `https://localhost:${PORT}`;
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

try {
  await buildFunctions({ outDir: "dist", baseUrl: BASE_URL });
  await buildTaskpane({ outDir: "dist", baseUrl: BASE_URL });
  const tls = await devCertificate();
  const api = await startLocalStack({
    port: Number(process.env.CRM_API_PORT ?? "8787"),
    db: { dir: ".data/dynamodb" },
    keysDir: ".data/keys",
    onCrash: (message) => {
      console.error(`${message}\nRestart npm start.`);
      process.exit(1);
    },
  });
  const server = await startDevServer({
    root: "dist",
    apiUrl: api.url,
    port: PORT,
    host: "localhost",
    tls,
  });
  console.log(`
CRM add-in running.
  Add-in (HTTPS):  ${server.url}/taskpane.html   (API proxied at ${server.url}/v1 → ${api.url}/v1)
  Preview:         ${server.url}/preview.html   the real pane over an in-memory workbook, any browser
  Dev certificate: ${tls.ca}
    Trust it once (needs admin rights) so Excel and browsers accept https://localhost:${PORT}:
      npx office-addin-dev-certs install

Sideload manifest.xml (at the top of this folder):
  Excel on Windows: File > Options > Trust Center > Trust Center Settings > Trusted Add-in Catalogs:
    add a shared folder holding manifest.xml, tick "Show in Menu", restart Excel, then
    Home > Add-ins > Advanced > Shared Folder > CRM Credit.
  Excel on Mac: copy manifest.xml to
    ~/Library/Containers/com.microsoft.Excel/Data/Documents/wef/ and restart Excel, then
    Home > Add-ins > CRM Credit.
  Excel on the web: open a workbook, Home > Add-ins > More Add-ins > My Add-ins >
    Upload My Add-in, and choose manifest.xml.

Sign in from the pane as a dev user (ana: staff, li: credit manager, bo: another team).
Ctrl-C stops the API and the server.`);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    await api.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
