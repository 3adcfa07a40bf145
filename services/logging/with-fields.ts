import type { Logger } from './logger.ts';

/** A logger that adds `fields` to every line, and to every child's (the terminal id on every log line). */
export function withFields(log: Logger, fields: Record<string, unknown>): Logger {
  const at = (fn: Logger['info']) => (msg: string, f?: Record<string, unknown>) => fn(msg, { ...fields, ...f });
  return { debug: at(log.debug), info: at(log.info), warn: at(log.warn), error: at(log.error), child: (scope) => withFields(log.child(scope), fields) };
}
