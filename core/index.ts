/** The pure core: every CRM.* formula over typed columns, the credit policy and the messages. */
export * from "./aging.ts";
export * from "./cells.ts";
export * from "./columns.ts";
export * from "./credit.ts";
export * from "./creditExplain.ts";
export * from "./errors.ts";
export * from "./grading.ts";
export * from "./lifetimeValue.ts";
export * from "./messages/index.ts";
export * from "./policy.ts";
export * from "./predictedValue.ts";
export * from "./rfm.ts";
export * from "./riskMatrix.ts";
export * from "./scores.ts";
export * from "./segmentNames.ts";
export * from "./shownValue.ts";
export * from "./valueMatrix.ts";
