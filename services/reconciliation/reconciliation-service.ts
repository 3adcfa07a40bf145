import { z } from 'zod';
import type { KioskServices } from '../../contract/api.ts';
import { KioskError } from '../../contract/errors.ts';
import type { ReconciliationReport as ReportSchema } from '../../contract/dto/operations.ts';
import type { Store } from '../../db/store.ts';
import type { PlatformClient } from '../../insurance/client/platform-client.ts';
import { toKioskError } from '../../insurance/client/kiosk-errors.ts';
import { fen, fenToYuan } from '../../base/fen.ts';
import { reconcileTotals } from '../../insurance/client/transactions/reconciliation.ts';
import { STMT_RSLT, labelOf } from '../../insurance/codes/index.ts';
import type { TerminalConfig } from '../config/schema.ts';
import type { OperatorPort } from '../context.ts';
import type { Clock } from '../../base/clock.ts';
import type { Logger } from '../logging/logger.ts';
import { checkAuditChain } from '../security/audit-head.ts';
import { compareDetails } from './compare.ts';
import { readDetailRows } from './detail-rows.ts';
import { dayRecords, type DayRecord } from './local-records.ts';
import { dayEndReport } from './day-end-report.ts';

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

const sum = (rs: readonly DayRecord[], f: (r: DayRecord) => number) => rs.reduce((n, r) => n + f(r), 0);

/**
 * 日终对账 for one China calendar day.
 * 1. 3201 per insutype and clr_type with this terminal's records of the day (settlements, and reversals as
 *    negative records, as the platform counts them); the platform answers 对账平 or 不平 with the figures.
 * 2. 3202 for the day with the terminal's rows; the platform's records come back (the sandbox sends them
 *    inline) and are compared record by record (compare.ts): a settlement present on the platform but missing
 *    here, one here the platform lacks, amounts that differ, an unknown outcome the platform did commit.
 * The report is audited, then the audit chain is verified and its head printed on the report and sent to the
 * hospital's syslog (a later rewrite or truncation of the log then shows against that copy).
 *
 * setl_optins: we send none (all 结算经办机构 of the day together) so that one 3201 covers an insutype and
 * clr_type as the desk reads the day; a platform that insists on one agency per call needs a loop over the
 * settlements' clr_optins here.
 */
export function createReconciliationService(deps: ReconciliationDeps): Reconciliation {
  const { store } = deps;
  const log = deps.log.child('reconciliation');
  return {
    dayEnd: (q) => dayEndReport({ store, config: deps.config, clock: deps.clock, log: deps.log }, q),

    async run({ date }) {
      const records = dayRecords(store, date);
      const counted = records.filter((r) => r.status === 'settled' || r.status === 'reversed');
      const operator = deps.operators.current();
      const groups = new Map<string, DayRecord[]>();
      for (const r of counted) groups.set(`${r.insutype}|${r.clrType}`, [...(groups.get(`${r.insutype}|${r.clrType}`) ?? []), r]);
      try {
        const totals: ReconciliationReport['totals'] = [];
        for (const [key, list] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
          const [insutype, clrType] = key.split('|') as [string, string];
          const reply = await reconcileTotals(
            deps.platform,
            {
              insutype,
              clr_type: clrType,
              setl_optins: '',
              stmt_begndate: date,
              stmt_enddate: date,
              medfee_sumamt: fen(sum(list, (r) => r.medfeeFen)),
              fund_pay_sumamt: fen(sum(list, (r) => r.fundFen)),
              acct_pay: fen(sum(list, (r) => r.acctFen)),
              fixmedins_setl_cnt: list.length,
            },
            { operator },
          );
          const r = reply.output.stmtinfo;
          totals.push({
            insutype,
            clrType,
            localCount: list.length,
            localFundFen: sum(list, (x) => x.fundFen),
            localCashFen: sum(list, (x) => x.cashFen),
            platformAgrees: r.stmt_rslt === '0',
            platformMessage: r.stmt_rslt_dscr ?? labelOf(STMT_RSLT, r.stmt_rslt),
          });
        }

        // 3202 through call(): the typed reader keeps only fileinfo; detail-rows.ts reads the records.
        const detail = await deps.platform.call(
          {
            infno: '3202',
            operator,
            input: {
              data: {
                setl_optins: '',
                file_qury_no: '',
                stmt_begndate: date,
                stmt_enddate: date,
                medfee_sumamt: fenToYuan(sum(counted, (r) => r.medfeeFen)),
                fund_pay_sumamt: fenToYuan(sum(counted, (r) => r.fundFen)),
                cash_payamt: fenToYuan(sum(counted, (r) => r.cashFen)),
                fixmedins_setl_cnt: String(counted.length),
                // The hospital's rows (nationally a file uploaded with 9101; the sandbox takes them inline).
                detail: counted
                  .filter((r) => r.setlId)
                  .map((r) => ({
                    setl_id: r.setlId,
                    psn_no: '',
                    medfee_sumamt: fenToYuan(r.medfeeFen),
                    fund_pay_sumamt: fenToYuan(r.fundFen),
                    acct_pay: fenToYuan(r.acctFen),
                    refd_setl_flag: r.kind === 'refund' ? '1' : '0',
                  })),
              },
            },
          },
          z.unknown(),
        );
        const platformRecords = readDetailRows(detail.output);
        if (platformRecords === null) {
          throw new KioskError('NOT_AVAILABLE', '医保平台以文件形式返回明细对账结果（9102 下载），本终端尚不支持读取该文件。', [
            '请在医保前置机或经办系统中下载并核对明细对账文件。',
          ]);
        }
        const mismatches = compareDetails(records, platformRecords);
        store.write((tx) =>
          store.audit.append(tx, {
            actor: `opter:${operator.opter}`,
            action: 'reconciliation.run',
            subject: `day:${date}`,
            detail: {
              groups: totals.map((t) => ({ insutype: t.insutype, clrType: t.clrType, count: t.localCount, agrees: t.platformAgrees })),
              mismatches: mismatches.map((m) => ({ kind: m.kind, setlId: m.setlId, msgid: m.msgid })),
              auditHead: store.audit.head(),
            },
          }),
        );
        // The chain verified (keyed chain and sealed money rows) after this run's row; its head goes on the
        // report and to the hospital's syslog.
        const auditChain = await checkAuditChain({ store, config: deps.config, log, now: deps.clock.now() }, 'day-end');
        const report: ReconciliationReport = { date, totals, mismatches, auditChain };
        log.info('day-end reconciliation', { date, groups: totals.length, mismatches: mismatches.length });
        return report;
      } catch (e) {
        if (e instanceof KioskError) throw e;
        throw toKioskError(e);
      }
    },
  };
}
