import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startAddinServer } from "./addin-server.ts";

describe("npm start's add-in server", () => {
  it("names CRM_ADDIN_PORT when its port is busy", async () => {
    const busy = createServer();
    await new Promise<void>((ok) => busy.listen(0, "127.0.0.1", ok));
    const port = (busy.address() as { port: number }).port;
    const root = mkdtempSync(join(tmpdir(), "crm-addin-"));
    const started = startAddinServer({ root, apiUrl: "http://127.0.0.1:9", port });
    await expect(started).rejects.toThrow(
      `Port ${port} is already in use: stop what runs there, or start on another port with CRM_ADDIN_PORT=${port + 1} npm start`,
    );
    await new Promise((ok) => busy.close(ok));
    rmSync(root, { recursive: true, force: true });
  });
});
