/**
 * `npm run bench`: runs every `test/bench/*.bench.ts` module in turn (or those named on the
 * command line, e.g. `npm run bench core`). Each prints ratios against a baseline it measures
 * in the same run; timings never live in tests.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

for (const file of files) {
  console.log(`\n## ${file.replace(".bench.ts", "")}`);
  const mod: { default: () => Promise<void> } = await import(`./${file}`);
  await mod.default();
}
