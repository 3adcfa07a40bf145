import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from './fleet.ts';

/**
 * A real Prometheus (Debian package `prometheus`, installed by .ci/run) scraping 10 real terminals that drain
 * their offline queues against one sandbox platform, with the bearer token a LAN deployment needs; then the
 * queries a hospital's monitoring runs, and the shipped alert rules (deploy/prometheus/kiosk-alerts.yml)
 * checked by promtool and evaluated by the server. Outside CI a machine without Prometheus skips loudly.
 */
const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';
const RULES = resolve(import.meta.dirname, '../../../deploy/prometheus/kiosk-alerts.yml');
const TERMINALS = 10;
const STAYS = 2;
const BATCHES = 1; // 5 operations per stay: 10 per terminal
const TOKEN = 'fleet-test-token-0123456789';
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const have = spawnSync(PROMETHEUS, ['--version']).status === 0;
if (!have && !inCi) console.warn('\n!!!!! SKIPPED: Prometheus fleet test (apt-get install prometheus; .ci/run installs it)\n');

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

describe.runIf(have || inCi)('Prometheus scraping a fleet of 10 terminals', () => {
  let dir: string;
  let fleet: Fleet;
  let prom: ChildProcess;
  let api: string;
  const promLog: string[] = [];

  async function query(q: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const r = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await r.json()) as { status: string; error?: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    if (body.status !== 'success') throw new Error(`${q}: ${body.error}`);
    return body.data.result;
  }
  async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn().catch(() => null);
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${promLog.join('').slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const scalar = async (q: string) => Number((await query(q))[0]?.value[1] ?? NaN);

  beforeAll(async () => {
    expect(have, `Prometheus is required in CI: ${PROMETHEUS} (apt-get install prometheus)`).toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'kiosk-prom-'));
    fleet = await startFleet({ dir, count: TERMINALS, stays: STAYS, batches: BATCHES, token: TOKEN });
    const targets = fleet.terminals.map((t) => new URL(t.terminal.parts.metricsEndpoint!.url).host);
    writeFileSync(join(dir, 'token'), TOKEN);
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: [${JSON.stringify(RULES)}]`,
        'scrape_configs:',
        '  - job_name: kiosk',
        `    authorization: { credentials_file: ${JSON.stringify(join(dir, 'token'))} }`,
        `    static_configs: [{ targets: ${JSON.stringify(targets)} }]`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    prom = spawn(PROMETHEUS, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    prom.stdout!.on('data', (d: Buffer) => promLog.push(d.toString()));
    prom.stderr!.on('data', (d: Buffer) => promLog.push(d.toString()));
  }, 120_000);

  afterAll(async () => {
    prom?.kill('SIGTERM');
    await fleet?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('the shipped alert rules are valid (promtool check rules)', () => {
    const r = spawnSync(PROMTOOL, ['check', 'rules', RULES], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('scrapes every terminal with the token, and sees every queue drain to zero', async () => {
    await until('10 terminals up', async () => (await scalar('count(up{job="kiosk"} == 1)')) === TERMINALS);
    await fleet.drained(120_000);
    const queued = fleet.terminals.reduce((n, t) => n + t.queued, 0);
    expect(queued).toBe(TERMINALS * STAYS * (BATCHES + 4));
    // After the drain, the next scrape shows every queue empty and every operation acknowledged.
    await until('queues at zero', async () => (await scalar('sum(kiosk_queue_depth)')) === 0 && (await scalar('count(kiosk_queue_depth)')) === TERMINALS);
    await until('every operation counted', async () => (await scalar('sum(kiosk_platform_requests_total{infno=~"24.*|23.*", result="ok"})')) === queued);
    const perTerminal = await query('sum by (terminal) (kiosk_platform_requests_total{infno=~"24.*|23.*", result="ok"})');
    expect(perTerminal.map((r) => r.metric.terminal).sort()).toEqual(fleet.terminals.map((t) => t.id).sort());
    for (const r of perTerminal) expect(Number(r.value[1])).toBe(STAYS * (BATCHES + 4));
  });

  it('answers the queries a hospital alerts on, and fires KioskDown for a terminal that stops', async () => {
    expect(await query('kiosk_queue_oldest_age_seconds > 900')).toEqual([]);
    expect(await query('kiosk_queue_dead_letters > 0')).toEqual([]);
    expect(await query('kiosk_store_healthy == 0')).toEqual([]);
    expect(await scalar('count(kiosk_store_healthy == 1)')).toBe(TERMINALS);
    expect(await query('kiosk_reversals_pending > 0')).toEqual([]);
    // No reader is configured on these terminals: the reader alert's expression finds all ten.
    expect(await scalar('count(kiosk_reader_state{state="none"} == 1)')).toBe(TERMINALS);
    expect(await scalar('count(kiosk_store_bytes > 0)')).toBe(TERMINALS);
    // The fleet's p95 platform latency since start (the drain ended within a scrape or two, so no rate yet).
    const p95 = await scalar('histogram_quantile(0.95, sum by (le) (kiosk_platform_request_duration_seconds_bucket))');
    expect(p95).toBeGreaterThan(0);
    expect(p95).toBeLessThanOrEqual(30);
    expect(await query('sum by (terminal) (rate(kiosk_platform_requests_total{result!="ok"}[1m])) > 0')).toEqual([]);

    // One desk goes down: Prometheus marks it down and the alert becomes pending (it fires after `for: 2m`).
    const victim = fleet.terminals[3]!;
    const host = new URL(victim.terminal.parts.metricsEndpoint!.url).host;
    await victim.terminal.close();
    await until('the stopped terminal down', async () => (await query('up{job="kiosk"} == 0')).some((r) => r.metric.instance === host));
    const alert = await until('KioskDown pending', async () => (await query('ALERTS{alertname="KioskDown"}')).find((r) => r.metric.instance === host));
    expect(alert.metric.alertstate).toBe('pending');
  });

  it('refuses a scrape without the token', async () => {
    const r = await fetch(`${fleet.terminals[0]!.terminal.parts.metricsEndpoint!.url}/metrics`);
    expect(r.status).toBe(401);
    expect(readFileSync(join(dir, 'token'), 'utf8')).toBe(TOKEN);
  });
});
