import type { EligibilityDecision } from '../../contract/dto/eligibility.ts';
import { decodeEVoucher, ecQueryUrlFor } from '../../insurance/client/ec-query.ts';
import { KioskError } from '../../contract/errors.ts';
import { openEncryptedStore } from '../../db/store-key.ts';
import { terminalKeyStore } from '../security/key-store.ts';
import type { SocialSecurityCard } from '../../drivers/sscard/social-security-card.ts';
import { selfServiceOperator, staffOperator } from '../../insurance/client/envelope.ts';
import { PlatformClient } from '../../insurance/client/platform-client.ts';
import { Sandbox5311Filings } from '../../insurance/client/transactions/filings.ts';
import { systemClock, type Clock } from '../../base/clock.ts';
import type { LoadedConfig } from '../config/load.ts';
import type { OperatorPort } from '../context.ts';
import type { Logger } from '../logging/logger.ts';
import { EligibilityService, type EligibilityRequestArgs } from './service.ts';

/**
 * An eligibility check outside the terminal (the `kiosk eligibility` command): the same service, store and
 * client, without readers, relay or screens. The card, when there is one, is read by the caller.
 */
export interface EligibilityChecker {
  check(args: EligibilityRequestArgs, card?: SocialSecurityCard): Promise<EligibilityDecision>;
  close(): Promise<void>;
}

export function openEligibilityChecker(options: {
  loaded: LoadedConfig;
  platformUrl: string;
  log: Logger;
  clock?: Clock;
  /** Staff operator to sign in as; default the terminal itself (opter_type 2). */
  operator?: { opterNo: string; name: string };
}): EligibilityChecker {
  const { config } = options.loaded;
  const clock = options.clock ?? systemClock;
  const store = openEncryptedStore(options.loaded.storePath, terminalKeyStore(options.loaded.storePath, config), { clock, fixmedinsCode: config.hospital.code });
  const operator = options.operator ? staffOperator(options.operator.opterNo, options.operator.name) : selfServiceOperator(config.terminal.selfServiceOpterNo, config.terminal.name);
  const platform = new PlatformClient(
    {
      url: options.platformUrl,
      fixmedinsCode: config.hospital.code,
      fixmedinsName: config.hospital.name,
      mdtrtareaAdmvs: config.hospital.admdvs,
      infver: config.platform.infver,
      recerSysCode: config.platform.recerSysCode,
      operator,
      csb: config.platform.csb,
    },
    { msgids: store.msgids, signIns: store.signInCache, reversals: store.reversals, clock },
  );
  const operators: OperatorPort = {
    current: () => operator,
    staff: () => (options.operator ? { ...options.operator } : null),
    requireStaff: () => {
      if (!options.operator) throw new KioskError('NOT_SIGNED_IN', '未指定操作员', ['请用 --opter 指定工号']);
      return { ...options.operator };
    },
  };
  let card: SocialSecurityCard | null = null;
  const service = new EligibilityService(
    { config, clock, log: options.log, store, platform, filings: new Sandbox5311Filings(platform), operators },
    {
      card: () => {
        if (!card) throw new KioskError('CARD_ABSENT', '尚未读取社保卡', ['请用 --serial 指定读卡器']);
        return card;
      },
      idCard: () => {
        throw new KioskError('NOT_AVAILABLE', '命令行核验不读身份证', ['请用 kiosk read-idcard 读出身份证号，再以 --cert-type 02 --cert-no 核验']);
      },
      decodeQr: (qrCode) =>
        decodeEVoucher(ecQueryUrlFor(options.platformUrl, config.platform.ecQueryUrl), {
          orgId: config.hospital.code,
          scene: 'admission',
          qrCode,
          operator: { id: operator.opter, name: operator.opter_name },
          selfService: false,
        }),
    },
  );
  return {
    async check(args, read) {
      card = read ?? null;
      return service.check(args);
    },
    async close() {
      platform.close();
      store.close();
    },
  };
}
