import { randomBytes } from 'node:crypto';
import { chinaTime } from '../../base/china-time.ts';

/**
 * A new out_trade_no: hospital code + China time to the second + 8 random hex digits (≤ 64 of [A-Za-z0-9_],
 * as Alipay requires). Unique in the store by its primary key; the random part keeps terminals of one hospital
 * apart without a shared counter.
 */
export function newOutTradeNo(hospitalCode: string, now: Date): string {
  return `${hospitalCode}${chinaTime(now).compact}${randomBytes(4).toString('hex').toUpperCase()}`;
}
