/**
 * The credit request lifecycle (api.md "Credit limits"): a request opens `pending` when the
 * raise needs a manager (or `approved` by the policy when it does not), and a pending
 * request is decided once, by a manager other than the one who asked (four eyes).
 */
import { needsApproval } from "./creditRules.ts";
import type { CreditPolicy, CreditRequestStatus } from "./schema.ts";

/**
 * Whether a limit change can need approval at all, before the policy is read: only a raise
 * by someone who is not a manager can. E.g. `mayNeedApproval(5000, 4000, false) === false`.
 */
export function mayNeedApproval(
  oldLimit: number | undefined,
  newLimit: number | undefined,
  isManager: boolean,
): boolean {
  return !isManager && newLimit !== undefined && newLimit > (oldLimit ?? 0);
}

/**
 * Whether a direct limit change needs approval: `mayNeedApproval`, then the policy's
 * `staffRaiseLimit` (read only when it may). E.g. a staff raise of 0 → 3001 with a limit of
 * 2000 does.
 */
export async function changeNeedsApproval(
  oldLimit: number | undefined,
  newLimit: number | undefined,
  isManager: boolean,
  policy: () => Promise<CreditPolicy>,
): Promise<boolean> {
  if (!mayNeedApproval(oldLimit, newLimit, isManager)) return false;
  return needsApproval(oldLimit, newLimit, await policy(), isManager);
}

/**
 * The status a new credit request opens with. A request is the four-eyes path, so it is
 * judged as a staff change even when a manager makes it: `approved` (by the policy) within
 * the staff raise limit, else `pending`.
 */
export function openingStatus(
  oldLimit: number | undefined,
  newLimit: number,
  policy: CreditPolicy,
): "pending" | "approved" {
  return needsApproval(oldLimit, newLimit, policy, false) ? "pending" : "approved";
}

/** Why a manager may not decide a request: their own (four eyes), or no longer pending. */
export type DecisionRefusal = "own_request" | "already_decided";

/**
 * Why `user` (a manager) may not decide `request`, or undefined when they may. Four eyes
 * comes first: a manager's own request is refused even once decided.
 */
export function decisionRefusal(
  request: { readonly requestedBy: string; readonly status: CreditRequestStatus },
  user: string,
): DecisionRefusal | undefined {
  if (request.requestedBy === user) return "own_request";
  if (request.status !== "pending") return "already_decided";
  return undefined;
}
