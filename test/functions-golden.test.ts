/**
 * Golden files: the built functions.json and its zh-CN twin, and docs/functions.md, so a
 * changed signature or description is a visible diff. `npx vitest run <this file> --update`
 * rewrites them after an intended change (run `npm run build` first).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { catalog } from "../addin/functions/catalog.ts";
import { functionsMarkdown } from "../addin/functions/docs.ts";

const dist = (file: string) =>
  readFileSync(fileURLToPath(new URL(`../dist/${file}`, import.meta.url)), "utf8");

interface Metadata {
  functions: {
    id: string;
    name: string;
    description: string;
    parameters: { name: string; description: string }[];
  }[];
}

describe("functions.json", () => {
  it("matches the golden file", async () => {
    await expect(dist("functions.json")).toMatchFileSnapshot("./golden/functions.json");
  });

  it("has a zh-CN twin that matches its golden file", async () => {
    await expect(dist("functions.zh-CN.json")).toMatchFileSnapshot("./golden/functions.zh-CN.json");
  });

  it("keeps the ids and parameters in zh-CN and gives every function a Chinese name", () => {
    const en = JSON.parse(dist("functions.json")) as Metadata;
    const zh = JSON.parse(dist("functions.zh-CN.json")) as Metadata;
    expect(zh.functions.map((f) => f.id)).toEqual(en.functions.map((f) => f.id));
    expect(zh.functions.map((f) => f.parameters.map((p) => p.name))).toEqual(
      en.functions.map((f) => f.parameters.map((p) => p.name)),
    );
    for (const f of zh.functions) expect(f.name).toMatch(/[\u4e00-\u9fff]/);
    expect(new Set(zh.functions.map((f) => f.name)).size).toBe(zh.functions.length);
  });
});

describe("docs/functions.md", () => {
  it("is the one generated from the catalog", async () => {
    await expect(functionsMarkdown(catalog)).toMatchFileSnapshot("../docs/functions.md");
  });
});
