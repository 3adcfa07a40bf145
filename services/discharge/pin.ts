import type { Admission } from '../../db/repositories/admissions.ts';

/**
 * The patient's PIN before 2304, where the platform asks for it (nhsa-interface.md §2: some regions require
 * the card PIN for 2304; Jiangsu's card library has VerifyPIN with CARD_PASSTYPE 1 = card PIN). The PIN is
 * checked against the card in the reader (VERIFY, sscard.md §1.4) by the injected verifier. It is never
 * stored, logged or sent to the platform.
 *
 * How the platform asks: a flag in the 2303 answer's setlinfo `exp_content` (a JSON string or object, the
 * interface's extension field). No public source names the field; we accept the spellings below and document
 * them (docs/settlement.md). A platform that does not ask gets no PIN prompt.
 */
export interface PinVerifier {
  /** final: no PIN can succeed now (the card blocked it): settlement is refused, not asked again. */
  verify(adm: Admission, pin: string): Promise<{ ok: true } | { ok: false; message: string; guidance: string[]; final?: boolean }>;
}

const FLAGS = ['pwd_chk_flag', 'psw_chk_flag', 'pin_chk_flag', 'pin_required'];

export function platformAsksPin(raw2303: unknown): boolean {
  const setlinfo = obj(obj(raw2303).setlinfo);
  for (const key of ['exp_content', 'expContent']) {
    let ext: unknown = setlinfo[key];
    if (typeof ext === 'string') {
      try {
        ext = JSON.parse(ext);
      } catch {
        continue;
      }
    }
    const e = obj(ext);
    if (FLAGS.some((f) => e[f] === '1' || e[f] === 1 || e[f] === true)) return true;
  }
  return false;
}

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
