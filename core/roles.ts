/** Who may do what: the API's two roles, staff and credit managers (api.md "Roles"). */

/** The identity-provider group whose members are credit managers (`cognito:groups`). */
export const MANAGERS_GROUP = "managers";

/** Whether a caller with these groups is a credit manager, e.g. `isManager(["managers"])`. */
export function isManager(groups: readonly string[]): boolean {
  return groups.includes(MANAGERS_GROUP);
}
