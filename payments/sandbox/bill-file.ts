import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { fenToYuan } from './open-api.ts';
import { chinaDateTime, type TradeBook } from './trade-book.ts';

/** The columns of Alipay's 账务明细 trade bill, in its order (the sandbox fills the ones a hospital uses). */
const COLUMNS = [
  '支付宝交易号', '商户订单号', '业务类型', '商品名称', '创建时间', '完成时间', '门店编号', '门店名称', '操作员', '终端号',
  '对方账户', '订单金额（元）', '商家实收（元）', '支付宝红包（元）', '集分宝（元）', '支付宝优惠（元）', '商家优惠（元）',
  '券核销金额（元）', '券名称', '商家红包消费金额（元）', '卡消费金额（元）', '退款批次号/请求号', '服务费（元）', '分润（元）', '备注',
];

/**
 * Writes the day's trade bill (China day) as a GBK CSV in `dir` and returns its file name. Alipay ships the
 * same CSV zipped; the sandbox serves it bare (docs/payments.md says so). One 交易 row per payment and one
 * 退款 row (negative amounts) per refund, then the 合计 comment lines.
 */
export function writeBill(dir: string, book: TradeBook, appId: string, day: string): string {
  mkdirSync(dir, { recursive: true });
  const rows = book.journal.filter((e) => chinaDateTime(e.at).startsWith(day));
  const lines = [`#支付宝业务明细查询`, `#账号：[${appId}]`, `#起始日期：[${day} 00:00:00]   终止日期：[${day} 23:59:59]`, '#-----------------------------------------业务明细列表----------------------------------------', COLUMNS.join(',')];
  let total = 0;
  for (const e of rows) {
    const sign = e.kind === 'refund' ? '-' : '';
    total += e.kind === 'refund' ? -e.fen : e.fen;
    const cells: Record<string, string> = {
      支付宝交易号: `\t${e.trade.tradeNo}`,
      商户订单号: `\t${e.trade.outTradeNo}`,
      业务类型: e.kind === 'refund' ? '退款' : '交易',
      商品名称: e.trade.subject.replaceAll(',', '，'),
      创建时间: chinaDateTime(e.trade.createdAt),
      完成时间: chinaDateTime(e.at),
      操作员: e.trade.operatorId,
      终端号: e.trade.terminalId,
      对方账户: e.trade.buyerLogonId ?? '',
      '订单金额（元）': `${sign}${fenToYuan(e.fen)}`,
      '商家实收（元）': `${sign}${fenToYuan(e.fen)}`,
      '退款批次号/请求号': e.outRequestNo ?? '',
    };
    lines.push(COLUMNS.map((c) => cells[c] ?? '').join(','));
  }
  lines.push('#-----------------------------------------业务明细列表结束------------------------------------');
  lines.push(`#交易合计：${rows.filter((r) => r.kind === 'payment').length}笔，退款合计：${rows.filter((r) => r.kind === 'refund').length}笔，实收金额：${total < 0 ? '-' : ''}${fenToYuan(Math.abs(total))}元`);
  const name = `${appId}_${day.replaceAll('-', '')}_trade.csv`;
  writeFileSync(join(dir, name), iconv.encode(lines.join('\r\n') + '\r\n', 'gbk'));
  return name;
}
