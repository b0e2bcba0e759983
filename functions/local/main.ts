/**
 * `npm run api`: DynamoDB Local and the local API gateway on 127.0.0.1:$CRM_API_PORT
 * (default 8787, also when blank). `CRM_DB=memory` keeps nothing; otherwise data lives in `.data/dynamodb`.
 * Ctrl-C stops both; if DynamoDB Local dies, the API answers 503 while it is started again.
 */
import { portFromEnv } from "./envPort.ts";
import { startLocalStack } from "./stack.ts";

const memory = process.env.CRM_DB === "memory";

try {
  const port = portFromEnv(process.env, "CRM_API_PORT", 8787);
  const stack = await startLocalStack({
    port,
    db: memory ? "memory" : { dir: ".data/dynamodb" },
    keysDir: ".data/keys",
    fastStart: false,
  });
  console.log(
    `CRM API on ${stack.url}/v1 (DynamoDB Local ${memory ? "in memory" : "in .data/dynamodb"})`,
  );
  console.log(`  health:  curl ${stack.url}/v1/health`);
  console.log(
    `  token:   curl -s -X POST ${stack.url}/v1/dev/token -H 'content-type: application/json' -d '{"user":"ana","team":"acme"}'`,
  );
  console.log("Ctrl-C stops it.");
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
