import { describe, expect, it } from 'vitest';
import type { RefundView } from '../../../contract/dto/refunds.ts';
import { patientRefundSentence, refundSentence } from '../../../contract/refund-text.ts';

const base: RefundView = {
  refundId: '1',
  admissionId: 'ZY2026000001',
  settlementId: '3',
  reason: 'settlement',
  amountFen: 123_456,
  method: 'alipay',
  state: 'refunding',
  receiptNo: 'TK-ZY2026000001-3',
  requestedAt: '2026-11-20 10:00:00',
  doneAt: null,
  doneBy: null,
  counterWindow: null,
  posRef: null,
  note: null,
  gateway: [{ outTradeNo: 'H1', tradeNo: '2026112022000000000001', outRequestNo: 'H1S3', amountFen: 123_456, state: 'pending' }],
};

// One sentence per state, the same on the counter, the kiosk and the 退费凭条: never 已退 before it is.
describe('refund words', () => {
  it('支付宝: 退款中 with the trade and request numbers until confirmed, then 已退', () => {
    expect(refundSentence(base, '1,234.56 元')).toBe('退款中：1,234.56 元 正在原路退回支付宝账户，支付平台确认后到账（交易号 2026112022000000000001，退款请求号 H1S3）。');
    expect(refundSentence({ ...base, state: 'refunded' }, '1,234.56 元')).toMatch(/^已退：1,234.56 元 已原路退回支付宝账户（交易号 /);
  });

  it('cash: where to collect it while 退款中, where it was handed out once 已退; a card refund names its POS reference', () => {
    const cash = { ...base, method: 'cash' as const, gateway: [], counterWindow: '住院收费处3号窗口' };
    expect(refundSentence(cash, '10.00 元')).toBe('退款中：10.00 元 请带好预交金收据到住院收费处3号窗口领取现金退款。');
    expect(refundSentence({ ...cash, state: 'refunded' }, '10.00 元')).toBe('已退：10.00 元 已在住院收费处3号窗口以现金退还。');
    expect(refundSentence({ ...cash, method: 'bank-card', state: 'refunded', posRef: 'POS123' }, '10.00 元')).toContain('POS 参考号 POS123');
  });

  it('refused: 退款失败，待人工处理 with the gateway’s reason, never 已退', () => {
    const s = refundSentence({ ...base, state: 'attention', note: '支付平台拒绝退款：ACQ.TRADE_HAS_FINISHED 交易已完结' }, '1.00 元');
    expect(s).toMatch(/^退款失败，待人工处理：1.00 元（支付平台拒绝退款：ACQ.TRADE_HAS_FINISHED/);
    expect(s).not.toContain('已退');
  });

  it('the patient\'s sentence: a refused refund says where to ask, without the gateway\'s reason; other states as the counter says them', () => {
    const refused = { ...base, state: 'attention' as const, counterWindow: '住院收费处3号窗口', note: '支付平台拒绝退款：ACQ.SELLER_BALANCE_NOT_ENOUGH 卖家余额不足' };
    expect(patientRefundSentence(refused, '1.00 元')).toBe('退款暂未完成：1.00 元，请到住院收费处3号窗口咨询，工作人员会为您处理。');
    expect(patientRefundSentence(base, '1,234.56 元')).toBe(refundSentence(base, '1,234.56 元'));
  });
});
