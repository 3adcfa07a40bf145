import iconv from 'iconv-lite';
import { yuanToFen } from './money.ts';
import type { StatementLine } from './gateway.ts';

/**
 * The trade bill (账务明细, bill_type=trade) as Alipay publishes it: a GBK CSV whose `#` lines are comments,
 * one header row, then one row per 交易 or 退款. Columns are found by their header names, so a gateway that
 * adds a column does not shift the figures.
 */
export const BILL_COLUMNS = [
  '支付宝交易号', '商户订单号', '业务类型', '商品名称', '创建时间', '完成时间', '门店编号', '门店名称', '操作员', '终端号',
  '对方账户', '订单金额（元）', '商家实收（元）', '支付宝红包（元）', '集分宝（元）', '支付宝优惠（元）', '商家优惠（元）',
  '券核销金额（元）', '券名称', '商家红包消费金额（元）', '卡消费金额（元）', '退款批次号/请求号', '服务费（元）', '分润（元）', '备注',
] as const;

export function parseBill(bytes: Uint8Array): StatementLine[] | { error: string } {
  const text = iconv.decode(Buffer.from(bytes), 'gbk');
  const rows = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(',').map((c) => c.trim().replace(/^\t/, '')));
  const header = rows.shift();
  if (!header) return { error: '对账单为空' };
  const col = (name: string) => header.indexOf(name);
  const need = ['支付宝交易号', '商户订单号', '业务类型', '完成时间', '操作员', '终端号', '订单金额（元）', '退款批次号/请求号'];
  const missing = need.filter((n) => col(n) < 0);
  if (missing.length > 0) return { error: `对账单缺少列：${missing.join('、')}` };
  const lines: StatementLine[] = [];
  for (const r of rows) {
    if (r.length < header.length) continue; // the summary lines (合计) have fewer columns
    const kind = r[col('业务类型')] === '退款' ? 'refund' : r[col('业务类型')] === '交易' ? 'payment' : null;
    const amount = yuanToFen((r[col('订单金额（元）')] ?? '').replace(/^-/, ''));
    if (kind === null || amount === null) return { error: `对账单行无法识别：${r.slice(0, 3).join(',')}` };
    lines.push({
      kind,
      tradeNo: r[col('支付宝交易号')] ?? '',
      outTradeNo: r[col('商户订单号')] ?? '',
      outRequestNo: kind === 'refund' ? r[col('退款批次号/请求号')] || null : null,
      amountFen: amount,
      operatorId: r[col('操作员')] || null,
      terminalId: r[col('终端号')] || null,
      at: r[col('完成时间')] ?? '',
    });
  }
  return lines;
}
