import { redact } from './redact.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

/**
 * The only logger services use. Every line is one JSON object, passed through redact() first, so a
 * careless `log.info('read', { card })` still never writes a name or an ID number in clear.
 */
export function createLogger(options: { scope?: string; level?: LogLevel; write?: (line: string) => void } = {}): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const min = order.indexOf(options.level ?? ((process.env.KIOSK_LOG_LEVEL as LogLevel | undefined) ?? 'info'));
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const make = (scope: string): Logger => {
    const at = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
      if (order.indexOf(level) < min) return;
      write(JSON.stringify({ t: new Date().toISOString(), level, scope, msg: redact(msg), ...(fields ? (redact(fields) as object) : {}) }));
    };
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (s) => make(scope ? `${scope}.${s}` : s) };
  };
  return make(options.scope ?? 'kiosk');
}

/** For tests: collects lines in memory. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger({ level: 'debug', write: (l) => lines.push(l) }), { lines });
}
