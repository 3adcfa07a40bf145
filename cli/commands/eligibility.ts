import { parseCliArgs, UsageError } from '../args.ts';
import type { CliCommand } from '../command.ts';
import type { Credential, EligibilityDecision } from '../../contract/dto/eligibility.ts';
import { KioskError } from '../../contract/errors.ts';
import { maskName } from '../../contract/mask.ts';
import { toKioskError as driverError } from '../../drivers/kiosk-errors.ts';
import { openSerialCardReader } from '../../drivers/reader-manager/card-reader.ts';
import type { SocialSecurityCard } from '../../drivers/sscard/social-security-card.ts';
import { loadConfig } from '../../services/config/load.ts';
import { openEligibilityChecker } from '../../services/eligibility/standalone.ts';
import { createLogger } from '../../services/logging/logger.ts';

const usage = `kiosk eligibility --serial <path> [--wait <s>] [options]
kiosk eligibility --cert-type 01|02|03 --cert-no <no> [--card-sn <sn>] [options]

医保资格核验: who the person is (1101), the insurance to use, 异地就医 filings, 2001 and 5303, decided by the
rules of settlement-rules §1–3 — the same check the admission desk makes. Prints the decision: direct
settlement or not, scope, case, ratio reduction, every reason and the guidance, in Chinese (names and ID
numbers masked).

  --serial <path>          read the 社保卡 in this serial reader (e.g. the virtual reader's /dev/pts/N)
  --wait <seconds>         with --serial: wait this long for a card to be inserted (default 0)
  --cert-type 01|02|03     01 医保电子凭证 token, 02 居民身份证, 03 社会保障卡 (needs --card-sn)
  --cert-no <no>           the token, ID number or card number
  --card-sn <sn>           卡识别码 (32 hex) with --cert-type 03
  --insutype <code>        the insurance to use when the person has several (310, 390 …)
  --emergency              an emergency admission (急诊入院, counts as filed)
  --platform <url>         the platform (default: platform.url of the configuration)
  --opter <no> --opter-name <name>   sign in as this staff operator (default: the terminal, opter_type 2)
  --config <file>          configuration file (default KIOSK_CONFIG)
  --json                   print the EligibilityDecision as JSON; on failure {"error":{code,message,guidance}}`;

export const eligibilityCommand: CliCommand = {
  name: 'eligibility',
  summary: '医保资格核验 — check a card, e-voucher or ID number against the platform and the 异地就医 rules',
  usage,
  async run(argv) {
    const { values } = parseCliArgs(argv, {
      serial: { type: 'string' },
      wait: { type: 'string' },
      'cert-type': { type: 'string' },
      'cert-no': { type: 'string' },
      'card-sn': { type: 'string' },
      insutype: { type: 'string' },
      emergency: { type: 'boolean', default: false },
      platform: { type: 'string' },
      opter: { type: 'string' },
      'opter-name': { type: 'string' },
      config: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const byCard = values.serial !== undefined;
    const byNumber = values['cert-type'] !== undefined || values['cert-no'] !== undefined;
    if (byCard === byNumber) throw new UsageError('give --serial <path>, or --cert-type and --cert-no');
    let credential: Credential = { kind: 'card' };
    if (byNumber) {
      const certType = values['cert-type'];
      if (certType !== '01' && certType !== '02' && certType !== '03') throw new UsageError('--cert-type must be 01, 02 or 03');
      if (!values['cert-no']) throw new UsageError('--cert-no is required');
      credential = { kind: 'id', certType, certNo: values['cert-no'], ...(values['card-sn'] ? { cardSn: values['card-sn'] } : {}) };
    }
    const waitSeconds = values.wait === undefined ? 0 : Number(values.wait);
    if (!Number.isFinite(waitSeconds) || waitSeconds < 0 || waitSeconds > 600) throw new UsageError('--wait must be 0..600 seconds');
    if (Boolean(values.opter) !== Boolean(values['opter-name'])) throw new UsageError('give --opter and --opter-name together');

    const loaded = loadConfig({ path: values.config });
    const platformUrl = values.platform ?? loaded.config.platform.url;
    if (!platformUrl) throw new UsageError('no platform: set platform.url in the configuration or pass --platform <url> (for the sandbox: `kiosk sandbox` prints its URL)');
    const checker = openEligibilityChecker({
      loaded,
      platformUrl,
      log: createLogger({ scope: 'eligibility', level: process.env.KIOSK_DEBUG ? 'debug' : 'warn' }),
      ...(values.opter && values['opter-name'] ? { operator: { opterNo: values.opter, name: values['opter-name'] } } : {}),
    });
    try {
      const card = byCard ? await readCard(values.serial as string, waitSeconds * 1000) : undefined;
      const decision = await checker.check({ credential, insutype: values.insutype, admissionType: values.emergency ? 'emergency' : 'normal' }, card);
      if (values.json) console.log(JSON.stringify(decision, null, 2));
      else console.log(formatDecision(decision));
      return 0;
    } catch (err) {
      const error = err instanceof KioskError ? err : driverError(err);
      if (values.json) console.log(JSON.stringify({ error: { code: error.code, message: error.message, guidance: error.guidance } }));
      else {
        console.error(`核验失败 [${error.code}] ${error.message}`);
        for (const g of error.guidance) console.error(`  · ${g}`);
      }
      return 1;
    } finally {
      await checker.close();
    }
  },
};

async function readCard(path: string, waitMs: number): Promise<SocialSecurityCard> {
  const reader = await openSerialCardReader(path);
  try {
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        return (await reader.read()).card;
      } catch (err) {
        const e = driverError(err);
        if (e.code !== 'CARD_ABSENT' || Date.now() >= deadline) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    await reader.close().catch(() => undefined);
  }
}

const SCOPE: Record<EligibilityDecision['scope'], string> = { local: '本地', 'in-province': '省内异地', 'cross-province': '跨省异地' };
const CASE: Record<NonNullable<EligibilityDecision['visitCase']>, string> = {
  local: '本地就医',
  emergency: '急诊（视同备案）',
  'filed-long-term': '长期异地备案',
  'filed-referral': '转诊备案',
  'filed-temporary': '临时外出就医备案',
  unfiled: '未备案',
};

export function formatDecision(d: EligibilityDecision): string {
  const lines = [
    `${maskName(d.person.displayName)}  ${d.person.displayCertNo}  人员编号 ${d.person.psnNo}  参保地 ${d.person.insuplcName}（${d.person.insuplcAdmdvs}）`,
    `险种：${d.insurances.map((i) => `${i.insutype} ${i.label}`).join('；') || '无'}${d.chosenInsutype ? `  → 本次按 ${d.chosenInsutype}` : ''}`,
    d.needsInsutypeChoice
      ? '结论：需选择险种（--insutype）'
      : `结论：${d.direct ? '可以医保直接结算' : '不能医保直接结算'}  范围 ${SCOPE[d.scope]}  类别 ${d.visitCase ? CASE[d.visitCase] : '—'}  比例降低 ${Math.round(d.reduction * 100)} 个百分点${d.cached ? '  （离线缓存结果）' : ''}`,
    '原因：',
    ...d.reasons.map((r) => `  · ${r.text}`),
  ];
  if (d.conflicts.length) lines.push('冲突：', ...d.conflicts.map((c) => `  ! ${c.text}`));
  if (d.guidance.length) lines.push('下一步：', ...d.guidance.map((g) => `  → ${g.text}`));
  lines.push(`核验编号 ${d.checkId}  ${d.checkedAt}`);
  return lines.join('\n');
}
