/**
 * Expected outcomes are values; exceptions are faults (vxsuite `libs/basics/src/result.ts`, grout's rule).
 * A function whose failure is part of its normal business returns a `Result` instead of throwing, so the
 * caller's compiler makes it handle both arms.
 *
 * Unlike vxsuite's classes, a Result here is plain data (`{ ok, value }` / `{ ok, error }`): it crosses the
 * IPC bridge, the browser host's WebSocket and a worker thread's structured clone unchanged.
 */
export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

export interface Err<E> {
  readonly ok: false;
  readonly error: E;
}

export type Result<T, E> = Ok<T> | Err<E>;

export function ok(): Ok<void>;
export function ok<T>(value: T): Ok<T>;
export function ok<T>(value?: T): Ok<T | undefined> {
  return { ok: true, value };
}

export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}

/** The value, or a thrown Error carrying the error as its cause: for call sites where failure is a fault. */
export function assertOk<T, E>(result: Result<T, E>, message: string): T {
  if (result.ok) return result.value;
  throw new Error(message, { cause: result.error });
}

/** Transforms the value of an Ok; an Err passes through unchanged. */
export function mapOk<T, U, E>(result: Result<T, E>, fn: (value: T) => U): Result<U, E> {
  return result.ok ? ok(fn(result.value)) : result;
}

/** Runs `fn` and turns a thrown exception into an Err (for wrapping a throwing API at a boundary). */
export function tryResult<T>(fn: () => T): Result<T, Error> {
  try {
    return ok(fn());
  } catch (e) {
    return err(e instanceof Error ? e : new Error(String(e)));
  }
}
