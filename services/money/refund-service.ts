import type { KioskServices } from '../../contract/api.ts';
import type { RefundView } from '../../contract/dto/refunds.ts';
import { KioskError } from '../../contract/errors.ts';
import type { ServiceContext } from '../context.ts';
import { counterRefundHandedOut, GATEWAY_RETRY, refusedRefundToCash, retryRefusedAtGateway, type GatewayRetryPace } from './refund-progress.ts';
import { refundView } from './refund-views.ts';

type RefundContext = Pick<ServiceContext, 'config' | 'store' | 'operators'> & {
  /** Sends a gateway refund queued now at once instead of at the payment loop's next sweep (services/terminal.ts). */
  onGatewayRefundQueued?: () => void;
  /** How often and how far apart a refused gateway refund may be asked again (tests shorten the gap). */
  gatewayRetry?: GatewayRetryPace;
};

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
    retryAtGateway: async ({ refundId }) => {
      const operator = ctx.operators.requireStaff();
      const id = idOf(refundId);
      const pace = ctx.gatewayRetry ?? GATEWAY_RETRY;
      const r = store.write((tx) => retryRefusedAtGateway(tx, store, id, operator.opterNo, pace));
      if (r.ok) {
        ctx.onGatewayRefundQueued?.();
        return view(id);
      }
      switch (r.why) {
        case 'not-found':
          throw notFound(id);
        case 'not-refused':
          throw new KioskError('REFUND_STATE', '只有支付平台拒绝、待人工处理的退款可以重新发起', ['请刷新后查看退款状态']);
        case 'not-gateway':
          throw new KioskError('REFUND_STATE', '该笔退款不经支付平台，不能重新发起', ['现金或银行卡退款请在窗口办理并确认']);
        case 'cap-reached':
          throw new KioskError('REFUND_STATE', `该笔退款已重新发起 ${pace.max} 次，不再向支付平台重试`, ['请联系财务核实商户账户后，改为窗口退现金']);
        case 'too-soon':
          throw new KioskError('REFUND_STATE', `刚刚向支付平台发起过，请 ${Math.ceil(r.waitMs / 1000)} 秒后再试`, ['重新发起前，请先确认退款失败的原因已处理（如商户账户余额已补足）']);
      }
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
