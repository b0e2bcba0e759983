/** What the pane reads from its page: dist/config.json (deployed) and the browser's storage. */
import type { PaneConfig } from "./context.ts";
import type { SnapshotStore } from "./customerSync.ts";

declare const __PANE_VERSION__: string;

/** The build's version, stamped in by esbuild. */
export const PANE_VERSION = typeof __PANE_VERSION__ === "string" ? __PANE_VERSION__ : "dev";

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** config.json next to the page, or null (local mode: dev users, API on the same origin). */
export async function loadConfig(): Promise<PaneConfig | null> {
  try {
    const res = await fetch("config.json", { cache: "no-store" });
    if (!res.ok) return null;
    const body: unknown = await res.json();
    if (!isRecord(body)) return null;
    const auth = body.auth;
    const config: { apiBase?: string; auth?: NonNullable<PaneConfig["auth"]> } = {};
    if (typeof body.apiBase === "string") config.apiBase = body.apiBase;
    if (isRecord(auth) && typeof auth.issuer === "string" && typeof auth.clientId === "string") {
      config.auth = { issuer: auth.issuer, clientId: auth.clientId };
    }
    return config;
  } catch {
    return null;
  }
}

/** localStorage as a snapshot store, or none where storage is blocked. */
export function localSnapshotStore(): SnapshotStore | undefined {
  try {
    const storage = globalThis.localStorage;
    if (!storage) return undefined;
    return { load: (k) => storage.getItem(k), save: (k, v) => storage.setItem(k, v) };
  } catch {
    return undefined;
  }
}
