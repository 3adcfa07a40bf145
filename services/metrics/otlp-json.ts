import type { Family, Labels } from './instruments.ts';

/**
 * Families as an OTLP/HTTP ExportMetricsServiceRequest in its JSON encoding (opentelemetry-proto
 * metrics/v1; POST to <collector>/v1/metrics with Content-Type application/json). The terminal is the
 * resource: service.name, service.instance.id (the terminal id) and the hospital code. Counters are
 * cumulative monotonic sums, histograms explicit-bucket with cumulative temporality, gauges gauges.
 */
const CUMULATIVE = 2; // AGGREGATION_TEMPORALITY_CUMULATIVE

type AnyValue = { stringValue: string };
const attributes = (labels: Labels) => Object.entries(labels).map(([key, v]) => ({ key, value: { stringValue: v } as AnyValue }));

export interface OtlpResource {
  terminalId: string;
  hospitalCode: string;
  mode: string;
  version: string;
}

export function otlpMetricsRequest(families: Family[], resource: OtlpResource, startNs: bigint, nowNs: bigint): unknown {
  const time = { startTimeUnixNano: startNs.toString(), timeUnixNano: nowNs.toString() };
  const metrics = families.map((f) => {
    if (f.kind === 'histogram') {
      return {
        name: f.name,
        description: f.help,
        unit: 's',
        histogram: {
          aggregationTemporality: CUMULATIVE,
          dataPoints: f.samples.map((s) => ({
            attributes: attributes(s.labels),
            ...time,
            count: String(s.count),
            sum: s.sum,
            explicitBounds: f.bounds,
            // OTLP wants per-bucket counts (not cumulative), one more than the bounds.
            bucketCounts: [...f.bounds.map((_, i) => s.buckets[i]! - (i > 0 ? s.buckets[i - 1]! : 0)), s.count - (s.buckets.at(-1) ?? 0)].map(String),
          })),
        },
      };
    }
    const dataPoints = f.samples.map((s) => ({ attributes: attributes(s.labels), ...time, asDouble: s.value }));
    if (f.kind === 'counter') return { name: f.name, description: f.help, sum: { aggregationTemporality: CUMULATIVE, isMonotonic: true, dataPoints } };
    return { name: f.name, description: f.help, gauge: { dataPoints } };
  });
  return {
    resourceMetrics: [
      {
        resource: {
          attributes: attributes({
            'service.name': 'jiangsu-front-desk-kiosk',
            'service.version': resource.version,
            'service.instance.id': resource.terminalId,
            'kiosk.hospital.code': resource.hospitalCode,
            'kiosk.mode': resource.mode,
          }),
        },
        scopeMetrics: [{ scope: { name: 'kiosk.terminal' }, metrics }],
      },
    ],
  };
}
