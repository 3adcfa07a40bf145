import type { Logger } from '../logging/logger.ts';

/**
 * Pushes the terminal's metrics to the hospital's OpenTelemetry collector (OTLP/HTTP, JSON encoding) every
 * `intervalMs`. A failed push is logged (once per outage, not per attempt) and simply retried at the next
 * interval with the then-current cumulative values: nothing queues up, so a collector outage costs no memory
 * and no burst when it ends. Each push has a timeout.
 */
export interface OtlpExporterOptions {
  /** The collector's metrics endpoint, e.g. http://collector.hospital.lan:4318/v1/metrics. */
  url: string;
  headers: Record<string, string>;
  intervalMs: number;
  timeoutMs?: number;
  body: () => unknown;
  log: Logger;
  fetch?: typeof fetch;
}

export interface OtlpExporter {
  /** Pushes now (tests and shutdown); resolves whether the collector accepted it. */
  flush(): Promise<boolean>;
  close(): Promise<void>;
}

export function startOtlpExporter(o: OtlpExporterOptions): OtlpExporter {
  const doFetch = o.fetch ?? fetch;
  let failing = false;
  let inFlight: Promise<boolean> | null = null;
  const push = async (): Promise<boolean> => {
    try {
      const res = await doFetch(o.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...o.headers },
        body: JSON.stringify(o.body()),
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      if (failing) o.log.info('metrics: OTLP collector reachable again');
      failing = false;
      return true;
    } catch (err) {
      if (!failing) o.log.warn('metrics: OTLP export failed; retrying every interval', { url: o.url, error: err instanceof Error ? err.message : String(err) });
      failing = true;
      return false;
    }
  };
  const flush = () => (inFlight ??= push().finally(() => (inFlight = null)));
  const timer = setInterval(() => void flush(), o.intervalMs);
  timer.unref();
  return {
    flush,
    async close() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
