import type { DepositFacts, DocumentFacts } from './facts.ts';
import { chineseDateTime, esc, grid, kvLines, page, yuan, type Media } from './html.ts';
import { rmbUppercase } from './rmb-uppercase.ts';

/**
 * 预交金收据 for one payment (the one named, or the newest), with the visit's running deposit total.
 * Roll or A4, per configuration.
 */
export function renderDepositReceipt(f: DocumentFacts, media: Media, receiptNo?: string): string {
  const deposit: DepositFacts | undefined = receiptNo ? f.deposits.find((d) => d.receiptNo === receiptNo) : f.deposits.filter((d) => d.kind === 'deposit').at(-1);
  if (!deposit) throw new Error('no deposit to print');
  const balance = deposit.kind === 'balance-due';
  const title = balance ? '出院结算补缴收据' : '住院预交金收据';
  const total = f.deposits.filter((d) => d.kind === 'deposit').reduce((n, d) => n + d.amountFen, 0);
  const pairs: Array<[string, string]> = [
    ['收据号', deposit.receiptNo],
    ['住院号', f.visit.iptNo],
    ['姓名', f.patient.name],
    ['科室', f.visit.deptName],
    ['款项', balance ? '出院结算补缴' : '住院预交金'],
    ['金额', `${yuan(deposit.amountFen)} 元`],
    ['大写', rmbUppercase(deposit.amountFen)],
    ['支付方式', deposit.methodLabel],
    ...(deposit.gatewayTradeNo ? ([['交易号', deposit.gatewayTradeNo], ['商户订单号', deposit.receiptNo]] as Array<[string, string]>) : []),
    ...(deposit.posReference ? ([['POS 参考号', deposit.posReference]] as Array<[string, string]>) : []),
    ...(deposit.tenderedFen !== null
      ? ([
          ['实收', `${yuan(deposit.tenderedFen)} 元`],
          ['找零', `${yuan(deposit.tenderedFen - deposit.amountFen)} 元`],
        ] as Array<[string, string]>)
      : []),
    ['收款时间', chineseDateTime(deposit.receivedAt)],
    ...(balance && f.settlement?.balance
      ? ([
          ['本次结算应补缴', `${yuan(f.settlement.balance.dueFen)} 元`],
          ['待补缴', `${yuan(f.settlement.balance.outstandingFen)} 元`],
        ] as Array<[string, string]>)
      : ([['累计预交金', `${yuan(total)} 元`]] as Array<[string, string]>)),
  ];
  const body =
    media === 'a4'
      ? `<h1>${esc(title)}</h1><div class="sub">${esc(f.hospital.name)}</div>${grid(pairs, 2)}
<div class="foot">${balance ? '出院结算补缴，请与结算单一并保管。' : '出院结算时多退少补，请妥善保管本收据。'}打印时间：${esc(chineseDateTime(f.printedAt))}</div><div class="sign"><span>收款人：</span><span>（盖章）</span></div>`
      : `<h1>${esc(f.hospital.name)}</h1><div class="sub">${esc(title)}</div>${kvLines(pairs)}
<div class="rule"></div><div class="foot">${balance ? '出院结算补缴，请与结算单一并保管。' : '出院结算时多退少补，请妥善保管本收据。'}<br>${esc(chineseDateTime(f.printedAt))} ${esc(f.terminalName)}</div>`;
  return page({ title, media, body });
}
