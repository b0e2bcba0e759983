/**
 * The HTTP API's routes: one table read by the Lambda router, the local gateway and the CDK
 * stack alike, so the three never disagree. Paths are as API Gateway writes them.
 */

/** One Lambda function per route group; `entry` is its handler file (exports `handler`). */
export const handlerGroups = {
  health: { entry: "functions/handlers/health.ts", tableActions: [] },
  customers: {
    entry: "functions/handlers/customers.ts",
    tableActions: [
      "dynamodb:GetItem",
      "dynamodb:Query",
      "dynamodb:BatchGetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:ConditionCheckItem",
    ],
  },
  policy: {
    entry: "functions/handlers/policy.ts",
    tableActions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
  },
  credit: {
    entry: "functions/handlers/credit.ts",
    tableActions: [
      "dynamodb:GetItem",
      "dynamodb:Query",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:ConditionCheckItem",
    ],
  },
  grading: {
    entry: "functions/handlers/grading.ts",
    tableActions: [
      "dynamodb:GetItem",
      "dynamodb:Query",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:ConditionCheckItem",
    ],
  },
} as const;

export type HandlerGroup = keyof typeof handlerGroups;

export interface Route {
  readonly method: "GET" | "PUT" | "POST" | "DELETE";
  /** API Gateway route path, e.g. `/v1/customers/{id}`. */
  readonly path: string;
  readonly group: HandlerGroup;
  /** False only for the health check: every other route needs a valid JWT. */
  readonly auth: boolean;
}

export const routes: readonly Route[] = [
  { method: "GET", path: "/v1/health", group: "health", auth: false },
  { method: "GET", path: "/v1/customers", group: "customers", auth: true },
  { method: "POST", path: "/v1/customers/batch-get", group: "customers", auth: true },
  { method: "POST", path: "/v1/customers/batch-write", group: "customers", auth: true },
  { method: "GET", path: "/v1/customers/{id}", group: "customers", auth: true },
  { method: "PUT", path: "/v1/customers/{id}", group: "customers", auth: true },
  { method: "DELETE", path: "/v1/customers/{id}", group: "customers", auth: true },
  { method: "GET", path: "/v1/customers/{id}/history", group: "customers", auth: true },
  { method: "GET", path: "/v1/changes", group: "customers", auth: true },
  { method: "GET", path: "/v1/policy", group: "policy", auth: true },
  { method: "PUT", path: "/v1/policy", group: "policy", auth: true },
  { method: "GET", path: "/v1/credit-requests", group: "credit", auth: true },
  { method: "POST", path: "/v1/credit-requests", group: "credit", auth: true },
  { method: "POST", path: "/v1/credit-requests/{id}/approve", group: "credit", auth: true },
  { method: "POST", path: "/v1/credit-requests/{id}/reject", group: "credit", auth: true },
  { method: "POST", path: "/v1/grading/run", group: "grading", auth: true },
];

/** The single table's key schema and TTL attribute (DynamoDB Local and AWS alike). */
export const tableSchema = {
  partitionKey: "pk",
  sortKey: "sk",
  timeToLiveAttribute: "expiresAt",
} as const;
