/**
 * The built functions.json and its zh-CN twin held to Microsoft's own material: the
 * published schema (the `extensionCustomFunctions` definition of the unified manifest,
 * MicrosoftTeams.schema.json from the npm package @microsoft/app-manifest, its newest
 * numbered version) and the documented rules that schema cannot express. Each rule names
 * the page it comes from. Run `npm run build` first (npm test does).
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv from "ajv-draft-04";
import { describe, expect, it } from "vitest";

const dist = (file: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../dist/${file}`, import.meta.url)), "utf8"));

interface MetadataFunction {
  id: string;
  name: string;
  options?: Record<string, boolean>;
  [key: string]: unknown;
}
interface Metadata {
  functions: MetadataFunction[];
  [key: string]: unknown;
}

const languages: readonly [string, Metadata][] = [
  ["en", dist("functions.json")],
  ["zh-CN", dist("functions.zh-CN.json")],
];

const schemas = fileURLToPath(
  new URL("../node_modules/@microsoft/app-manifest/build/json-schemas/teams/", import.meta.url),
);
const versionOf = (dir: string) => dir.slice(1).split(".").map(Number) as [number, number];
/** The newest numbered schema the package ships (vDevPreview is not a release). */
const newest = readdirSync(schemas)
  .filter((d) => /^v\d+\.\d+$/.test(d))
  .sort((a, b) => {
    const [x, y] = [versionOf(a), versionOf(b)];
    return x[0] - y[0] || x[1] - y[1];
  })
  .at(-1) as string;
const teamsSchema = JSON.parse(
  readFileSync(`${schemas}${newest}/MicrosoftTeams.schema.json`, "utf8"),
);

// The schema is draft-04, hence ajv's draft-04 class. Not strict: the published schema has
// keywords and enum values (a null among strings) that ajv's strict mode would refuse; its
// one format ("uri", on `$schema`) is not part of the function definitions.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
ajv.addSchema(teamsSchema, "teams");
const validateCustomFunctions = ajv.getSchema("teams#/definitions/extensionCustomFunctions");

/**
 * functions.json as the unified manifest's `extensions[].customFunctions` holds it: the
 * function's `options` (stream, cancelable, volatile, …) become properties of the function,
 * and the namespace the XML manifest gives (`CRM`) is stated.
 */
function asUnifiedManifest(metadata: Metadata): unknown {
  const { functions, ...rest } = metadata;
  return {
    ...rest,
    namespace: { id: "CRM", name: "CRM" },
    functions: functions.map(({ options, ...fn }) => ({ ...fn, ...options })),
  };
}

/** An A1 (A1 … XFD1048576) or R1C1 cell reference, which a function name must not be. */
function isCellReference(name: string): boolean {
  const a1 = /^([A-Z]{1,3})(\d{1,7})$/i.exec(name);
  if (a1) {
    const column = [...(a1[1] as string).toUpperCase()].reduce(
      (n, c) => n * 26 + c.charCodeAt(0) - 64,
      0,
    );
    const row = Number(a1[2]);
    return column <= 16_384 && row >= 1 && row <= 1_048_576;
  }
  return /^R\d*C\d*$/i.test(name);
}

describe("Microsoft's published custom-functions schema", () => {
  it(`is the newest one @microsoft/app-manifest ships, v1.30 or later (${newest})`, () => {
    const [major, minor] = versionOf(newest);
    expect(major > 1 || minor >= 30).toBe(true);
    expect(validateCustomFunctions).toBeTypeOf("function");
  });

  for (const [language, metadata] of languages) {
    it(`accepts the ${language} metadata with its options on each function`, () => {
      const valid = validateCustomFunctions?.(asUnifiedManifest(metadata));
      expect(validateCustomFunctions?.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    });
  }

  it("refuses a two-character Chinese name, as 客户 was (so the check can fail)", () => {
    const [, zh] = languages[1] as [string, Metadata];
    const short = { ...zh, functions: [{ ...zh.functions[0], name: "客户" }] } as Metadata;
    expect(validateCustomFunctions?.(asUnifiedManifest(short))).toBe(false);
  });
});

describe("the documented rules the schema cannot express", () => {
  for (const [language, metadata] of languages) {
    // learn.microsoft.com/office/dev/add-ins/excel/custom-functions-naming: names "must start
    // with a letter and have a minimum limit of three characters" (in every language: a
    // shorter localized name is refused and Excel does not offer the function).
    it(`gives every ${language} name three or more characters, starting with a letter`, () => {
      const bad = metadata.functions
        .map((f) => f.name)
        .filter((name) => [...name].length < 3 || !/^\p{L}[\p{L}\p{N}._]*$/u.test(name));
      expect(bad).toEqual([]);
    });

    // Same page: names "shouldn't be named the same as any cells between A1 to XFD1048576 or
    // any cells between R1C1 to R1048576C16384".
    it(`names no ${language} function like a cell`, () => {
      expect(metadata.functions.map((f) => f.name).filter(isCellReference)).toEqual([]);
    });

    // Same page: "Function ids may only use characters A through Z, numbers zero through
    // nine, underscores, and periods."
    it(`uses only A–Z, 0–9, _ and . in the ${language} ids`, () => {
      expect(
        metadata.functions.map((f) => f.id).filter((id) => !/^[A-Z][A-Z0-9._]*$/.test(id)),
      ).toEqual([]);
    });

    // learn.microsoft.com/office/dev/add-ins/excel/custom-functions-json, `options`: "A
    // function can't use both the stream and cancelable properties" (nor stream with
    // volatile or requiresAddress). A streaming function gets onCanceled anyway.
    it(`sets no option beside stream that a ${language} streaming function cannot have`, () => {
      const clashes = metadata.functions
        .filter((f) => f.options?.stream)
        .flatMap((f) =>
          ["cancelable", "volatile", "requiresAddress"]
            .filter((o) => f.options?.[o])
            .map((o) => `${f.id}: stream + ${o}`),
        );
      expect(clashes).toEqual([]);
    });
  }

  it("keeps the live and policy functions streaming", () => {
    const [, en] = languages[0] as [string, Metadata];
    const streaming = en.functions.filter((f) => f.options?.stream).map((f) => f.id);
    expect(streaming).toEqual(expect.arrayContaining(["LIVE", "CREDITSCORE", "CREDITLIMIT"]));
  });

  it("gives CRM.CUSTOMER and CRM.LIVE meaningful Chinese names", () => {
    const [, zh] = languages[1] as [string, Metadata];
    const names = Object.fromEntries(zh.functions.map((f) => [f.id, f.name]));
    expect([names.CUSTOMER, names.LIVE]).toEqual(["客户字段", "实时字段"]);
  });
});
