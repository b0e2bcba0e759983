/**
 * docs/functions.md, generated from the catalog (arguments, example, errors with their
 * messages in both languages) plus the decisions this add-in made where formulas.md is
 * silent. A test keeps the checked-in file equal to this (`npx vitest run test/functions-golden.test.ts --update` rewrites it).
 */
import { type CellErrorKey, errorCode } from "../../core/errors.ts";
import { formatMessage } from "../../core/messages/index.ts";
import type { FunctionEntry } from "./entry.ts";

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/**
 * What a message's `{name}` stands for in the docs, so each error reads as a user sees it
 * ("weights must be 5 numbers…", never "{count}"). Names without an entry show as "…".
 */
const EXAMPLE_PARAMS: Readonly<Record<string, string>> = {
  count: "5",
  grade: "Z",
  id: "C-999",
  field: "colour",
  reason: "connect ECONNREFUSED 127.0.0.1:8787",
  name: "CRM.ABC",
};

/** A message of the catalog with its placeholders filled by the examples above. */
function exampleMessage(lang: "en" | "zh-CN", key: Parameters<typeof formatMessage>[1]): string {
  const names = [...formatMessage(lang, key).matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "");
  const params = Object.fromEntries(names.map((n) => [n, EXAMPLE_PARAMS[n] ?? "…"]));
  return formatMessage(lang, key, params);
}

const DECISIONS_EN = `## Decisions beyond the rules in formulas.md

- **Names.** Ids and English names are upper case (\`CRM.ABC\`). The zh-CN metadata
  (\`functions.zh-CN.json\`, named in the manifest's zh-CN override of the metadata URL)
  gives each function a Chinese name (\`CRM.ABC分级\`) and Chinese descriptions; the id is
  the same, so a workbook made in one language calculates in the other, and formulas the
  task pane writes by id (\`=CRM.ABC(...)\`) work everywhere. Argument names stay ASCII.
- **Argument types.** Every argument is declared \`any\`, so a wrong cell gets this
  add-in's message ("not a number") instead of Excel's bare \`#VALUE!\`. A single value
  where a range is allowed is a 1 × 1 range. A whole-call error of a spilling function is
  one error cell.
- **Credit functions recalculate with the policy.** CREDITSCORE, CREDITGRADE,
  CREDITLIMIT, CREDITTERM, CREDITEXPLAIN, GRADEGAP and RISKMATRIX are streaming functions: each cell is set at once with the
  policy in use and set again when the policy changes (no volatile functions, no full
  recalculation). The team policy is read at sign-in and again on every change-feed poll
  while a credit cell is open; until then, and when signed out, the default policy applies.
- **Team functions.** Lookups made within a few milliseconds (one calculation) are sent
  together as \`batch-get\` requests of at most 100 ids. Results are cached for the session
  (user, team and API address); signing out or switching user drops the cache. The change
  feed is opened at sign-in, before any read, so no later change is missed; one poll loop
  (every 10 s) runs while anything is cached or watched, drops changed records from the
  cache and wakes the \`CRM.LIVE\` cells that show them. Failed requests are never cached:
  the next calculation asks again, and live cells read again once the service answers.
  An expired or refused token shows "Sign in from the CRM task pane". When someone signs
  in (or another user does), the add-in asks Excel for one full recalculation, so cells
  that asked to sign in show the data without the user pressing Ctrl+Alt+F9.
- **CRM.CUSTOMER fields.** Field names ignore letter case. \`creditFactors\` is read by
  part: \`creditFactors.character\` … \`creditFactors.conditions\`. \`availableCredit\` counts a
  missing \`receivables\` or \`openOrders\` as 0 and is blank when the record has no
  \`creditLimit\`. \`lastOrderDate\` and the server's timestamps are text as stored. A name
  that is neither a known field nor an \`extra\` field of that record is "No field". A blank
  id gives a blank cell (handy in a filled-down column).
- **CRM.CUSTOMERS** shows an \`extra\` field blank for records that lack it, and is
  "No field" only when no record has it. **CRM.HISTORY** has a header row; values that are
  objects (credit factors) are shown as JSON text.
- **CRM.CREDITCHECK** with no \`creditLimit\` on the record counts the available credit as
  \`-(receivables + openOrders)\`, so any positive order is "HOLD". A blank amount is blank.
- **CRM.AGING / CRM.AGEBUCKET** without \`as_of\` use the date when the cell calculates; like
  any non-volatile function they do not recalculate at midnight by themselves; pass
  \`TODAY()\` for that. Bucket labels ("Current", "1-30", …) are the same in both languages.
- **CRM.RFM** with the customers in a row spills three rows (R, F, M).
- **Compared as Excel shows it.** CRM.ABC's shares and every score graded against credit
  bands (CREDITGRADE, CREDITLIMIT, CREDITTERM, GRADEGAP, RISKMATRIX, and the 0–100 range
  check) are compared rounded to 15 significant digits: factors 79.7, 79.5, 80.1, 79.7,
  81.5 score 79.99999999999999, which Excel shows as 80, so the grade is AA; values 1.2,
  0.2, 0.1 grade A, B, B (the share before 0.2 is 1.2 / 1.5 = 0.8). Results themselves are
  never rounded.
- **Options that must be numbers.** \`a_share\`, \`b_share\` (CRM.ABC) and \`bins\` (CRM.RFM)
  given as text (even \`"0.8"\`) or a boolean are \`#NUM!\`, as an
  out-of-range value is; \`weights\` and \`bucket_days\` already were. A cell of a column
  argument (CLV's \`periods\` too) keeps the per-cell \`#VALUE!\` "not a number".
- **CRM.CLV** beyond a double (±1.8e308) is \`#NUM!\` instead of infinity. Over more than
  1,000 periods the sum is taken in closed form, so any whole number of periods answers.
- **CRM.CREDITEXPLAIN** points are not rounded; a row adds up to its CREDITSCORE to within
  1e-12. **CRM.GRADEGAP** gives \`next min score - score\` with the score as computed
  (79.99999999999999 → 10.000000000000014, shown as 10); customers in a row spill two rows.
- **CRM.RISKMATRIX** takes a credit score as well as a grade label (graded by the policy as
  CREDITGRADE does); grades are read trimmed, in any letter case. In a row an unknown grade
  in either column is \`#VALUE!\`, else a blank in either gives \`""\` (D too). \`actions\` is
  exactly 3 × 3 non-blank labels (text or numbers), else \`#VALUE!\`; D stays "Review" /
  "重新评估" in the call's language. The risk tier is read from the band's min score as the
  policy holds it: >= 70 low, >= 50 medium, else high.
- **Predictive functions** (BGNBD, PALIVE, PURCHASES, GAMMAGAMMA, SPEND, PCLV). The fit is
  maximum likelihood by BFGS on the log-parameters; a fit with no interior maximum (a
  parameter running off to 0 or infinity, common under ~30 customers) is \`#NUM!\` (its
  reasons are in the error tables above). \`params\` may be 1 × 4 (1 × 3) or 4 × 1
  (3 × 1). In CRM.PURCHASES a single horizon cell applies to every row, and a blank, text
  or negative one is every row's answer. Any horizon works (past ~1,000 × (alpha + age)
  the expectation is integrated numerically instead of summed as a series). CRM.PCLV's
  text options are \`#NUM!\`. A fitted parameter may differ between Excel hosts in the
  8th digit (the fit stops at a gradient of 1e-9).
- **Nothing throws**: an unexpected exception becomes \`#VALUE!\`
  "Unexpected error in CRM.X: …".
- **Error messages.** Excel shows a message (hover over the cell's error flag) only with
  \`#VALUE!\` and \`#N/A\`. \`#NUM!\` and \`#DIV/0!\` keep Excel's meaning (a number out of
  range; nothing to divide by) and come without a message: the error tables above give
  the reason for each one.`;

