import { describe, expect, it } from 'vitest';
import { refundText } from '../../../renderer/self-service/refund-text.ts';

describe('refund wording follows how the deposit was paid', () => {
  it('cash: collected at the cashier window with the receipt, never "按原支付方式退回"', () => {
    const t = refundText('3,000.00 元', ['cash'], '住院收费处');
    expect(t).toContain('住院收费处');
    expect(t).toContain('现金');
    expect(t).not.toContain('原支付方式');
  });
  it('one electronic channel: back the same way, named', () => {
    expect(refundText('1.00 元', ['alipay'], '住院收费处')).toContain('原路退回到您缴纳预交金时使用的支付宝');
  });
  it('several channels, or none known: at the window', () => {
    expect(refundText('1.00 元', ['cash', 'wechat'], '一楼收费处')).toContain('现金、微信缴纳，请带好预交金收据到一楼收费处');
    expect(refundText('1.00 元', undefined, '一楼收费处')).toContain('到一楼收费处办理退款');
  });
});
