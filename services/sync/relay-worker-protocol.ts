/** Messages between the relay's worker committer and its worker (relay-commit-worker.ts). */
export interface WorkerCall {
  id: number;
  op: string;
  arg: unknown;
  /** The relay's clock when it asked (ms): the transaction's `tx.now`. */
  now: number;
}

export type WorkerReply = { ready: true } | { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

/** An error as plain data: structured clone keeps neither a KioskError's class nor SQLite's `code`. */
export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const code = (err as { code?: unknown }).code;
  return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}), ...(err.stack ? { stack: err.stack } : {}) };
}

export function deserializeError(e: SerializedError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  if (e.code !== undefined) (err as Error & { code?: string }).code = e.code;
  if (e.stack) err.stack = e.stack;
  return err;
}
