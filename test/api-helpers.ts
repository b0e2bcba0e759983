/** Helpers for the API tests: plain HTTP calls against a local stack, no client library. */
import type { LocalStack } from "../functions/local/stack.ts";

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  readonly body: any;
}

export interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  /** Sent as is (for bad JSON and oversize bodies). */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

/** One HTTP call to `stack.url + "/v1" + path`. */
export async function call(
  stack: LocalStack,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  let body: string | null = null;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const response = await fetch(`${stack.url}/v1${path}`, { method, headers, body });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? undefined : JSON.parse(text),
  };
}

/** Creates a customer and returns the stored record. */
export async function create(
  stack: LocalStack,
  token: string,
  record: { id: string; name: string } & Record<string, unknown>,
): Promise<Reply> {
  return call(stack, "PUT", `/customers/${encodeURIComponent(record.id)}`, {
    token,
    body: record,
    headers: { "if-none-match": "*" },
  });
}

/** A promise pool: runs `tasks` with at most `limit` at once. */
export async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}