const DECISIONS_ZH = `## formulas.md 规则之外的约定

- **函数名**：编号与英文名为大写（\`CRM.ABC\`）。zh-CN 元数据（\`functions.zh-CN.json\`，
  由清单中元数据地址的 zh-CN 覆盖项引用）为每个函数提供中文名（\`CRM.ABC分级\`）和中文说明；
  编号不变，因此一种语言中建立的工作簿在另一种语言中照常计算，任务窗格按编号写入的公式处处可用。参数名保持英文。
- **参数类型**：所有参数声明为 \`any\`，单元格有误时显示本加载项的提示（“不是数字”），而不是 Excel 的空白 \`#VALUE!\`。
  允许区域之处给单个值，按 1 × 1 区域处理。溢出函数的整体错误显示为一个错误单元格。
- **信用函数随政策重算**：CREDITSCORE、CREDITGRADE、CREDITLIMIT、CREDITTERM、CREDITEXPLAIN、GRADEGAP、RISKMATRIX 为流式函数，
  先按当前政策给出结果，政策变更时再次给出（不使用易失函数，也不全表重算）。登录时读取团队政策，
  有信用单元格时每次轮询变更流都会重新读取；在此之前及未登录时使用默认政策。
- **团队函数**：几毫秒内（一次计算）发起的查询合并为每批最多 100 个编号的 \`batch-get\` 请求。
  结果按会话（用户、团队、API 地址）缓存；退出或切换用户即清空。登录时先打开变更流再读取，
  不会漏掉之后的变更；有缓存或订阅时由一个轮询循环（每 10 秒）清除已变更的记录并通知显示它们的
  \`CRM.LIVE\` 单元格。失败的请求从不缓存：下次计算会重试，服务恢复后实时单元格会重新读取。
  令牌过期或被拒绝时显示“请在 CRM 任务窗格中登录”。登录（或换用户）后加载项会请 Excel 完整重算一次，
  提示登录的单元格随即显示数据，无需按 Ctrl+Alt+F9。
- **CRM.CUSTOMER 字段**：字段名不区分大小写。\`creditFactors\` 按分项读取：\`creditFactors.character\` 等。
  \`availableCredit\` 在缺少 \`receivables\` 或 \`openOrders\` 时按 0 计，记录没有 \`creditLimit\` 时为空。
  \`lastOrderDate\` 和服务器时间戳按存储的文本显示。既不是已知字段也不是该记录扩展字段的名称为“没有字段”。
  编号为空时结果为空。
- **CRM.CUSTOMERS** 中缺少某扩展字段的记录显示为空；只有所有记录都没有该字段时才报“没有字段”。
  **CRM.HISTORY** 带标题行；对象值（信用因素）以 JSON 文本显示。
- **CRM.CREDITCHECK**：记录没有 \`creditLimit\` 时可用额度按 \`-(receivables + openOrders)\` 计，
  任何正数订单均为 "HOLD"。金额为空时结果为空。
- **CRM.AGING / CRM.AGEBUCKET** 省略 \`as_of\` 时取单元格计算当天；与所有非易失函数一样不会在午夜自动重算，
  需要时请传入 \`TODAY()\`。区间标签（"Current"、"1-30" 等）在两种语言中相同。
- **CRM.RFM** 的客户为一行时，结果溢出为三行（R、F、M）。
- **按 Excel 显示的值比较**：CRM.ABC 的累计占比，以及按信用等级区间评定的每个评分（CREDITGRADE、
  CREDITLIMIT、CREDITTERM、GRADEGAP、RISKMATRIX 及 0 到 100 的范围检查）均先舍入到 15 位有效数字再比较：
  因素 79.7、79.5、80.1、79.7、81.5 的评分为 79.99999999999999，Excel 显示为 80，因此等级为 AA；
  价值 1.2、0.2、0.1 的 ABC 分类为 A、B、B（0.2 之前的占比为 1.2 / 1.5 = 0.8）。结果本身从不舍入。
- **必须为数字的选项**：\`a_share\`、\`b_share\`（CRM.ABC）与 \`bins\`（CRM.RFM）为文本（即使是 \`"0.8"\`）
  或逻辑值时，与超出范围一样为 \`#NUM!\`；\`weights\` 与 \`bucket_days\` 本来如此。
  列参数中的单元格（包括 CLV 的 \`periods\`）仍按单元格给出 \`#VALUE!\`“不是数字”。
- **CRM.CLV** 超出双精度范围（±1.8e308）时为 \`#NUM!\`，不再是无穷大。期数超过 1000 时按等比数列求和公式计算，任何整数期数都能给出结果。
- **CRM.CREDITEXPLAIN** 的得分不舍入，每行之和与 CREDITSCORE 相差不超过 1e-12。**CRM.GRADEGAP** 给出
  \`上一级最低分 - 评分\`，评分按计算值（79.99999999999999 → 10.000000000000014，显示为 10）；客户为一行时溢出为两行。
- **CRM.RISKMATRIX** 的信用等级也可以是评分（按政策评级，与 CREDITGRADE 相同）；等级去掉首尾空格、不区分大小写。
  一行中任一列为未知等级时为 \`#VALUE!\`，否则任一列为空时结果为 \`""\`（D 也是如此）。\`actions\` 须恰为
  3 × 3 个非空标签（文本或数字），否则为 \`#VALUE!\`；D 仍按调用的语言显示 "Review" / "重新评估"。
  风险档次取该等级区间在政策中的最低分：>= 70 为低，>= 50 为中，其余为高。
- **预测函数**（BGNBD、PALIVE、PURCHASES、GAMMAGAMMA、SPEND、PCLV）：用 BFGS 在参数对数上做最大似然拟合；
  没有内部极大值（某参数趋于 0 或无穷大，客户少于约 30 个时常见）时整个调用为 \`#NUM!\`（原因见上方错误表）。
  \`params\` 可为 1 × 4（1 × 3）或 4 × 1（3 × 1）。CRM.PURCHASES 只给一个 horizon 单元格时适用于每一行，
  该单元格为空、文本或负数时即为每一行的结果。任何 horizon 都可计算（超过约 1,000 × (alpha + age) 时改用数值积分，
  不再用级数）。CRM.PCLV 的文本选项为 \`#NUM!\`。
  不同 Excel 宿主得到的拟合参数可能在第 8 位有效数字上不同（拟合在梯度 1e-9 处停止）。
- **不抛出异常**：意外异常显示为 \`#VALUE!\`“CRM.X 出现意外错误：……”。
- **错误提示**：Excel 只在 \`#VALUE!\` 和 \`#N/A\` 上显示提示（指向单元格的错误标记即可看到）。
  \`#NUM!\` 和 \`#DIV/0!\` 保持 Excel 的含义（数字超出范围；无可除之数），不带提示：原因见上方各函数的错误表。`;

