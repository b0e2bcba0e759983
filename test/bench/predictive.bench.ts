/**
 * CRM.BGNBD then CRM.PALIVE with its parameters on 100,000 customers, as Excel calls them
 * (dist/functions.js, n × 1 columns in, spilled cells out), against core alone (the same fit
 * and P(alive) on typed columns) as the baseline. The customers are drawn from the BG/NBD
 * model with CDNOW's parameters in days, so the fit must find them again. Python's
 * `lifetimes` cannot be installed here (PyPI is unreachable), so instead of a ratio against
 * it this prints the time and the optimiser's iteration count. Needs `npm run build` first.
 */
import { fitBgNbd, probabilityAlive, purchaseHistories } from "../../core/bgnbd.ts";
import { bestOf, loadHere } from "./functions.bench.ts";
import { random } from "./random.ts";

type Fn = (...args: unknown[]) => unknown;

const TRUE_PARAMS = { r: 0.243, alpha: 4.414 * 7, a: 0.793, b: 2.426 };

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 boosted by U^(1/shape). */
function gamma(shape: number, next: () => number): number {
  if (shape < 1) return gamma(shape + 1, next) * next() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    // A standard normal by Box-Muller.
    const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    const v = (1 + c * z) ** 3;
    if (v > 0 && Math.log(1 - next()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Customers drawn from BG/NBD: age 1–365 days, times to 2 decimals as in CDNOW. */
function customers(count: number, seed: number) {
  const next = random(seed);
  const { r, alpha, a, b } = TRUE_PARAMS;
  const frequency: number[] = [];
  const recency: number[] = [];
  const age: number[] = [];
  for (let i = 0; i < count; i++) {
    const lambda = gamma(r, next) / alpha;
    const ga = gamma(a, next);
    const p = ga / (ga + gamma(b, next));
    const T = 1 + Math.floor(next() * 365);
    let t = 0;
    let x = 0;
    let last = 0;
    for (;;) {
      t += -Math.log(1 - next()) / lambda;
      if (t > T) break;
      x++;
      last = Math.min(T, Math.round(t * 100) / 100);
      if (next() < p) break;
    }
    frequency.push(x);
    recency.push(x === 0 ? 0 : last);
    age.push(T);
  }
  return { frequency, recency, age };
}

export default async function bench(): Promise<void> {
  const functions = loadHere();
  const bgnbd = functions.get("BGNBD") as Fn;
  const palive = functions.get("PALIVE") as Fn;
  const n = 100_000;
  const data = customers(n, 13);
  const cells = [data.frequency, data.recency, data.age].map((c) => c.map((v) => [v]));

  let excelParams: number[] = [];
  let excelAlive: unknown[][] = [];
  let iterations = 0;
  let distinct = 0;
  let coreAlive = new Float64Array(0);
  const [coreMs, excelMs] = bestOf(
    3,
    () => {
      const histories = purchaseHistories(data.frequency, data.recency, data.age);
      distinct = histories.x.length;
      const fit = fitBgNbd(histories);
      if ("failure" in fit) throw new Error(`the fit failed: ${fit.failure}`);
      iterations = fit.iterations;
      const p = fit.params;
      coreAlive = Float64Array.from(data.frequency, (x, i) =>
        probabilityAlive(p, x, data.recency[i] as number, data.age[i] as number),
      );
    },
    () => {
      const params = bgnbd(...cells) as number[][];
      excelParams = params[0] ?? [];
      excelAlive = palive(...cells, params) as unknown[][];
    },
  );
  if (excelAlive.length !== n || excelAlive.some((row, i) => row[0] !== coreAlive[i])) {
    throw new Error("CRM.PALIVE through Excel's shapes differs from core");
  }
  const shown = (p: readonly number[]) => p.map((v) => v.toFixed(3)).join(", ");
  console.log(
    `CRM.BGNBD + CRM.PALIVE, ${n.toLocaleString("en")} customers (${distinct.toLocaleString("en")} distinct histories): ` +
      `through Excel's shapes ${excelMs.toFixed(0)} ms (goal < 1000 ms), core alone ${coreMs.toFixed(0)} ms, ` +
      `ratio ${(excelMs / coreMs).toFixed(2)}; BFGS ${iterations} iterations`,
  );
  console.log(
    `fitted r, alpha, a, b = ${shown(excelParams)}; drawn from ${shown(Object.values(TRUE_PARAMS))}`,
  );
  console.log(
    "(lifetimes, the Python reference, cannot be installed here: PyPI is unreachable, so no ratio against it)",
  );

  // CRM.PCLV over 12 months with given parameters (12 conditional expectations a row), as
  // a multiple of CRM.PALIVE with the same parameters (one closed form a row).
  const pclv = functions.get("PCLV") as Fn;
  const spend = data.frequency.map((x, i) => [x > 0 ? 20 + (i % 50) : 0]);
  const bgnbdRow = [excelParams];
  const spendRow = [[6.25, 3.74, 15.44]];
  const [aliveMs, valueMs] = bestOf(
    3,
    () => palive(...cells, bgnbdRow),
    () => pclv(...cells, spend, 12, 0.01, 1, bgnbdRow, spendRow),
  );
  console.log(
    `CRM.PCLV 12 months, ${n.toLocaleString("en")} customers, given parameters: ${valueMs.toFixed(0)} ms, ` +
      `${(valueMs / aliveMs).toFixed(0)}× CRM.PALIVE (${aliveMs.toFixed(0)} ms)`,
  );
}
