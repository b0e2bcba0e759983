/** What the team functions need from the shared data, as one small interface (see team.ts). */
import type { HistoryEntry } from "../../core/apiSchema.ts";
import type { CellError } from "../../core/cells.ts";
import type { CustomerRecord } from "../../core/schema.ts";

export interface TeamPort {
  /** The record, `null` when the team has no such customer, or why it cannot be read. */
  customer(id: string): Promise<CustomerRecord | null | CellError>;
  /** Every customer of the team (not deleted), sorted by id. */
  customers(): Promise<readonly CustomerRecord[] | CellError>;
  /** The audit trail of a customer, newest first; `null` when there is no such customer. */
  history(id: string, field: string | null): Promise<readonly HistoryEntry[] | null | CellError>;
  /** Calls `onChange` whenever the record may have changed (change feed); returns stop. */
  watch(id: string, onChange: () => void): () => void;
}
