import { hostname } from 'node:os';
import type { TerminalConfig } from '../config/schema.ts';
import type { Logger } from '../logging/logger.ts';
import { startMetricsServer, type MetricsEndpoint } from './metrics-server.ts';
import { otlpMetricsRequest } from './otlp-json.ts';
import { startOtlpExporter, type OtlpExporter } from './otlp-exporter.ts';
import { prometheusText } from './prometheus-text.ts';
import type { TerminalMetrics } from './terminal-metrics.ts';

/** The terminal's id in logs and metrics: `terminal.id`, else the host name (no personal data either way). */
export function terminalIdOf(config: TerminalConfig): string {
  return config.terminal.id ?? hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
}

export interface RunningMetrics {
  /** null when disabled or when the port could not be had (logged; the terminal works on without it). */
  endpoint: MetricsEndpoint | null;
  otlp: OtlpExporter | null;
  close(): Promise<void>;
}

const VERSION = process.env.npm_package_version ?? '0.1.0';

/** Serves /metrics and /health and starts the OTLP pushes, as configured. Never fails the terminal. */
export async function startMetrics(config: TerminalConfig, metrics: TerminalMetrics, log: Logger): Promise<RunningMetrics> {
  const m = config.metrics;
  const terminalId = terminalIdOf(config);
  const common = { terminal: terminalId };
  let endpoint: MetricsEndpoint | null = null;
  if (m.enabled) {
    try {
      endpoint = await startMetricsServer({
        host: m.host,
        port: m.port,
        token: m.token,
        metrics: () => prometheusText(metrics.collect(), common),
        health: () => {
          const h = metrics.health();
          return { ok: h.store, terminal: terminalId, ...h };
        },
        log,
      });
      log.info('metrics: serving /metrics and /health', { url: endpoint.url, token: m.token !== null });
    } catch (err) {
      log.error('metrics: cannot listen; metrics endpoint off', { host: m.host, port: m.port, error: err instanceof Error ? err.message : String(err) });
    }
  }
  const startNs = BigInt(Date.now()) * 1_000_000n;
  const otlp =
    m.enabled && m.otlp.url
      ? startOtlpExporter({
          url: m.otlp.url,
          headers: m.otlp.headers,
          intervalMs: m.otlp.intervalSeconds * 1000,
          body: () => otlpMetricsRequest(metrics.collect(), { terminalId, hospitalCode: config.hospital.code, mode: config.mode, version: VERSION }, startNs, BigInt(Date.now()) * 1_000_000n),
          log,
        })
      : null;
  return {
    endpoint,
    otlp,
    async close() {
      await otlp?.close();
      await endpoint?.close();
    },
  };
}
