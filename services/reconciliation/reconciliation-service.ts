import { z } from 'zod';
import type { KioskServices } from '../../contract/api.ts';
import type { ReconciliationReport as ReportSchema } from '../../contract/dto/operations.ts';
import { KioskError } from '../../contract/errors.ts';
import type { Store } from '../../db/store.ts';
import type { Settlement } from '../../db/repositories/settlements.ts';
import type { PlatformClient } from '../../insurance/client/platform-client.ts';
import { toKioskError } from '../../insurance/client/kiosk-errors.ts';
import { fen, fenToYuan } from '../../insurance/client/money.ts';
import { reconcileTotals } from '../../insurance/client/transactions/reconciliation.ts';
import { STMT_RSLT, labelOf } from '../../insurance/codes/index.ts';
import type { TerminalConfig } from '../config/schema.ts';
import type { OperatorPort } from '../context.ts';
import { chinaTime, type Clock } from '../clock.ts';
import type { Logger } from '../logging/logger.ts';
import { compareDetails, type LocalSettlementRow, type PlatformSettlementRow } from './compare.ts';
import { readDetailRows } from './detail-rows.ts';

export interface ReconciliationDeps {
  store: Store;
  config: TerminalConfig;
  platform: PlatformClient;
  operators: OperatorPort;
  clock: Clock;
  log: Logger;
}

type Reconciliation = KioskServices['reconciliation'];
type ReconciliationReport = z.infer<typeof ReportSchema>;

/** Inpatient settlements (2304) clear as clr_type 21 when the platform does not say otherwise. */
const DEFAULT_CLR_TYPE = '21';

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The China calendar day a settlement belongs to: its setl_time (the platform's), else when it was opened. */
function dayOf(s: Settlement): string {
  return s.setlTime?.slice(0, 10) ?? chinaTime(new Date(s.createdAt)).day;
}

function clrTypeOf(s: Settlement): string {
  const v = obj(obj(s.output).setlinfo).clr_type;
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : DEFAULT_CLR_TYPE;
}

/**
 * 日终对账. 3201 per insutype and clr_type with this terminal's totals of the day (settled, not reversed); the
 * platform says 对账平 or 不平. Then 3202 for the day and a settlement-by-settlement comparison (compare.ts)
 * whose mismatches say in Chinese what is wrong and what to do. The day-end report is audited with the
 * audit log's head, so a later truncation of the log can be detected against the printed report.
 */
export function createReconciliationService(deps: ReconciliationDeps): Reconciliation {
  const { store, config } = deps;
  const log = deps.log.child('reconciliation');
  return {
    async run({ date }) {
      const from = Date.parse(`${date}T00:00:00+08:00`);
      // Opened up to a day before (a stay settled after midnight) and recorded up to a day after.
      const all = store.settlements.between(from - 86_400_000, from + 2 * 86_400_000).filter((s) => dayOf(s) === date);
      const settled = all.filter((s) => s.status === 'settled');
      const operator = deps.operators.current();

      const groups = new Map<string, Settlement[]>();
      for (const s of settled) {
        const key = `${s.insutype}|${clrTypeOf(s)}`;
        groups.set(key, [...(groups.get(key) ?? []), s]);
      }
      const totals: ReconciliationReport['totals'] = [];
      try {
        for (const [key, list] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
          const [insutype, clrType] = key.split('|') as [string, string];
          const medfee = list.reduce((n, s) => n + s.medfeeSumamtFen, 0);
          const fund = list.reduce((n, s) => n + s.fundPaySumamtFen, 0);
          const acct = list.reduce((n, s) => n + s.acctPayFen, 0);
          const cash = list.reduce((n, s) => n + s.psnCashPayFen, 0);
          const reply = await reconcileTotals(
            deps.platform,
            {
              insutype,
              clr_type: clrType,
              setl_optins: config.hospital.admdvs,
              stmt_begndate: date,
              stmt_enddate: date,
              medfee_sumamt: fen(medfee),
              fund_pay_sumamt: fen(fund),
              acct_pay: fen(acct),
              fixmedins_setl_cnt: list.length,
            },
            { operator },
          );
          const r = reply.output.stmtinfo;
          totals.push({
            insutype,
            clrType,
            localCount: list.length,
            localFundFen: fund,
            localCashFen: cash,
            platformAgrees: r.stmt_rslt === '0',
            platformMessage: r.stmt_rslt_dscr ?? labelOf(STMT_RSLT, r.stmt_rslt),
          });
        }

        // 3202 through call(): the typed reader keeps only fileinfo; the rows (when the platform sends them inline,
        // as the sandbox does) are read by detail-rows.ts.
        const detail = await deps.platform.call(
          {
            infno: '3202',
            operator,
            input: {
              data: {
                setl_optins: config.hospital.admdvs,
                file_qury_no: '',
                stmt_begndate: date,
                stmt_enddate: date,
                medfee_sumamt: fenToYuan(settled.reduce((n, s) => n + s.medfeeSumamtFen, 0)),
                fund_pay_sumamt: fenToYuan(settled.reduce((n, s) => n + s.fundPaySumamtFen, 0)),
                cash_payamt: fenToYuan(settled.reduce((n, s) => n + s.psnCashPayFen, 0)),
                fixmedins_setl_cnt: String(settled.length),
              },
            },
          },
          z.unknown(),
        );
        const platformRows: PlatformSettlementRow[] | null = readDetailRows(detail.output);
        if (platformRows === null) {
          throw new KioskError('NOT_AVAILABLE', '医保平台以文件形式返回明细对账结果（9102 下载），本终端尚不支持读取该文件。', [
            '总账对账（3201）结果已列出。',
            '请在医保前置机或经办系统中下载并核对明细对账文件。',
          ]);
        }
        const localRows: LocalSettlementRow[] = all.map((s) => ({
          settlementId: s.id,
          iptNo: s.iptNo,
          name: store.persons.get(s.psnNo)?.psnName ?? null,
          setlId: s.setlId,
          msgid: s.msgid,
          mdtrtId: s.mdtrtId,
          status: s.status,
          medfeeFen: s.medfeeSumamtFen,
          fundFen: s.fundPaySumamtFen,
          acctFen: s.acctPayFen,
          cashFen: s.psnCashPayFen,
        }));
        // Pending and failed attempts of other days can still surface on the platform: include them by msgid.
        const unresolved = store.settlements
          .between(from - 7 * 86_400_000, from + 2 * 86_400_000)
          .filter((s) => (s.status === 'pending' || s.status === 'failed') && dayOf(s) !== date)
          .map((s): LocalSettlementRow => ({ settlementId: s.id, iptNo: s.iptNo, name: null, setlId: s.setlId, msgid: s.msgid, mdtrtId: s.mdtrtId, status: s.status, medfeeFen: 0, fundFen: 0, acctFen: 0, cashFen: 0 }));
        const mismatches = compareDetails([...localRows, ...unresolved], platformRows);
        const report = { date, totals, mismatches };
        store.write((tx) =>
          store.audit.append(tx, {
            actor: `opter:${operator.opter}`,
            action: 'reconciliation.run',
            subject: `day:${date}`,
            detail: { groups: totals.length, agree: totals.every((t) => t.platformAgrees), mismatches: mismatches.map((m) => ({ kind: m.kind, setlId: m.setlId, msgid: m.msgid })), auditHead: store.audit.head() },
          }),
        );
        log.info('day-end reconciliation', { date, groups: totals.length, mismatches: mismatches.length });
        return report;
      } catch (e) {
        if (e instanceof KioskError) throw e;
        throw toKioskError(e);
      }
    },
  };
}