/** The errors of a wrong argument's shape, listed last, in this order. */
const SHAPE_ERRORS: readonly CellErrorKey[] = [
  "columnsDifferInLength",
  "notSingleColumn",
  "notANumber",
];

/**
 * Every error a function can show, in the order its table lists them: signed out first (a
 * team function), then its core call's, its arguments' in argument order, the shape
 * errors (columns of different lengths where two columns go row by row), and the team
 * API's failures last.
 */
export function documentedErrors(entry: FunctionEntry): CellErrorKey[] {
  const kinds = entry.params.map((p) => p.kind);
  const fromArgs = kinds.flatMap((k) => k.errors);
  if (kinds.filter((k) => k.perCustomer).length > 1) fromArgs.push("columnsDifferInLength");
  const team = entry.kind === "async" || entry.kind === "live";
  const keys: CellErrorKey[] = [
    ...(team ? (["signIn"] as const) : []),
    ...entry.errors,
    ...fromArgs.filter((k) => !SHAPE_ERRORS.includes(k)),
    ...SHAPE_ERRORS.filter((k) => fromArgs.includes(k)),
    ...(team ? (["apiUnreachable", "apiFailed"] as const) : []),
  ];
  return [...new Set(keys)];
}

function section(entry: FunctionEntry): string {
  const signature = entry.params.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(", ");
  const lines = [
    `## \`CRM.${entry.id}(${signature})\` · ${entry.zhName}`,
    "",
    entry.description.en,
    "",
    entry.description.zh,
    "",
  ];
  if (entry.params.length > 0) {
    lines.push("| argument 参数 | | English | 中文 |", "|---|---|---|---|");
    for (const p of entry.params) {
      const kind = `${p.kind.shape === "range" ? "range 区域" : "value 值"}${p.optional ? ", optional 可选" : ""}`;
      lines.push(`| \`${p.name}\` | ${kind} | ${cell(p.en)} | ${cell(p.zh)} |`);
    }
    lines.push("");
  }
  const mode = {
    sync: "Synchronous. 同步函数。",
    async: "Asynchronous, reads the team's shared records. 异步函数，读取团队共享记录。",
    policy:
      "Streaming: recalculates when the team's credit policy changes. 流式函数：团队信用政策变更时自动重算。",
    live: "Streaming: updates when anyone on the team changes the record. 流式函数：团队成员修改记录后自动更新。",
  }[entry.kind];
  lines.push(
    mode,
    "",
    `Example 示例: \`${entry.example.formula}\` → ${entry.example.en} / ${entry.example.zh}`,
    "",
    "| error 错误 | English | 中文 |",
    "|---|---|---|",
  );
  for (const key of documentedErrors(entry)) {
    lines.push(
      `| \`${errorCode(key)}\` | ${cell(exampleMessage("en", key))} | ${cell(exampleMessage("zh-CN", key))} |`,
    );
  }
  lines.push("");
  return lines.join("\n");
}

/** The whole docs/functions.md. */
export function functionsMarkdown(catalog: readonly FunctionEntry[]): string {
  return [
    "<!-- Generated from addin/functions/catalog.ts and docs.ts; `npx vitest run test/functions-golden.test.ts --update` rewrites it. -->",
    "",
    "# `CRM.*` functions · CRM 函数",
    "",
    "Every function of the add-in: its arguments, an example and its errors, in English and 简体中文.",
    "The rules every function follows (columns and rows, blanks, per-cell `#VALUE!`, omitted",
    "arguments) and what each one computes are in [formulas.md](formulas.md). Error messages",
    "are shown with example values where the real message names your id, field or reason.",
    "",
    "本页列出加载项的全部函数：参数、示例与错误信息（英文与简体中文）。通用约定与计算规则见",
    "[formulas.md](formulas.md)。错误信息中的编号、字段或原因以示例值显示。",
    "",
    ...catalog.map(section),
    DECISIONS_EN,
    "",
    DECISIONS_ZH,
    "",
  ].join("\n");
}
