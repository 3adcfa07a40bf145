import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaTime } from '../../../../base/china-time.ts';
import type { DayEndReport, OperatorFigures } from '../../../../contract/dto/day-end.ts';
import { MONEY_CHANNEL_TEXT, MONEY_LINE_TEXT, SETTLEMENT_LINE_TEXT } from '../../../../contract/day-end-text.ts';
import { yuan } from '../../../../services/documents/html.ts';
import { hashPassword } from '../../../../services/security/passwords.ts';
import { collectAtCounter } from '../../../../services/payments/balance-due.ts';
import { createRefundGroup } from '../../../../services/money/refund-service.ts';
import { pdfTextLines } from '../../support/pdf-text.ts';
import { admit, CALL, CASHIER, openTestTerminal, outcome, startTestSandbox, tempDir, type TestSandbox, type TestTerminal } from './harness.ts';

/**
 * 收款员日结 over a real store: two cashiers, cash and POS deposits, a 多退 in cash, a 少补 collected, a
 * settlement reversed by a supervisor (2305) and settled again, all through the real services against the
 * sandbox platform. The report the 日终 screen gets, the printed PDF (its text read back) and `kiosk day-end`
 * (a separate process on the same file) must agree to the fen, and the figures must be the store's money rows.
 */
const RESIDENT = { certNo: '32020019620802112X' };
const EMPLOYEE = { certNo: '320200197503141014' };
const SECOND = { opterNo: 'SF002', name: '收费员乙', password: 'sf-2026-02' };
const SUPERVISOR = { opterNo: 'SUP01', name: '主管', password: 'pw-123456' };
const BILL = 'med_list_codg,cnt\n0010001941077,2\n0030003439479,1\n';
const KIOSK = resolve(import.meta.dirname, '../../../../bin/kiosk.mjs');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [KIOSK, 'day-end', ...args], { env: { ...process.env, KIOSK_CONFIG: '' }, timeout: 90_000 }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The figures only: what must agree to the fen between screen, paper and CLI. */
const figures = (r: DayEndReport) => ({ operators: r.operators, total: r.total, settlementLines: r.settlementLines, moneyLines: r.moneyLines, refundsInFlight: r.refundsInFlight });

/** The PDF's "现金收入 | … | 应缴现金 | …" line of each section, in order. */
const cashLines = (lines: string[]) => lines.filter((l) => l.startsWith('现金收入'));
const cashLine = (o: OperatorFigures) => `现金收入 | ${yuan(o.cash.inFen)} | 现金退款 | ${yuan(o.cash.outFen)} | 应缴现金 | ${yuan(o.cash.handInFen)} | 退款中 | ${o.refundsInFlight.count} 笔 ${yuan(o.refundsInFlight.fen)}`;

