/**
 * The documentation stands on its own: every link in README.md and docs/ points at a file of
 * this repository, and no page shows an unfilled `{placeholder}` to its reader.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const PAGES = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => `docs/${f}`)].filter(
  (f) => f.endsWith(".md"),
);
const text = (page: string): string => readFileSync(join(ROOT, page), "utf8");

/** The page's prose: fenced code blocks and inline code removed (they hold real syntax). */
function prose(markdown: string): string {
  return markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
}

describe("the documentation", () => {
  it("links only to files inside the repository", () => {
    const outside = PAGES.flatMap((page) =>
      [...prose(text(page)).matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => (m[1] ?? "").split("#")[0] ?? "")
        .filter((target) => target !== "")
        .filter((target) => {
          if (/^[a-z][a-z+.-]*:|^\/\//i.test(target)) return true;
          const file = resolve(ROOT, dirname(page), target);
          return relative(ROOT, file).startsWith("..") || !existsSync(file);
        })
        .map((target) => `${page}: ${target}`),
    );
    expect(outside).toEqual([]);
  });

  it("never sends the reader to the specs outside the repository", () => {
    expect(PAGES.filter((page) => /shared\/spec/.test(text(page)))).toEqual([]);
  });

  it("shows no unfilled placeholder", () => {
    const unfilled = PAGES.flatMap((page) =>
      [...prose(text(page)).matchAll(/\{[A-Za-z_]\w*\}/g)].map((m) => `${page}: ${m[0]}`),
    );
    expect(unfilled).toEqual([]);
  });
});
