export type { GatewayResult, OrderRequest, PaymentGateway, PaymentNotification, StatementLine, TradeState, TradeStatus } from './gateway.ts';
export { AlipayGateway, type AlipayConfig } from './alipay-gateway.ts';
export { fenToYuan, yuanToFen } from './money.ts';