describe('cashier day-end over a real store', () => {
  let sandbox: TestSandbox;
  let t: TestTerminal;
  let tmp: ReturnType<typeof tempDir>;
  let storePath: string;
  const today = chinaTime(new Date()).day;

  beforeAll(async () => {
    tmp = tempDir('day-end-');
    storePath = join(tmp.dir, 'kiosk.sqlite');
    sandbox = await startTestSandbox();
    t = await openTestTerminal({
      platformUrl: sandbox.url,
      storePath,
      printer: null,
      billing: { spoolDir: join(tmp.dir, 'spool') },
      supervisors: [{ opterNo: SUPERVISOR.opterNo, name: SUPERVISOR.name, passwordHash: hashPassword(SUPERVISOR.password) }],
      accounts: [{ opterNo: SECOND.opterNo, name: SECOND.name, roles: ['cashier'], passwordHash: hashPassword(SECOND.password) }],
    });
    const settle = async (admissionId: string) => {
      outcome(await t.billing.discharge.preSettle({ admissionId }, CALL), 'presettled');
      return outcome(await t.billing.discharge.settle({ admissionId }, CALL), 'settled').settlement;
    };
    // Cashier 甲: a resident with 50.00 by POS and 50.00 in cash; the bill is 280.00 all personal cash, so 180.00
    // is due (少补), collected in cash (200.00 handed over). Then the settlement is reversed and settled again:
    // nothing moves the second time (the hospital holds 280.00).
    const a = await admit(t, {
      certNo: RESIDENT.certNo,
      deposits: [
        { amountFen: 5_000, method: 'bank-card', receiptNo: 'YJ-DE-A1' },
        { amountFen: 5_000, method: 'cash', receiptNo: 'YJ-DE-A2' },
      ],
    });
    await t.billing.charges.import({ admissionId: a.admissionId, format: 'csv', content: BILL }, CALL);
    const first = await settle(a.admissionId);
    collectAtCounter(t.ctx, { admissionId: a.admissionId, channel: 'cash', amountFen: 18_000, tenderedFen: 20_000 }, new Date());
    outcome(await t.billing.discharge.reverse({ settlementId: first.settlementId, supervisorNo: SUPERVISOR.opterNo, supervisorPassword: SUPERVISOR.password, reason: '费用有误' }, CALL), 'reversed');
    await settle(a.admissionId);
    // Cashier 乙: an employee with 100.00 in cash; the personal account pays the bill, so 100.00 goes back (多退, cash).
    await t.operators.group().signIn({ opterNo: SECOND.opterNo, password: SECOND.password }, CALL);
    const b = await admit(t, { certNo: EMPLOYEE.certNo, deposits: [{ amountFen: 10_000, method: 'cash', receiptNo: 'YJ-DE-B' }] });
    await t.billing.charges.import({ admissionId: b.admissionId, format: 'csv', content: BILL }, CALL);
    await settle(b.admissionId);
    // The cash 多退 is 退款中 until 乙 hands it out at the window and confirms it: only then it leaves the drawer.
    const [owed] = await refunds().forAdmission({ admissionId: b.admissionId }, CALL);
    expect(owed).toMatchObject({ state: 'refunding', method: 'cash', amountFen: 10_000 });
    inFlightBeforeHandOut = (await t.billing.reconciliation.dayEnd({ from: today }, CALL)).operators.find((o) => o.opterNo === SECOND.opterNo)!.refundsInFlight;
    expect(await refunds().confirmHandedOut({ refundId: owed!.refundId }, CALL)).toMatchObject({ state: 'refunded', doneBy: SECOND.opterNo });
  });
  let inFlightBeforeHandOut: OperatorFigures['refundsInFlight'] | undefined;
  const refunds = () => createRefundGroup(t.ctx);

  it('a cash refund not yet handed out is in flight, not out of the drawer', () => {
    expect(inFlightBeforeHandOut).toEqual({ count: 1, fen: 10_000 });
  });
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
    tmp?.remove();
  });

  it('counts the reversed pair as settled 1 + reversed 1 (net 0), and the money as the store recorded it', async () => {
    const r = await t.billing.reconciliation.dayEnd({ from: today }, CALL);
    expect(r.total.settlements).toMatchObject({ settledCount: 3, reversedCount: 1, netCount: 2 });
    const pair = r.settlementLines.filter((l) => l.settlementId === r.settlementLines[0]!.settlementId);
    expect(pair.map((l) => l.status)).toEqual(['reversed-in-range', 'reversal']);
    expect(pair.reduce((n, l) => n + l.medfeeFen, 0)).toBe(0);

    // Independently from the store's rows: cash in − cash out per cashier.
    const money = (ipt: string[]) => ({ deposits: ipt.flatMap((i) => t.store.money.deposits(i)), refunds: ipt.flatMap((i) => t.store.money.refunds(i)) });
    const stays = t.store.admissions.list({}).map((s) => s.iptNo);
    const { deposits, refunds } = money(stays);
    for (const who of [CASHIER.opterNo, SECOND.opterNo]) {
      const cashIn = deposits.filter((d) => d.opterNo === who && d.method === 'cash').reduce((n, d) => n + d.amountFen, 0);
      const cashOut = refunds.filter((x) => x.opterNo === who && x.method === 'cash').reduce((n, x) => n + x.amountFen, 0);
      expect(r.operators.find((o) => o.opterNo === who)?.cash).toEqual({ inFen: cashIn, outFen: cashOut, handInFen: cashIn - cashOut });
    }
    const jia = r.operators.find((o) => o.opterNo === CASHIER.opterNo)!;
    expect(jia.name).toBe(CASHIER.name);
    expect(jia.channels).toEqual([
      { channel: 'cash', depositCount: 1, depositFen: 5_000, balanceDueCount: 1, balanceDueFen: 18_000, refundCount: 0, refundFen: 0, voidCount: 0, voidFen: 0, netFen: 23_000 },
      { channel: 'bank-card', depositCount: 1, depositFen: 5_000, balanceDueCount: 0, balanceDueFen: 0, refundCount: 0, refundFen: 0, voidCount: 0, voidFen: 0, netFen: 5_000 },
    ]);
    expect(jia.cash).toEqual({ inFen: 23_000, outFen: 0, handInFen: 23_000 });
    expect(jia.settlements).toMatchObject({ settledCount: 2, reversedCount: 1, netCount: 1, medfeeFen: 28_000, psnCashFen: 28_000 });
    const yi = r.operators.find((o) => o.opterNo === SECOND.opterNo)!;
    expect(yi.cash).toEqual({ inFen: 10_000, outFen: 10_000, handInFen: 0 });
    expect(yi.settlements).toMatchObject({ netCount: 1, medfeeFen: 28_000, acctFen: 28_000, psnCashFen: 0 });
    expect(r.total.cash.handInFen).toBe(jia.cash.handInFen + yi.cash.handInFen);
  });

  it('prints the same figures (PDF text) and `kiosk day-end` reports them too, to the fen', async () => {
    const screen = await t.billing.reconciliation.dayEnd({ from: today }, CALL);
    const doc = await t.billing.documents.render({ kind: 'day-end-report', dayEnd: { from: today }, pdf: true }, CALL);
    expect(doc.media).toBe('a4');
    const paper = pdfTextLines(Buffer.from(doc.pdfBase64!, 'base64'));
    expect(paper[0]).toBe('住院收费员日结报表');
    expect(cashLines(paper)).toEqual([...screen.operators, screen.total].map(cashLine));
    // Each settlement line on paper (one day: the time of day), a reversed pair as two lines that cancel.
    const paperLines = paper.filter((p) => /^\d\d:\d\d:\d\d \| ZY\d+ \| \d{20,} \|/.test(p));
    expect(paperLines).toEqual(
      screen.settlementLines.map((l) => [l.at.slice(11), l.iptNo, l.setlId, l.opterNo, SETTLEMENT_LINE_TEXT[l.status], ...[l.medfeeFen, l.fundFen, l.acctFen, l.psnCashFen].map(yuan)].join(' | ')),
    );
    expect(paperLines.filter((p) => p.includes('撤销'))).toHaveLength(2);
    // Every receipt and refund counted, on paper as on screen (refunds negative).
    expect(screen.moneyLines.map((m) => m.receiptNo)).toEqual(expect.arrayContaining(['YJ-DE-A1', 'YJ-DE-A2', 'YJ-DE-B']));
    expect(paper.filter((p) => /^\d\d:\d\d:\d\d \| ZY\d+ \| (YJ|BJ|TK)/.test(p))).toEqual(
      screen.moneyLines.map((m) => [m.at.slice(11), m.iptNo, m.receiptNo, m.opterNo, MONEY_LINE_TEXT[m.kind], MONEY_CHANNEL_TEXT[m.channel], yuan(m.kind === 'refund' ? 0 - m.amountFen : m.amountFen)].join(' | ')),
    );
    expect(paper.some((p) => p.includes(`链头：第 ${screen.auditChain.headSeq} 条`))).toBe(true);
    expect(paper.at(-1)).toMatch(/^收款员签字：.*复核（主管）签字：/);

    const out = join(tmp.dir, 'day-end.pdf');
    const run = await cli(['--date', today, '--store', storePath, '--json', '--out', out]);
    expect(run.stderr).toContain('已生成日结报表');
    expect(run.code).toBe(0);
    const fromCli = JSON.parse(run.stdout) as DayEndReport;
    expect(figures(fromCli)).toEqual(figures(screen));
    // The CLI verified the same keyed audit chain (it has the store's audit key): intact, at or past the screen's head.
    expect(fromCli.auditChain.ok).toBe(true);
    expect(fromCli.auditChain.headSeq).toBeGreaterThanOrEqual(screen.auditChain.headSeq);
    expect(cashLines(pdfTextLines(readFileSync(out)))).toEqual(cashLines(paper));

    const one = await cli(['--date', today, '--operator', SECOND.opterNo, '--store', storePath]);
    expect(one.code).toBe(0);
    const yi = screen.operators.find((o) => o.opterNo === SECOND.opterNo)!;
    expect(one.stdout).toContain(`收款员日结　${SECOND.opterNo} ${SECOND.name}`);
    expect(one.stdout).toContain(`现金收入 ${yuan(yi.cash.inFen)} − 现金退款 ${yuan(yi.cash.outFen)} = 应缴现金 ${yuan(yi.cash.handInFen)}`);
  });

  it('prints through the documents service (spooled PDF without a printer) and audits the print', async () => {
    const r = await t.billing.documents.print({ kind: 'day-end-report', dayEnd: { from: today, opterNo: CASHIER.opterNo } }, CALL);
    expect(r.status).toBe('spooled-pdf');
    expect(t.store.audit.list({ subject: `day-end:${today}..${today}:${CASHIER.opterNo}` }).map((e) => e.action)).toEqual(['documents.print']);
  });

  it('refuses bad ranges with a clear error (CLI: usage, exit 2)', async () => {
    await expect(t.billing.reconciliation.dayEnd({ from: today, to: '2020-01-01' }, CALL)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(t.billing.reconciliation.dayEnd({ from: '2026-01-01', to: '2026-03-01' }, CALL)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: '日结范围最长 31 天。' });
    const bad = await cli(['--date', '7/12/2026', '--store', storePath]);
    expect(bad.code).toBe(2);
  });
});
