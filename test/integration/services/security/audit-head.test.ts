import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../db/connection.ts';
import { newKey } from '../../../../db/keystore.ts';
import { openStore } from '../../../../db/store.ts';
import { TerminalConfig } from '../../../../services/config/schema.ts';
import { createLogger } from '../../../../services/logging/logger.ts';
import { checkAuditChain } from '../../../../services/security/audit-head.ts';
import { auditChainText } from '../../../../contract/day-end-text.ts';
import { HOSPITAL, sampleAdmission, tempStore } from '../../../unit/db/helpers.ts';

/** The audit head sent to a real syslog listener on loopback, over UDP and over TCP (octet counting). */
describe('audit chain head to syslog', () => {
  const closers: Array<() => void> = [];
  afterEach(() => {
    for (const c of closers.splice(0)) c();
  });

  function udpListener(): Promise<{ port: number; next: Promise<string> }> {
    const socket: Socket = createSocket('udp4');
    closers.push(() => socket.close());
    const next = new Promise<string>((resolve) => socket.once('message', (m) => resolve(m.toString('utf8'))));
    return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve({ port: (socket.address() as AddressInfo).port, next })));
  }

  function tcpListener(): Promise<{ port: number; next: Promise<string> }> {
    let received = Buffer.alloc(0);
    let done: (s: string) => void = () => undefined;
    const next = new Promise<string>((resolve) => (done = resolve));
    const server: Server = createServer((c) => {
      c.on('data', (d: Buffer) => (received = Buffer.concat([received, d])));
      c.on('end', () => done(received.toString('utf8')));
    });
    closers.push(() => server.close());
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as AddressInfo).port, next })));
  }

  function keyedStoreWithMoney() {
    const storeKey = newKey();
    const auditKey = newKey();
    const ctx = tempStore({ key: storeKey, auditKey });
    closers.push(() => ctx.cleanup());
    ctx.store.write((tx) => {
      const adm = ctx.store.admissions.create(tx, sampleAdmission);
      ctx.store.money.addRefund(tx, { iptNo: adm.iptNo, settlementId: null, reason: 'cancellation', amountFen: 100_00, method: 'cash', receiptNo: 'T1', opterNo: '2001' });
    });
    return { ctx, storeKey, auditKey };
  }

  const log = createLogger({ level: 'error', write: () => undefined });

  it('UDP: an intact chain sends its head as an RFC 5424 notice (facility log audit)', async () => {
    const { ctx } = keyedStoreWithMoney();
    const listener = await udpListener();
    const config = TerminalConfig.parse({ audit: { syslog: { host: '127.0.0.1', port: listener.port, protocol: 'udp' } } });
    const status = await checkAuditChain({ store: ctx.store, config, log, now: new Date('2026-11-20T10:00:00Z') }, 'day-end');
    const line = await listener.next;
    expect(status.ok).toBe(true);
    expect(line).toMatch(/^<109>1 2026-11-20T10:00:00.000Z \S+ kiosk \d+ AUDIT_HEAD \[kiosk@32473 moment="day-end" /);
    expect(line).toContain(`seq="${status.headSeq}" hash="${status.headHash}"`);
    // What it was compared with: the head kept at the store's birth (its anchor, row 1); the next one names the head it kept.
    expect(line).toContain('kept="1"');
    const again = await udpListener();
    const next = TerminalConfig.parse({ audit: { syslog: { host: '127.0.0.1', port: again.port, protocol: 'udp' } } });
    await checkAuditChain({ store: ctx.store, config: next, log, now: new Date('2026-11-20T10:00:00Z') }, 'start');
    expect(await again.next).toContain(`kept="${status.headSeq}"`);
  });

  it('TCP: a refund raised by ¥500 behind the terminal sends a critical AUDIT_BROKEN message', async () => {
    const { ctx, storeKey, auditKey } = keyedStoreWithMoney();
    ctx.store.close();
    const db = openDatabase(ctx.path, { key: storeKey });
    db.prepare('UPDATE refunds SET amount_fen = amount_fen + 50000').run();
    db.close();
    ctx.store = openStore(ctx.path, { fixmedinsCode: HOSPITAL, key: storeKey, auditKey });
    const listener = await tcpListener();
    const config = TerminalConfig.parse({ audit: { syslog: { host: '127.0.0.1', port: listener.port, protocol: 'tcp' } } });
    const status = await checkAuditChain({ store: ctx.store, config, log, now: new Date('2026-11-20T10:00:00Z') }, 'start');
    const framed = await listener.next;
    const [length, ...rest] = framed.split(' ');
    expect(Number(length)).toBe(Buffer.byteLength(rest.join(' '), 'utf8'));
    expect(rest.join(' ')).toMatch(/^<106>1 .* AUDIT_BROKEN .*problems="1" accepted="0"\] audit chain BROKEN at start: record-changed/);
    expect(status.ok).toBe(false);
    expect(status.problems[0]).toMatch(/refunds:1 differs from its audited value/);
  });

  it('more findings than the report lists: the report counts them all and says where to read them', async () => {
    const { ctx, storeKey, auditKey } = keyedStoreWithMoney();
    for (let i = 0; i < 30; i++) ctx.store.write((tx) => ctx.store.audit.append(tx, { actor: 'opter:2001', action: 'documents.print', subject: `settlement:${i}` }));
    ctx.store.close();
    const db = openDatabase(ctx.path, { key: storeKey });
    db.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'opter:9999' WHERE action = 'documents.print'");
    db.close();
    ctx.store = openStore(ctx.path, { fixmedinsCode: HOSPITAL, key: storeKey, auditKey });
    const status = await checkAuditChain({ store: ctx.store, config: TerminalConfig.parse({}), log, now: new Date() }, 'day-end');
    expect(status.problems).toHaveLength(20);
    // Before, the report said 20 (the lines it kept), not 30.
    expect(status.problemCount).toBe(30);
    expect(auditChainText(status)).toContain('审计记录校验失败（30 处异常），请立即通知信息科（kiosk store audit 逐条列出）');
  });

  it('an unreachable collector costs a warning, not the check', async () => {
    const { ctx } = keyedStoreWithMoney();
    const tcp = await tcpListener();
    closers.splice(-1, 1)[0]!(); // close it: nothing listens on that port any more
    const config = TerminalConfig.parse({ audit: { syslog: { host: '127.0.0.1', port: tcp.port, protocol: 'tcp' } } });
    const status = await checkAuditChain({ store: ctx.store, config, log, now: new Date() }, 'start');
    expect(status.ok).toBe(true);
  });
});
