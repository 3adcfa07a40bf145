import { KioskError } from '../../contract/errors.ts';
import type { PinCheck } from '../../drivers/sscard/verify-pin.ts';
import type { Admission } from '../../db/repositories/admissions.ts';
import type { PinVerifier } from './pin.ts';

/** Where the card is: the session's card readers (terminal.ts), asked for a VERIFY of the card they hold. */
export type CardPinCheck = (pin: string) => Promise<PinCheck>;
/** Is the card read in this session the stay's patient's (its 社会保障号码 is the person's ID number)? */
export type CardHolderCheck = (adm: Admission) => boolean;

/**
 * The PIN the platform asks for at settlement, checked by the patient's own card (VERIFY, sscard.md §1.4):
 * first the card read in this session must be the stay's patient's (at the counter the cashier opens any stay,
 * and another person's card and PIN must not settle it), then the card counts the tries. The answers are the patient's next step in Chinese; the PIN
 * itself goes no further than the APDU. A terminal without a card reader cannot check a PIN (null).
 */
export function cardPinVerifier(check: CardPinCheck | null, isHolder: CardHolderCheck): PinVerifier | null {
  if (!check) return null;
  return {
    async verify(adm, pin) {
      if (!isHolder(adm)) {
        return { ok: false, message: '读卡器中不是本次结算患者本人的社会保障卡。', guidance: ['请取出该卡，插入患者本人的社会保障卡，等读卡完成后再输入密码。'] };
      }
      let answer: PinCheck;
      try {
        answer = await check(pin);
      } catch (err) {
        if (err instanceof KioskError && (err.code === 'CARD_ABSENT' || err.code === 'CARD_REMOVED')) {
          return { ok: false, message: '请插入本人社会保障卡后再输入密码。', guidance: ['密码由社会保障卡核对：请将卡插入读卡器，再输入6位密码。'] };
        }
        const message = err instanceof KioskError ? err.message : '读卡器暂时无法核对密码';
        return { ok: false, message: `${message}，本次未结算。`, guidance: ['请重新插卡后再试；仍不行请到出院结算窗口办理。'] };
      }
      if (answer.kind === 'ok') return { ok: true };
      if (answer.kind === 'wrong') {
        return {
          ok: false,
          message: `社会保障卡密码错误，还可尝试${answer.triesLeft}次。`,
          guidance: answer.triesLeft === 1 ? ['再错一次密码将被锁定；忘记密码请到社保卡服务网点重置，或到出院结算窗口办理。'] : ['请重新输入6位密码。'],
        };
      }
      return { ok: false, final: true, message: '社会保障卡密码已锁定，本次未结算。', guidance: ['请持身份证到社保卡服务网点解锁，或到出院结算窗口办理出院结算。'] };
    },
  };
}
