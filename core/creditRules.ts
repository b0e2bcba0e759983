/** The credit workflow's rules (api.md "Credit limits"), pure so client and server agree. */
import type { CreditPolicy } from "./policy.ts";

/**
 * Whether changing a credit limit needs a manager's approval: a raise by more than the
 * policy's `staffRaiseLimit` by someone who is not a manager. A missing old limit counts
 * as 0 (a new limit is a raise from nothing); removing or lowering a limit never needs one.
 * E.g. `needsApproval(1000, 5000, { ...policy, staffRaiseLimit: 2000 }, false) === true`.
 */
export function needsApproval(
  oldLimit: number | undefined,
  newLimit: number | undefined,
  policy: CreditPolicy,
  isManager: boolean,
): boolean {
  if (isManager || newLimit === undefined) return false;
  return newLimit - (oldLimit ?? 0) > policy.staffRaiseLimit;
}
