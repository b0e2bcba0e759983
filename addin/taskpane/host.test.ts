import { describe, expect, it } from "vitest";
import { EXCEL_API, hostProblem, type OfficeHost } from "./host.ts";

/** office.js's answers as Excel gives them: the host, and which API sets it supports. */
function office(host: string | null, excelApi: string | null): OfficeHost {
  return {
    onReady: async () => ({ host }),
    HostType: { Excel: "Excel" },
    context: {
      requirements: {
        isSetSupported: (name, version) =>
          name === "ExcelApi" && excelApi !== null && Number(version) <= Number(excelApi),
      },
    },
  };
}

describe("whether the pane can run here", () => {
  it("runs in an Excel with the API the workbook adapter needs", async () => {
    expect(await hostProblem(office("Excel", EXCEL_API))).toBeNull();
  });

  it("is officeJsMissing without the Office global", async () => {
    expect(await hostProblem(undefined)).toBe("officeJsMissing");
  });

  it("is notInExcel in another Office application", async () => {
    expect(await hostProblem(office("Word", "1.17"))).toBe("notInExcel");
  });

  it("is excelTooOld in an Excel without ExcelApi 1.7", async () => {
    expect(await hostProblem(office("Excel", "1.6"))).toBe("excelTooOld");
  });
});
