/**
 * The team functions: the shared customer records (read once per calculation or live),
 * the credit check and the change history.
 * Each implementation is a thin wrapper: its arguments read by kind (../args.ts), one
 * `core/` call, cells out.
 */
import {
  BLANK,
  type Cell,
  creditCheck,
  isCellError,
  noCustomer,
  noField,
} from "../../../core/index.ts";
import { customerId, number, optionalNames, text } from "../args.ts";
import { customerField, isKnownField } from "../customerFields.ts";
import {
  define,
  type FunctionContext,
  type FunctionEntry,
  type Output,
  type ParamSpec,
} from "../entry.ts";
import { optional, range, scalar } from "./params.ts";

const DEFAULT_FIELDS = ["id", "name", "grade", "creditGrade", "creditLimit"];

const HISTORY_HEADER = ["when", "who", "field", "old", "new"];

function historyCell(value: unknown): Cell<unknown> {
  if (value === undefined || value === null) return BLANK;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean")
    return value;
  return JSON.stringify(value);
}

/** CRM.CUSTOMER's value, shared by CRM.LIVE. */
async function customerValue(
  [id, field]: readonly [string, string],
  ctx: FunctionContext,
): Promise<Output> {
  const record = await ctx.team.customer(id);
  if (isCellError(record)) return record;
  if (record === null) return noCustomer(id);
  return customerField(record, field);
}

// A blank id makes the call blank (customerId); the team's own errors (signed out, the
// API's failures) are listed for every team function by docs.ts.
const idParam = {
  name: "id",
  kind: customerId,
  en: "Customer id.",
  zh: "客户编号。",
} as const satisfies ParamSpec;

export const teamFunctions: readonly FunctionEntry[] = [
  define({
    id: "CUSTOMER",
    zhName: "客户字段",
    kind: "async",
    description: {
      en: "A field of a shared customer record, e.g. availableCredit (= creditLimit - receivables - openOrders).",
      zh: "团队共享客户记录的一个字段，例如 availableCredit（= creditLimit - receivables - openOrders）。",
    },
    params: [
      idParam,
      {
        name: "field",
        kind: text,
        en: 'Field name, e.g. "creditLimit", "availableCredit" or an extra field.',
        zh: '字段名，如 "creditLimit"、"availableCredit" 或扩展字段。',
      },
    ],
    result: scalar,
    example: {
      formula: '=CRM.CUSTOMER(A2, "availableCredit")',
      en: "the customer's available credit",
      zh: "该客户的可用信用额度",
    },
    errors: ["noCustomer", "noField"],
    run: customerValue,
  }),
  define({
    id: "CUSTOMERS",
    zhName: "客户列表",
    kind: "async",
    description: {
      en: "The team's customers, one row each, sorted by id, with a header row.",
      zh: "团队的全部客户，每个一行，按编号排序，带标题行。",
    },
    params: [
      {
        name: "fields",
        kind: optionalNames,
        optional,
        en: "Field names (default id, name, grade, creditGrade, creditLimit).",
        zh: "字段名（默认 id、name、grade、creditGrade、creditLimit）。",
      },
    ],
    result: range,
    example: {
      formula: '=CRM.CUSTOMERS({"id","name","availableCredit"})',
      en: "a table with a header row",
      zh: "带标题行的表格",
    },
    errors: ["noField"],
    async run([names], ctx) {
      const fields = names ?? DEFAULT_FIELDS;
      const records = await ctx.team.customers();
      if (isCellError(records)) return records;
      const rows: Cell<unknown>[][] = [fields];
      const seen = new Set<string>();
      for (const record of records) {
        rows.push(
          fields.map((field) => {
            const value = customerField(record, field);
            if (!isCellError(value)) seen.add(field);
            // An extra field another record has: blank here, as for a known field it lacks.
            return isCellError(value) ? BLANK : value;
          }),
        );
      }
      const unknown = fields.find((field) => !isKnownField(field) && !seen.has(field));
      return unknown === undefined ? rows : noField(unknown);
    },
  }),
  define({
    id: "LIVE",
    zhName: "实时字段",
    kind: "live",
    description: {
      en: "As CRM.CUSTOMER, but the cell updates by itself when anyone on the team changes the record.",
      zh: "与 CRM.CUSTOMER 相同，但团队中任何人修改该记录后单元格会自动更新。",
    },
    params: [idParam, { name: "field", kind: text, en: "Field name.", zh: "字段名。" }],
    result: scalar,
    example: {
      formula: '=CRM.LIVE(A2, "creditLimit")',
      en: "the limit, updated within the poll interval (10 s)",
      zh: "信用额度，在轮询间隔（10 秒）内自动更新",
    },
    errors: ["noCustomer", "noField"],
    watch(args, ctx, emit) {
      const [id] = args;
      let latest = 0;
      let stopped = false;
      const update = (): void => {
        // Only the newest read may set the cell: an older, slower one must not overwrite it.
        const mine = ++latest;
        void customerValue(args, ctx).then((value) => {
          if (!stopped && mine === latest) emit(value);
        });
      };
      const unwatch = ctx.team.watch(id, update);
      update();
      return () => {
        stopped = true;
        unwatch();
      };
    },
  }),
  define({
    id: "CREDITCHECK",
    zhName: "信用检查",
    kind: "async",
    description: {
      en: '"OK" when the order amount <= the customer\'s available credit, else "HOLD".',
      zh: '订单金额不超过客户可用信用额度时为 "OK"，否则为 "HOLD"。',
    },
    params: [
      idParam,
      {
        name: "order_amount",
        kind: number,
        en: "Amount of the order to check.",
        zh: "待检查的订单金额。",
      },
    ],
    result: scalar,
    example: { formula: "=CRM.CREDITCHECK(A2, 50000)", en: '"OK" or "HOLD"', zh: '"OK" 或 "HOLD"' },
    errors: ["noCustomer"],
    async run([id, amount], ctx) {
      if (amount === null) return BLANK;
      const record = await ctx.team.customer(id);
      if (isCellError(record)) return record;
      if (record === null) return noCustomer(id);
      return creditCheck(record, amount);
    },
  }),
  define({
    id: "HISTORY",
    zhName: "变更历史",
    kind: "async",
    description: {
      en: "The audit trail of a customer, newest first: when, who, field, old, new (with a header row).",
      zh: "客户的变更记录，最新的在前：时间、操作人、字段、旧值、新值（带标题行）。",
    },
    params: [
      idParam,
      {
        name: "field",
        kind: text,
        optional,
        en: "Only changes of this field.",
        zh: "只看该字段的变更。",
      },
    ],
    result: range,
    example: {
      formula: '=CRM.HISTORY(A2, "creditLimit")',
      en: "every change of the limit, newest first",
      zh: "信用额度的每次变更，最新的在前",
    },
    errors: ["noCustomer"],
    async run([id, field], ctx) {
      const entries = await ctx.team.history(id, field === "" ? null : field);
      if (isCellError(entries)) return entries;
      if (entries === null) return noCustomer(id);
      const rows: Cell<unknown>[][] = [HISTORY_HEADER];
      for (const e of entries)
        rows.push([e.when, e.who, e.field, historyCell(e.old), historyCell(e.new)]);
      return rows;
    },
  }),
];
