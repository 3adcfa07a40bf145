import { chinaDateTime } from '../../base/china-time.ts';
import type { DepositView, StayDeposits, VoidDeposit } from '../../contract/dto/payments.ts';
import { heldFen } from '../money/stay-figures.ts';
import { KioskError } from '../../contract/errors.ts';
import type { Deposit, DepositVoid } from '../../db/repositories/money.ts';
import type { Store } from '../../db/store.ts';
import type { ServiceContext } from '../context.ts';

type VoidContext = Pick<ServiceContext, 'store' | 'operators' | 'log'>;

/**
 * 作废 of a mistaken cash or bank-card POS 预交金 (docs/payments.md, "Voiding a deposit collection"): the amount
 * typed wrong at the desk. A supervisor voids it with a reason; the void is a row of its own (deposit_voids,
 * sealed in the audit chain) plus an audit entry under the supervisor, and the deposit row is never changed.
 * From then on the stay's 预交金 leaves it out (MoneyRepository.deposits), and the cashier's day-end counts the
 * void on the day it was made, in the drawer of the cashier who took the deposit.
 *
 * Refused: to anyone but a supervisor; for money through the payment gateway (it goes back by its order, a
 * refund); for 补缴 (collected toward a settlement); once the deposit was used in a settlement (pending or
 * settled: reverse the settlement first); once it was refunded (the stay cancelled); and a second time.
 */
export function stayDeposits(store: Store, iptNo: string): StayDeposits {
  return store.read(() => ({
    admissionId: iptNo,
    depositsFen: store.money.depositTotalFen(iptNo),
    heldFen: heldFen(store, iptNo),
    deposits: store.money.everyDeposit(iptNo).map((d) => depositView(store, d)),
  }));
}

export function voidDeposit(ctx: VoidContext, args: VoidDeposit): StayDeposits {
  const { store } = ctx;
  const me = ctx.operators.requireStaff();
  const id = depositIdOf(args.depositId);
  const reason = args.reason.trim();
  const account = store.accounts.get(me.opterNo);
  if (!account || account.disabled || !account.roles.includes('supervisor')) {
    store.write((tx) => store.audit.append(tx, { actor: `opter:${me.opterNo}`, action: 'deposit.void-refused', subject: `deposits:${id}`, detail: { why: 'not-a-supervisor' } }));
    throw new KioskError('FORBIDDEN', '只有主管可以作废预交金', ['请由主管登录后办理']);
  }
  const iptNo = store.write((tx) => {
    const d = store.money.deposit(id);
    if (!d) throw new KioskError('DEPOSIT_NOT_FOUND', `未找到编号为 ${id} 的预交金`, ['请刷新后重试']);
    const refusal = voidRefusal(store, d);
    if (refusal) throw new KioskError('DEPOSIT_STATE', refusal.message, refusal.guidance);
    const v = store.money.voidDeposit(tx, { depositId: d.id, reason, opterNo: me.opterNo });
    if (!v) throw new KioskError('DEPOSIT_STATE', '该笔预交金已作废，不能重复作废', ['请刷新后查看']);
    store.audit.append(tx, {
      actor: `opter:${me.opterNo}`,
      action: 'deposit.void',
      subject: `deposits:${d.id}`,
      detail: { visit: d.iptNo, amountFen: d.amountFen, method: d.method, receiptNo: d.receiptNo, collectedBy: d.opterNo, reason },
    });
    return d.iptNo;
  });
  ctx.log.info('deposit voided', { depositId: id, visit: iptNo, by: me.opterNo });
  return stayDeposits(store, iptNo);
}

function depositView(store: Store, d: Deposit): DepositView {
  const v = store.money.voidOf(d.id);
  return {
    depositId: String(d.id),
    admissionId: d.iptNo,
    kind: d.kind,
    method: d.method,
    amountFen: d.amountFen,
    receiptNo: d.receiptNo,
    opterNo: d.opterNo ?? '',
    receivedAt: chinaDateTime(new Date(d.receivedAt)),
    void: v ? voidView(v) : null,
    voidRefusal: voidRefusal(store, d)?.message ?? null,
  };
}

const voidView = (v: DepositVoid) => ({ reason: v.reason, opterNo: v.opterNo, at: chinaDateTime(new Date(v.voidedAt)) });

/** Why this deposit cannot be voided now, or null. The same rules for the list and for the void itself. */
function voidRefusal(store: Store, d: Deposit): { message: string; guidance: string[] } | null {
  const v = store.money.voidOf(d.id);
  if (v) return { message: `该笔预交金已于 ${chinaDateTime(new Date(v.voidedAt))} 作废，不能重复作废`, guidance: [] };
  if (d.kind !== 'deposit') return { message: '出院补缴款随结算收取，不能作废', guidance: ['如补缴有误，请由主管撤销结算后重新结算'] };
  if (d.method !== 'cash' && d.method !== 'bank-card') {
    return { message: '扫码支付的预交金由支付平台收取，不能作废', guidance: ['如需退还，请按原支付订单原路退款'] };
  }
  const adm = store.admissions.get(d.iptNo);
  const refunded = store.money.refunds(d.iptNo).some((r) => r.receiptNo === `${d.receiptNo}-TK`);
  if (refunded || adm?.status === 'cancelled') return { message: '该住院已撤销，这笔预交金已转为退款，不能作废', guidance: ['请在退款记录中查看'] };
  if (store.settlements.liveFor(d.iptNo)) {
    return { message: '这笔预交金已用于出院结算，不能作废', guidance: ['如确需更正，请先由主管撤销结算，再作废'] };
  }
  return null;
}

function depositIdOf(s: string): number {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n <= 0) throw new KioskError('INVALID_ARGUMENT', `预交金编号 ${s} 无效`, []);
  return n;
}
