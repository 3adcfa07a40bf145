/**
 * Whether an error is the store failing (disk full, I/O error, locked too long, read-only, corrupt) rather than
 * the data being refused (a constraint) or a defect in the caller. A store fault says nothing about the data:
 * the same write may succeed later, so it is retried, never turned into a verdict about the item.
 */
const STORE_FAULT = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CORRUPT|NOTADB|CANTOPEN|NOMEM|PROTOCOL|INTERRUPT|NOLFS|AUTH)/;

export function isStoreFault(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORE_FAULT.test(code);
}
