import type { Terminal } from '../../../services/terminal.ts';

/**
 * The payment sandbox beside the terminal's demo, through its loopback admin API: its own books (to check
 * what the terminal says against what the gateway did), its fault switch and its merchant-balance switch.
 */
export function paymentSandbox(terminal: Terminal) {
  const url = terminal.parts.demo!.payments.url;
  const call = async <T>(method: string, path: string, body?: object): Promise<T> => {
    const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return (await res.json()) as T;
  };
  return {
    trades: () => call<Array<{ outTradeNo: string; totalFen: number; refundedFen: number; charges: number }>>('GET', '/admin/trades'),
    fault: (f: object) => call('POST', '/admin/faults', f),
    clearFaults: () => call('DELETE', '/admin/faults'),
    /** The merchant account short of money: refunds fail with ACQ.SELLER_BALANCE_NOT_ENOUGH until it is turned off. */
    sellerBalanceShort: (short: boolean) => call('POST', '/admin/seller-balance', { short }),
  };
}
