import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliCommand } from '../command.ts';
import { parseCliArgs, UsageError } from '../args.ts';
import { chinaDay } from '../../base/china-time.ts';
import { systemClock } from '../../base/clock.ts';
import { auditChainText, dateTimeText, dayEndRangeText, dayEndSections, handInNote, IN_FLIGHT_TITLE, lineTimeText, MONEY_CHANNEL_TEXT, operatorText, REFUND_STATE_TEXT } from '../../contract/day-end-text.ts';
import { DayEndQuery, type DayEndReport } from '../../contract/dto/day-end.ts';
import { openEncryptedStore } from '../../db/store-key.ts';
import { loadConfig } from '../../services/config/load.ts';
import { renderDayEndSheet } from '../../services/documents/day-end-sheet.ts';
import { yuan } from '../../services/documents/html.ts';
import { ChromiumPdfRenderer } from '../../services/documents/pdf.ts';
import { createLogger } from '../../services/logging/logger.ts';
import { dayEndReport } from '../../services/reconciliation/day-end-report.ts';
import { cliKeyStore } from '../../services/security/key-store.ts';

const usage = `Usage:
  kiosk day-end [--date <YYYY-MM-DD> | --from <YYYY-MM-DD> --to <YYYY-MM-DD>] [--operator <工号>]
                [--out <file.pdf>] [--json] [--store <path>] [--config <file.json>]

收款员日结: per operator and payment channel, the 预交金 taken, 补缴 (少补) collected and refunds (多退) actually
paid, the settlements net of their reversals (2305), and the cash to hand in; refunds still on their way
(退款中) listed apart. Days are China calendar days (00:00–24:00 Beijing time); --date defaults to today.
The figures are the ones the counter's 日终 tab shows (one service function). The text is the summary; the
settlement lines and every receipt and refund are in --json and on the printed report. --out writes the
printed report (A4 PDF, fonts embedded) to a file; --json prints the report as JSON instead of text. Reads the
store only; the audit chain is verified and its head printed, as on the day-end reconciliation.
Exit codes: 0 ok, 1 error, 2 usage.`;

export const dayEndCommand: CliCommand = {
  name: 'day-end',
  summary: '收款员日结: deposits, balances due, refunds paid, settlements net of reversals, cash to hand in; PDF',
  usage,
  async run(argv) {
    const { values, positionals } = parseCliArgs(argv, {
      date: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      operator: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      store: { type: 'string' },
      config: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    if (values.date && (values.from || values.to)) throw new UsageError('give either --date or --from/--to');
    const from = values.date ?? values.from ?? chinaDay(systemClock.now());
    const parsed = DayEndQuery.safeParse({ from, to: values.date ?? values.to ?? from, ...(values.operator ? { opterNo: values.operator } : {}) });
    if (!parsed.success) throw new UsageError(`dates are YYYY-MM-DD (China calendar days), the operator 1–20 characters: ${parsed.error.issues[0]?.message ?? ''}`);

    const loaded = loadConfig({ path: values.config });
    const path = values.store ? resolve(values.store) : loaded.storePath;
    if (!existsSync(path)) throw new Error(`本地数据库不存在：${path}（用 --store 指定，或设置 KIOSK_DATA_DIR）`);
    const store = openEncryptedStore(path, cliKeyStore(path), { readonly: true });
    let report: DayEndReport;
    try {
      const log = createLogger({ scope: 'day-end', level: process.env.KIOSK_DEBUG ? 'debug' : 'warn' });
      report = await dayEndReport({ store, config: loaded.config, clock: systemClock, log }, parsed.data);
    } finally {
      store.close();
    }

    if (values.out) {
      const html = renderDayEndSheet(report, { hospitalName: loaded.config.hospital.name, terminalName: loaded.config.terminal.name });
      const pdf = new ChromiumPdfRenderer();
      try {
        writeFileSync(values.out, await pdf.render(html, 'a4'), { mode: 0o600 });
      } finally {
        await pdf.close();
      }
      console.error(`已生成日结报表：${values.out}`);
    }
    console.log(values.json ? JSON.stringify(report, null, 2) : dayEndText(report));
    return 0;
  },
};

/** The report as text for the terminal: the same figures and words as the screen and the paper. */
export function dayEndText(r: DayEndReport): string {
  const lines = [`收款员日结　${r.opterNo === null ? '全部收款员' : operatorText(r.total.opterNo, r.total.name)}　${dayEndRangeText(r)}　生成于 ${dateTimeText(r.generatedAt)}`];
  for (const { title, figures: o } of dayEndSections(r)) {
    lines.push('', `■ ${title}`);
    for (const c of o.channels) {
      lines.push(`  ${MONEY_CHANNEL_TEXT[c.channel]}：预交金 ${c.depositCount} 笔 ${yuan(c.depositFen)}　补缴 ${c.balanceDueCount} 笔 ${yuan(c.balanceDueFen)}　已退款 ${c.refundCount} 笔 ${yuan(c.refundFen)}${c.voidCount > 0 ? `　作废 ${c.voidCount} 笔 ${yuan(c.voidFen)}` : ''}　净额 ${yuan(c.netFen)}`);
    }
    const s = o.settlements;
    lines.push(`  医保结算：结算 ${s.settledCount} 笔　撤销 ${s.reversedCount} 笔　净 ${s.netCount} 笔　医疗费总额 ${yuan(s.medfeeFen)}　统筹基金 ${yuan(s.fundFen)}　个人账户 ${yuan(s.acctFen)}　个人现金 ${yuan(s.psnCashFen)}`);
    lines.push(`  现金收入 ${yuan(o.cash.inFen)} − 现金退款 ${yuan(o.cash.outFen)} = 应缴现金 ${yuan(o.cash.handInFen)}`);
    const note = handInNote(o.cash.handInFen);
    if (note) lines.push(`  ${note}`);
    if (o.refundsInFlight.count > 0) lines.push(`  退款中 ${o.refundsInFlight.count} 笔 ${yuan(o.refundsInFlight.fen)}（未计入）`);
  }
  if (r.refundsInFlight.length > 0) {
    lines.push('', `${IN_FLIGHT_TITLE}：`);
    for (const f of r.refundsInFlight) lines.push(`  ${lineTimeText(r, f.since)}　${f.iptNo}　${f.receiptNo}　${f.opterNo}　${MONEY_CHANNEL_TEXT[f.channel]}　${yuan(f.amountFen)}　${REFUND_STATE_TEXT[f.state]}`);
  }
  lines.push('', auditChainText(r.auditChain), '金额单位：元。');
  return lines.join('\n');
}
