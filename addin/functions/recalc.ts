/**
 * Cells of CRM.CUSTOMER, CUSTOMERS, CREDITCHECK and HISTORY that showed "Sign in from the
 * CRM task pane" are not streaming, so Excel would keep that until the next recalculation.
 * When someone signs in (or another user does), ask Excel to recalculate the workbook once;
 * the team data answers most cells from one batch of requests.
 */
import type { Session } from "../session.ts";

/** The part of Office.js's `Excel` global used here (absent outside Excel). */
export interface ExcelPort {
  run(
    batch: (context: {
      workbook: { application: { calculate(type: "Full" | "Recalculate" | "FullRebuild"): void } };
      sync(): Promise<unknown>;
    }) => Promise<void>,
  ): Promise<unknown>;
}

/** Subscribes to the session; returns the unsubscribe function. */
export function recalculateOnSignIn(
  session: Session,
  excel: () => ExcelPort | undefined,
): () => void {
  let who = session.get()?.user ?? null;
  let team = session.get()?.team ?? null;
  return session.subscribe(() => {
    const s = session.get();
    const changed = s !== null && (s.user !== who || s.team !== team);
    who = s?.user ?? null;
    team = s?.team ?? null;
    const port = excel();
    if (!changed || port === undefined) return;
    port
      .run(async (context) => {
        context.workbook.application.calculate("Full");
        await context.sync();
      })
      .catch((error: unknown) => {
        // Not fatal: the cells refresh on the next recalculation the user makes.
        console.warn("CRM functions: recalculation after sign-in failed", error);
      });
  });
}
