/**
 * Available credit and the credit check of an order: the domain rules behind
 * `CRM.CUSTOMER(id, "availableCredit")` and `CRM.CREDITCHECK`, pure so the functions, the
 * pane and the handlers can share them. A record read from the team's store may lack any of
 * the three amounts (or hold something else there): only numbers count.
 */

/** The amounts a credit decision reads from a customer record. */
export interface CreditExposure {
  readonly creditLimit?: unknown;
  readonly receivables?: unknown;
  readonly openOrders?: unknown;
}

const amount = (x: unknown): number | undefined => (typeof x === "number" ? x : undefined);

/** What the customer owes or has ordered: receivables + open orders, a missing one counting 0. */
function exposure(record: CreditExposure): number {
  return (amount(record.receivables) ?? 0) + (amount(record.openOrders) ?? 0);
}

/**
 * `creditLimit - receivables - openOrders`; a missing receivable or open order counts 0,
 * a missing limit leaves it undefined (the customer has no limit yet).
 */
export function availableCredit(record: CreditExposure): number | undefined {
  const limit = amount(record.creditLimit);
  return limit === undefined ? undefined : limit - exposure(record);
}

/** `"OK"` when `orderAmount <= availableCredit` (no limit counts as 0), else `"HOLD"`. */
export function creditCheck(record: CreditExposure, orderAmount: number): "OK" | "HOLD" {
  const available = (amount(record.creditLimit) ?? 0) - exposure(record);
  return orderAmount <= available ? "OK" : "HOLD";
}
