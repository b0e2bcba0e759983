/** `npm start`'s add-in server: the dev server on CRM_ADDIN_PORT, a busy port said in words. */
import { type DevServer, type DevServerOptions, startDevServer } from "./dev-server.ts";

/** The dev server on `opts.port`; a port in use names the variable that moves it. */
export async function startAddinServer(
  opts: DevServerOptions & { readonly port: number },
): Promise<DevServer> {
  try {
    return await startDevServer(opts);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    throw new Error(
      `Port ${opts.port} is already in use: stop what runs there, or start on another port with ` +
        `CRM_ADDIN_PORT=${opts.port + 1} npm start (then sideload dist/manifest.xml, written for that port).`,
    );
  }
}
