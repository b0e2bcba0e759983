/**
 * Core formulas on 1,000,000 random values (ties, zeros and negatives), each timed against
 * a baseline measured in the same run on the same data, plus the extra memory per row.
 *
 * Two data sets: amounts in whole units (the goals of issue 3) and the same in cents, where
 * the radix sort behind PARETO and RFM needs all of its passes; both are printed.
 */
import v8 from "node:v8";
import vm from "node:vm";
import type { Column } from "../../core/cells.ts";
import { columnOf } from "../../core/columns.ts";
import { gradeByCumulativeShare, paretoShares } from "../../core/grading.ts";
import { rfmScores } from "../../core/rfm.ts";
import { random } from "./random.ts";

const ROWS = 1_000_000;
const RUNS = 9;

// Ledger-like values: 10 % zeros, 10 % losses, the rest skewed (log-uniform), rounded to
// `unit`, so many customers tie.
function ledger(seed: number, unit: number): Column {
  const next = random(seed);
  const round = (x: number) => Math.round(x / unit) * unit;
  const values: number[] = new Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    const u = next();
    values[i] = u < 0.1 ? 0 : u < 0.2 ? -round(next() * 5000) : round(Math.exp(next() * 12));
  }
  return columnOf(values);
}

function gcFunction(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

// CPU time of this process (user + system, GC threads included), not wall time: on a machine
// shared with other work, wall time mostly measures how long we waited for a core. Each run
// also pays for collecting its garbage: otherwise one run's garbage is collected, and
// charged, during whichever run comes next.
function ms(gc: () => void, run: () => unknown): number {
  gc();
  const start = process.cpuUsage();
  run();
  gc();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

// The subject and its baseline alternate, and each keeps its best time, the least
// disturbed measure.
function bestOfAlternating(gc: () => void, subject: () => unknown, baseline: () => unknown) {
  let best = Number.POSITIVE_INFINITY;
  let bestBaseline = Number.POSITIVE_INFINITY;
  for (let k = 0; k < RUNS; k++) {
    bestBaseline = Math.min(bestBaseline, ms(gc, baseline));
    best = Math.min(best, ms(gc, subject));
  }
  return { ms: best, baselineMs: bestBaseline };
}

// Bytes a call leaves allocated (its result and garbage not yet collected), JS heap and
// typed-array buffers together, per input row.
function bytesPerRow(gc: () => void, run: () => unknown): number {
  gc();
  const before = process.memoryUsage();
  const result = run();
  const after = process.memoryUsage();
  const bytes = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
  if (result === undefined) throw new Error("no result");
  return bytes / ROWS;
}

const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");

function benchData(gc: () => void, name: string, unit: number): void {
  const values = ledger(1, unit);
  const frequency = ledger(2, unit);
  const monetary = ledger(3, unit);
  const sortOnce = () => Float64Array.from(values.values).sort();
  const sortThree = () => {
    Float64Array.from(values.values).sort();
    Float64Array.from(frequency.values).sort();
    Float64Array.from(monetary.values).sort();
  };
  const calls = [
    { name: "ABC", run: () => gradeByCumulativeShare(values), baseline: sortOnce, goal: 1.5 },
    { name: "PARETO", run: () => paretoShares(values), baseline: sortOnce, goal: 1.5 },
    {
      name: "RFM",
      run: () => rfmScores(values, frequency, monetary),
      baseline: sortThree,
      goal: 3,
    },
  ];
  // Warm up every path before timing.
  for (const call of calls) {
    call.run();
    call.baseline();
  }
  console.log(
    `\n${name}: ${ROWS.toLocaleString("en")} rows, CPU ms, best of ${RUNS} alternating runs`,
  );
  console.log("name        ms  baseline  ratio  goal   result   bytes/row (goal <= 64)");
  for (const call of calls) {
    const { ms: took, baselineMs } = bestOfAlternating(gc, call.run, call.baseline);
    const ratio = took / baselineMs;
    const bytes = bytesPerRow(gc, call.run);
    console.log(
      `${call.name.padEnd(7)} ${took.toFixed(1).padStart(6)} ${baselineMs.toFixed(1).padStart(9)} ` +
        `${ratio.toFixed(2).padStart(6)}  <=${call.goal.toFixed(1)}  ${verdict(ratio <= call.goal)}   ` +
        `${bytes.toFixed(1).padStart(6)}  ${verdict(bytes <= 64)}`,
    );
  }
}

export default async function coreBench(): Promise<void> {
  const gc = gcFunction();
  console.log(
    "Baselines: ABC and PARETO vs Float64Array.from(values).sort(), RFM vs three such sorts.",
  );
  benchData(gc, "Whole units (the goals)", 1);
  benchData(gc, "Cents (every radix pass needed)", 0.01);
}
