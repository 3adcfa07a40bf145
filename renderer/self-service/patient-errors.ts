import type { ShownError } from '../app/errors.ts';
import { noticeOf, type Untoward } from '../app/outcomes.ts';

const AT_COUNTER = '请到出院结算窗口办理，工作人员会为您处理。';

/**
 * The services word some errors for staff ("请先导入或录入费用", "点击“继续结算”", the queue): at the kiosk a
 * patient can act on none of that. Those become what the patient can do; every other error passes unchanged.
 */
export function forPatient(e: ShownError): ShownError {
  switch (e.code) {
    case 'CHARGES_MISSING':
      return { code: e.code, message: '您的住院费用还没有全部录入，暂时不能在自助机上结算。', guidance: [AT_COUNTER] };
    case 'ADMISSION_STATE':
    case 'FEE_LINE_INVALID':
    case 'QUEUE_ITEM_NOT_FOUND':
    case 'QUEUE_ITEM_STATE':
      return { code: e.code, message: '您的住院记录暂时不能在自助机上结算。', guidance: [AT_COUNTER] };
    case 'PLATFORM_OFFLINE':
    case 'NOT_SIGNED_IN': // the kiosk's own 9001 sign-in: nothing a patient can do about it
      // The staff wording names the hospital's emergency procedure; a patient can only wait or ask a person.
      return { code: e.code, message: '医保平台暂时无法连接，暂时不能在自助机上办理。', guidance: ['请稍后再试。', '急需办理请到人工窗口，工作人员会为您处理。'] };
    case 'SETTLEMENT_NEEDS_PLATFORM':
      // The counter's words ("届时再办理", "请不要让患者重复缴费", the terminal's upload) are for the cashier. True
      // for the patient whatever the terminal holds: nothing is settled now; a later visit shows what it came to
      // (a settlement the terminal finished meanwhile, one still being checked, or the pre-settlement again).
      return { code: e.code, message: '医保平台暂时无法连接，本次结算还没有完成。', guidance: ['请不要重复缴费，您的费用和住院信息都已保存。', '请稍后再插卡查看或办理；急需办理请到出院结算窗口。'] };
    case 'PLATFORM_OUTCOME_UNKNOWN':
      return { code: e.code, message: '结算结果正在与医保平台核实，请不要重复缴费。', guidance: ['核实完成前不会重复结算。', '请到出院结算窗口询问结果。'] };
    default:
      return e;
  }
}

/**
 * An outcome of the kiosk's own check-in or settlement, as the patient reads it. A refusal says who said no
 * (contract/dto/common.ts RefusalKind) and its text is for staff: the platform's (the queue, 医保办, "请不要让患者
 * 先全额缴费") and changed figures ("请患者再次确认") become what the patient can do; the card's words are the
 * patient's already. A thrown error's PLATFORM_REFUSED (a lost card at eligibility) is the patient's too, so the
 * value's kind decides here, not the code.
 */
export function outcomeForPatient(o: Untoward): ShownError {
  if (o.outcome === 'refused' && o.kind === 'platform') {
    return { code: 'PLATFORM_REFUSED', message: '医保平台没有受理本次办理，暂时不能在自助机上完成。', guidance: ['请到人工窗口办理，工作人员会为您处理。'] };
  }
  if (o.outcome === 'refused' && o.kind === 'confirm-again') {
    return { code: 'SETTLEMENT_CHANGED', message: '您的住院费用或预交金刚刚有变化，本次没有结算。', guidance: ['请重新插卡，核对新的费用后再确认结算。', AT_COUNTER] };
  }
  return forPatient(noticeOf(o));
}
