import type { KioskServices } from '../../contract/api.ts';
import type { RefundView } from '../../contract/dto/refunds.ts';
import { KioskError } from '../../contract/errors.ts';
import type { ServiceContext } from '../context.ts';
import { counterRefundHandedOut, refusedRefundToCash } from './refund-progress.ts';
import { refundView } from './refund-views.ts';

type RefundContext = Pick<ServiceContext, 'config' | 'store' | 'operators'>;

/**
 * The KioskApi `refunds` group: what is owed to a patient and how far it got (退款中 / 已退 / 待人工处理).
 * Reads are the same for every screen; the two moves a person makes (the cashier handing out cash, an
 * operator turning a refused gateway refund into cash) need a signed-in staff member, never a kiosk.
 */
export function createRefundGroup(ctx: RefundContext): KioskServices['refunds'] {
  const { store, config } = ctx;
  const view = (id: number): RefundView => {
    const r = store.money.refund(id);
    if (!r) throw notFound(id);
    return refundView(store, config, r);
  };
  return {
    forAdmission: async ({ admissionId }) => store.money.refunds(admissionId).map((r) => refundView(store, config, r)),
    open: async () => store.money.openRefunds().map((r) => refundView(store, config, r)),
    confirmHandedOut: async ({ refundId, posRef }) => {
      const cashier = ctx.operators.requireStaff();
      const id = idOf(refundId);
      const r = store.write((tx) => counterRefundHandedOut(tx, store, id, cashier.opterNo, posRef?.trim() || null));
      if (!r.ok && r.why === 'not-found') throw notFound(id);
      if (!r.ok && r.why === 'not-counter') throw new KioskError('REFUND_STATE', '该笔退款经支付宝原路退回，由支付平台确认，不能手工确认', ['请等待支付平台确认；被拒绝的退款可在待处理队列改为窗口退现金']);
      if (!r.ok) throw new KioskError('REFUND_STATE', '该笔退款不在“退款中”状态，无需确认', ['请刷新后查看退款状态']);
      return view(id);
    },
    toCash: async ({ refundId, reason }) => {
      const operator = ctx.operators.requireStaff();
      const id = idOf(refundId);
      const r = store.write((tx) => refusedRefundToCash(tx, store, id, operator.opterNo, reason.trim()));
      if (!r) throw new KioskError('REFUND_STATE', '只有退款失败、待人工处理的退款可以改为窗口退现金', []);
      return view(id);
    },
  };
}

function idOf(s: string): number {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n <= 0) throw new KioskError('INVALID_ARGUMENT', `退款编号 ${s} 无效`, []);
  return n;
}

function notFound(id: number): KioskError {
  return new KioskError('REFUND_NOT_FOUND', `未找到编号为 ${id} 的退款`, ['请刷新后重试']);
}
