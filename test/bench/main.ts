/**
 * `npm run bench`: runs every `test/bench/*.bench.ts` module in turn (or those named on the
 * command line, e.g. `npm run bench core`). Each prints ratios against a baseline it measures
 * in the same run; timings never live in tests. A name that matches no benchmark is an
 * error that lists the names there are.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const names = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.replace(".bench.ts", ""))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !names.some((n) => n.startsWith(w)));
if (unknown.length > 0) {
  console.error(
    `No benchmark named ${unknown.map((u) => `"${u}"`).join(", ")}. ` +
      `Run one of: ${names.join(", ")} (e.g. npm run bench ${names[0] ?? "core"}), or none for all.`,
  );
  process.exit(2);
}

for (const name of names.filter(
  (n) => wanted.length === 0 || wanted.some((w) => n.startsWith(w)),
)) {
  console.log(`\n## ${name}`);
  const mod: { default: () => Promise<void> } = await import(`./${name}.bench.ts`);
  await mod.default();
}
