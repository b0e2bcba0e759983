import { describe, expect, it } from "vitest";
import { portFromEnv } from "./envPort.ts";

describe("a port from the environment", () => {
  it("is the default when the variable is unset", () => {
    expect(portFromEnv({}, "CRM_API_PORT", 8787)).toBe(8787);
  });

  it("is the default when the variable is blank", () => {
    expect(portFromEnv({ CRM_API_PORT: " " }, "CRM_API_PORT", 8787)).toBe(8787);
  });

  it("is the number the variable holds", () => {
    expect(portFromEnv({ CRM_ADDIN_PORT: "3001" }, "CRM_ADDIN_PORT", 3000)).toBe(3001);
  });

  it("names the variable when it is not a port", () => {
    expect(() => portFromEnv({ CRM_API_PORT: "80x" }, "CRM_API_PORT", 8787)).toThrow(
      'CRM_API_PORT must be a port number from 0 to 65535 (blank for 8787), not "80x".',
    );
  });

  it("refuses a port above 65535", () => {
    expect(() => portFromEnv({ CRM_API_PORT: "70000" }, "CRM_API_PORT", 8787)).toThrow(
      /CRM_API_PORT/,
    );
  });
});
