import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram } from '../../../../services/metrics/instruments.ts';
import { otlpMetricsRequest } from '../../../../services/metrics/otlp-json.ts';
import { prometheusText } from '../../../../services/metrics/prometheus-text.ts';

describe('metrics exposition', () => {
  const requests = new Counter('kiosk_platform_requests', 'round trips');
  requests.inc({ infno: '2401', result: 'ok' });
  requests.inc({ infno: '2401', result: 'ok' });
  requests.inc({ infno: '2301', result: 'timeout' });
  const latency = new Histogram('kiosk_platform_request_duration_seconds', 'latency', [0.1, 1]);
  latency.observe(0.05, { infno: '2401' });
  latency.observe(0.5, { infno: '2401' });
  latency.observe(3, { infno: '2401' });
  const depth = new Gauge('kiosk_queue_depth', 'depth "quoted"\nhelp', () => [{ labels: {}, value: 7 }]);
  const broken = new Gauge('kiosk_store_bytes', 'size', () => {
    throw new Error('store closed');
  });
  const families = [depth.family(), broken.family(), requests.family(), latency.family()];

  it('writes the Prometheus text format: HELP/TYPE, _total counters, cumulative buckets with +Inf, the terminal label', () => {
    const text = prometheusText(families, { terminal: 'desk-01' });
    expect(text).toContain('# HELP kiosk_queue_depth depth "quoted"\\nhelp\n# TYPE kiosk_queue_depth gauge\nkiosk_queue_depth{terminal="desk-01"} 7\n');
    expect(text).toContain('# TYPE kiosk_store_bytes gauge\n# HELP'); // a failing source: no sample, not a wrong one
    expect(text).toContain('kiosk_platform_requests_total{terminal="desk-01",infno="2401",result="ok"} 2');
    expect(text).toContain('kiosk_platform_requests_total{terminal="desk-01",infno="2301",result="timeout"} 1');
    expect(text).toContain('kiosk_platform_request_duration_seconds_bucket{terminal="desk-01",infno="2401",le="0.1"} 1');
    expect(text).toContain('kiosk_platform_request_duration_seconds_bucket{terminal="desk-01",infno="2401",le="1"} 2');
    expect(text).toContain('kiosk_platform_request_duration_seconds_bucket{terminal="desk-01",infno="2401",le="+Inf"} 3');
    expect(text).toContain('kiosk_platform_request_duration_seconds_sum{terminal="desk-01",infno="2401"} 3.55');
    expect(text).toContain('kiosk_platform_request_duration_seconds_count{terminal="desk-01",infno="2401"} 3');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('writes OTLP JSON: per-bucket (not cumulative) counts, monotonic cumulative sums, the terminal as resource', () => {
    const body = otlpMetricsRequest(families, { terminalId: 'desk-01', hospitalCode: 'H32020000001', mode: 'admission', version: '0.1.0' }, 1n, 2n) as {
      resourceMetrics: Array<{ resource: { attributes: Array<{ key: string; value: { stringValue: string } }> }; scopeMetrics: Array<{ metrics: Array<Record<string, unknown>> }> }>;
    };
    const rm = body.resourceMetrics[0]!;
    expect(rm.resource.attributes).toContainEqual({ key: 'service.instance.id', value: { stringValue: 'desk-01' } });
    const byName = new Map(rm.scopeMetrics[0]!.metrics.map((m) => [m.name as string, m]));
    expect(byName.get('kiosk_queue_depth')).toMatchObject({ gauge: { dataPoints: [{ asDouble: 7, startTimeUnixNano: '1', timeUnixNano: '2' }] } });
    expect(byName.get('kiosk_platform_requests')).toMatchObject({ sum: { isMonotonic: true, aggregationTemporality: 2 } });
    expect(byName.get('kiosk_platform_request_duration_seconds')).toMatchObject({
      histogram: { dataPoints: [{ count: '3', sum: 3.55, explicitBounds: [0.1, 1], bucketCounts: ['1', '1', '1'] }] },
    });
  });
});
