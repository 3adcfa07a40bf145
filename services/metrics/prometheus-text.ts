import type { Family, Labels } from './instruments.ts';

/**
 * Families in the Prometheus text exposition format (version 0.0.4), what a Prometheus server scrapes from
 * GET /metrics. Every series carries the terminal's id as the `terminal` label, so a hospital's dashboards
 * and alerts can name the desk without relabelling.
 */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const escapeValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeValue(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

const num = (v: number) => (Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN');

export function prometheusText(families: Family[], common: Labels): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.kind}`);
    if (f.kind === 'histogram') {
      for (const s of f.samples) {
        const labels = { ...common, ...s.labels };
        f.bounds.forEach((b, i) => out.push(`${f.name}_bucket${labelText({ ...labels, le: String(b) })} ${s.buckets[i]}`));
        out.push(`${f.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${s.count}`);
        out.push(`${f.name}_sum${labelText(labels)} ${num(s.sum)}`, `${f.name}_count${labelText(labels)} ${s.count}`);
      }
    } else {
      const suffix = f.kind === 'counter' && !f.name.endsWith('_total') ? '_total' : '';
      for (const s of f.samples) out.push(`${f.name}${suffix}${labelText({ ...common, ...s.labels })} ${num(s.value)}`);
    }
  }
  return out.join('\n') + '\n';
}
