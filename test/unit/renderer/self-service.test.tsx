// @vitest-environment jsdom
import type { PaymentOrderView } from '../../../contract/dto/payments.ts';
import type { RefundView } from '../../../contract/dto/refunds.ts';
import type { KioskApi } from '../../../contract/api.ts';
import { act, fireEvent, screen, within, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../../renderer/app/App.tsx';
import { KioskError } from '../../../contract/errors.ts';
import { fakeKiosk } from '../../fakes/fake-kiosk.ts';
import { refusedDecision, sampleAdmission, sampleBreakdown, sampleCard, sampleDecision, sampleSettlement } from '../../fakes/kiosk-samples.ts';
import { listening, pageText, renderWith } from './harness.tsx';

const kioskStatus = { mode: 'self-service' as const, demo: false };

describe('self-service kiosk', () => {
  it('reads the card, shows it masked, says in plain words whether the patient can settle directly', async () => {
    const fake = fakeKiosk({ eligibility: { check: async () => sampleDecision() } }, kioskStatus);
    renderWith(fake, <App />);
    await screen.findByTestId('start-self-service');
    await listening(fake);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('请插入社保卡');
    expect(pageText()).toContain('请扫描医保电子凭证');

    act(() => fake.emit('card-inserted', { readerId: 'r1' }));
    expect((await screen.findByTestId('ss-reading')).textContent).toContain('请不要拔出卡片');

    act(() => fake.emit('card-read', { readerId: 'r1', card: sampleCard() }));
    await screen.findByTestId('ss-result');
    expect(screen.getByTestId('card-name').textContent).toBe('王*国');
    expect(screen.getByTestId('card-ssn').textContent).toBe('3202**********1014');
    expect(screen.getByTestId('eligibility-verdict').textContent).toBe('可以使用医保直接结算');
    expect(fake.callsTo('eligibility.check')).toEqual([{ credential: { kind: 'card' }, admissionType: 'normal' }]);
    // Voice hook on the verdict.
    expect(screen.getByTestId('eligibility-verdict').getAttribute('data-voice')).toBe('可以使用医保直接结算');
  });

  it('refuses an unfiled cross-province patient with every reason and the next steps', async () => {
    const fake = fakeKiosk({ eligibility: { check: async () => refusedDecision() } }, kioskStatus);
    renderWith(fake, <App />);
    await screen.findByTestId('start-self-service');
    await listening(fake);
    act(() => fake.emit('card-read', { readerId: 'r1', card: sampleCard({ displayName: '沈*兰' }) }));
    await screen.findByTestId('ss-result');
    expect(screen.getByTestId('eligibility-verdict').textContent).toBe('本次暂不能使用医保直接结算');
    expect(screen.getByTestId('eligibility-reasons').textContent).toContain('跨省异地就医未办理备案');
    const steps = screen.getByTestId('eligibility-guidance');
    expect(steps.textContent).toContain('国家医保服务平台APP');
    expect(steps.textContent).toContain('零星报销');
  });

  it('shows a service error with its Chinese message and every guidance line (lost card)', async () => {
    const fake = fakeKiosk(
      {
        eligibility: {
          check: async () => {
            throw new KioskError('PLATFORM_REFUSED', '该社会保障卡已正式挂失，不能用于医保结算。', ['请使用医保电子凭证（扫码）办理。', '或到人工窗口出示居民身份证。']);
          },
        },
      },
      kioskStatus,
    );
    renderWith(fake, <App />);
    await screen.findByTestId('start-self-service');
    await listening(fake);
    act(() => fake.emit('card-read', { readerId: 'r1', card: sampleCard() }));
    const err = await screen.findByTestId('error');
    expect(err.textContent).toContain('该社会保障卡已正式挂失');
    expect(screen.getByTestId('error-guidance').querySelectorAll('li')).toHaveLength(2);
    // The card is still in the reader: 结束 reminds the patient to take it.
    fireEvent.click(screen.getByTestId('ss-end'));
    expect((await screen.findByTestId('ss-take-card')).textContent).toContain('请取走您的卡片');
    act(() => fake.emit('card-removed', { readerId: 'r1' }));
    await screen.findByTestId('ss-thanks');
  });

  it('shows a card read failure the reader reported', async () => {
    const fake = fakeKiosk({}, kioskStatus);
    renderWith(fake, <App />);
    await screen.findByTestId('start-self-service');
    await listening(fake);
    act(() => fake.emit('card-inserted', { readerId: 'r1' }));
    act(() => fake.emit('card-error', { readerId: 'r1', error: { code: 'CARD_NOT_SSCARD', message: '这张卡不是江苏省社会保障卡。', guidance: ['请使用第三代社保卡或医保电子凭证。'] } }));
    expect((await screen.findByTestId('error')).textContent).toContain('请使用第三代社保卡或医保电子凭证。');
  });

  it('checks in a booked admission, takes the deposit by QR only once the terminal says it is applied, and prints the slip', async () => {
    const order = (state: PaymentOrderView['state']): PaymentOrderView => ({ outTradeNo: 'H3202000000120260302090000AB', channel: 'alipay', scene: 'qr', purpose: 'deposit', admissionId: sampleAdmission().admissionId, amountFen: 300_000, state, qrCode: state === 'awaiting-buyer' ? 'http://127.0.0.1/qr/1' : null, expiresAt: 0, secondsLeft: 300, tradeNo: state === 'applied' ? '2026030222001' : null, message: null });
    let polls = 0;
    const fake = fakeKiosk(
      {
        eligibility: { check: async () => sampleDecision() },
        admission: {
          findBooked: async () => ({
            person: sampleDecision().person,
            bookings: [{ bookingId: 'b1', deptName: '心内科', ward: '心内一病区', bed: '12', plannedDate: '2026-03-02', suggestedDepositFen: 300_000 }],
          }),
          checkIn: async () => ({ outcome: 'admitted' as const, admission: sampleAdmission({ depositsFen: 0 }) }),
        },
        payments: {
          startQr: async () => order('awaiting-buyer'),
          // The first poll: still waiting (nothing shown as paid); the second: confirmed and recorded.
          status: async () => order(++polls < 2 ? 'awaiting-buyer' : 'applied'),
        },
        documents: { print: async () => ({ status: 'printed' as const, message: '已打印入院凭条。' }) },
      },
      kioskStatus,
    );
    renderWith(fake, <App />);
    await screen.findByTestId('start-self-service');
    await listening(fake);
    act(() => fake.emit('qr-scanned', { code: '320000ecnqssaor2nj7a2a480a0000a4cef57c' }));
    fireEvent.click(await screen.findByTestId('ss-go-checkin'));
    fireEvent.click(await screen.findByTestId('ss-booking'));
    expect((await screen.findByTestId('ss-deposit-amount')).textContent).toBe('3,000.00 元');
    fireEvent.click(screen.getByTestId('ss-pay-qr'));
    fireEvent.click(screen.getByTestId('ss-deposit-confirm'));
    expect((await screen.findByTestId('pay-qr')).getAttribute('data-qr')).toBe('http://127.0.0.1/qr/1');
    expect(screen.queryByTestId('pay-applied')).toBeNull();
    expect((await screen.findByTestId('ss-ipt-no', {}, { timeout: 6_000 })).textContent).toBe('ZY2026000001');
    // The check-in carries no typed-in deposit: the money came through the gateway order.
    expect(fake.callsTo('admission.checkIn')[0]).toEqual({ bookingId: 'b1', checkId: 'chk-1' });
    expect(fake.callsTo('payments.startQr')[0]).toMatchObject({ admissionId: sampleAdmission().admissionId, amountFen: 300_000 });
    expect(screen.queryByTestId('ss-deposit-unpaid')).toBeNull();
    fireEvent.click(screen.getByTestId('print-admission-slip'));
    expect((await screen.findByTestId('print-admission-slip-result')).textContent).toBe('已打印，请在出纸口取走入院凭条。');
    // A QR patient has no card in the reader: straight to the farewell.
    fireEvent.click(screen.getByTestId('ss-done'));
    await screen.findByTestId('ss-thanks');
  });

  it('settles the patient’s own stay with the PIN on the on-screen keypad and shows the refund', async () => {
    const fake = await untilSettleChosen({
      openStays: async () => [sampleAdmission({ admissionId: 'other', person: { ...sampleAdmission().person, psnNo: 'SOMEONE-ELSE' } }), sampleAdmission()],
      preSettle: async () => ({ outcome: 'presettled' as const, preSettlement: { admissionId: 'adm-1', breakdown: sampleBreakdown(), pinRequired: true, refusedLines: [], computedAt: '2026-03-02 10:00:00' } }),
      settle: async () => ({ outcome: 'settled' as const, settlement: sampleSettlement() }),
    });
    const summary = await screen.findByTestId('ss-presettle-summary');
    expect(summary.textContent).toContain('总费用 12,345.00 元');
    expect(summary.textContent).toContain('应退还您 655.00 元');
    // Only the patient's own stay is ever pre-settled.
    expect(fake.callsTo('discharge.preSettle')).toEqual([{ admissionId: 'adm-1' }]);
    fireEvent.click(screen.getByTestId('ss-settle-confirm'));
    await screen.findByTestId('ss-pin');
    for (const k of '123456') fireEvent.click(screen.getByRole('button', { name: k }));
    fireEvent.click(screen.getByTestId('ss-pin-submit'));
    expect((await screen.findByTestId('ss-settled-due')).textContent).toContain('应退还您 655.00 元');
    expect(fake.callsTo('discharge.settle')).toEqual([{ admissionId: 'adm-1', pin: '123456' }]);
  });

  it('a refund the payment platform refused is told to the patient in plain words: where to ask, no gateway code or merchant account state', async () => {
    const refused: RefundView = {
      refundId: '1',
      admissionId: 'adm-1',
      settlementId: 'set-1',
      reason: 'settlement',
      amountFen: 65_500,
      method: 'alipay',
      state: 'attention',
      receiptNo: 'TK-ZY2026000001-1',
      requestedAt: '2026-03-02 10:30:00',
      doneAt: null,
      doneBy: null,
      counterWindow: '住院收费处',
      posRef: null,
      note: '支付平台拒绝退款：ACQ.SELLER_BALANCE_NOT_ENOUGH 卖家余额不足',
      gateway: [{ outTradeNo: 'H1', tradeNo: '2026030222000000000001', outRequestNo: 'H1S1', amountFen: 65_500, state: 'attention' }],
    };
    await untilSettleChosen(settledOwnStay, kioskStatus, { refunds: { forAdmission: async () => [refused] } });
    fireEvent.click(await screen.findByTestId('ss-settle-confirm'));
    const due = await screen.findByTestId('ss-settled-due');
    await waitFor(() => expect(due.getAttribute('data-refund-states')).toBe('attention'));
    expect(due.textContent).toContain('655.00 元');
    expect(due.textContent).toContain('住院收费处');
    for (const word of ['ACQ', '卖家', '支付平台拒绝']) expect(due.textContent).not.toContain(word);
  });

  it('打印结算单 with no printer says the 结算单 was kept (was 凭条已保存 for every paper), a warning not green', async () => {
    await untilSettleChosen(settledOwnStay, kioskStatus, { documents: { print: async () => ({ status: 'spooled-pdf' as const, message: '未连接打印机，已生成 PDF 文件：/tmp/x.pdf' }) } });
    fireEvent.click(await screen.findByTestId('ss-settle-confirm'));
    fireEvent.click(await screen.findByTestId('print-settlement-sheet'));
    const said = await screen.findByTestId('print-settlement-sheet-result');
    expect(said.textContent).toBe('打印机暂时不可用，结算单已保存，可到服务台补打。');
    expect(said.className).toBe('warn-text');
  });

  type DischargeAnswers = Partial<KioskApi['discharge']>;

  /** The patient's own stay, pre-settled without a PIN and settled at 确认结算. */
  const settledOwnStay: DischargeAnswers = {
    openStays: async () => [sampleAdmission()],
    preSettle: async () => ({ outcome: 'presettled' as const, preSettlement: { admissionId: 'adm-1', breakdown: sampleBreakdown(), pinRequired: false, refusedLines: [], computedAt: '2026-03-02 10:00:00' } }),
    settle: async () => ({ outcome: 'settled' as const, settlement: sampleSettlement() }),
  };

  /**
   * The patient's card read and 出院结算 chosen, the terminal answering with `discharge` (and `others`: refunds,
   * documents…): the fake, for its calls.
   */
  async function untilSettleChosen(discharge: DischargeAnswers, status: Parameters<typeof fakeKiosk>[1] = kioskStatus, others: Omit<Parameters<typeof fakeKiosk>[0], 'eligibility' | 'discharge'> = {}) {
    const fake = fakeKiosk({ ...others, eligibility: { check: async () => sampleDecision() }, discharge }, status);
    renderWith(fake, <App />);
    await screen.findByTestId('start-self-service');
    await listening(fake);
    act(() => fake.emit('card-read', { readerId: 'r1', card: sampleCard() }));
    fireEvent.click(await screen.findByTestId('ss-go-settle'));
    return fake;
  }

  /** The patient's own stay, pre-settled, 确认结算 tapped: the PIN keypad (asked by the 2303 answer, or only by 2304). */
  async function untilPinKeypad(askedAtPreSettle: boolean, settle: () => Promise<Awaited<ReturnType<KioskApi['discharge']['settle']>>>) {
    const fake = await untilSettleChosen({
      openStays: async () => [sampleAdmission()],
      preSettle: async () => ({ outcome: 'presettled' as const, preSettlement: { admissionId: 'adm-1', breakdown: sampleBreakdown(), pinRequired: askedAtPreSettle, refusedLines: [], computedAt: '2026-03-02 10:00:00' } }),
      settle,
    });
    fireEvent.click(await screen.findByTestId('ss-settle-confirm'));
    await screen.findByTestId('ss-pin');
    return fake;
  }

  it('the PIN keypad: digits masked, 删除 and 清空, a wrong PIN back on the keypad with the card\'s words and tries, nothing of the PIN left on the page, 返回', async () => {
    const answers = [
      { outcome: 'pin-required' as const, message: '医保平台要求患者输入社会保障卡密码后才能结算。', guidance: ['请患者在密码键盘上输入6位密码。'] },
      { outcome: 'pin-required' as const, message: '社会保障卡密码错误，还可尝试2次。', guidance: ['请重新输入6位密码。'] },
      { outcome: 'settled' as const, settlement: sampleSettlement() },
    ];
    const fake = await untilPinKeypad(false, async () => answers.shift()!);
    // The platform asked only at 2304: the keypad, empty, 确定 off until six digits.
    const pinScreen = screen.getByTestId('ss-pin');
    const key = (k: string) => fireEvent.click(within(pinScreen).getByRole('button', { name: k }));
    const shown = () => pinScreen.querySelector('output')!.textContent;
    for (const k of '1357') key(k);
    expect(shown()).toBe('●●●●');
    key('删除');
    expect(shown()).toBe('●●●');
    key('清空');
    expect(shown()?.trim()).toBe('');
    for (const k of '111111') key(k);
    expect((screen.getByTestId('ss-pin-submit') as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(screen.getByTestId('ss-pin-submit'));
    // Wrong: back on an empty keypad with the card's words and the tries left; the digits are nowhere on the page.
    expect((await screen.findByTestId('ss-pin-problem')).textContent).toContain('社会保障卡密码错误，还可尝试2次。');
    expect(screen.getByTestId('ss-pin').querySelector('output')!.textContent?.trim()).toBe('');
    expect(document.body.innerHTML).not.toContain('111111');
    for (const k of '123456') fireEvent.click(within(screen.getByTestId('ss-pin')).getByRole('button', { name: k }));
    fireEvent.click(screen.getByTestId('ss-pin-submit'));
    await screen.findByTestId('ss-settled-due');
    expect(document.body.innerHTML).not.toContain('123456');
    expect(fake.callsTo('discharge.settle')).toEqual([{ admissionId: 'adm-1' }, { admissionId: 'adm-1', pin: '111111' }, { admissionId: 'adm-1', pin: '123456' }]);
  });

  it('the PIN keypad\'s 返回 goes back to the pre-settlement, nothing sent', async () => {
    const fake = await untilPinKeypad(true, async () => {
      throw new Error('nothing may be sent');
    });
    const pinScreen = screen.getByTestId('ss-pin');
    fireEvent.click(within(pinScreen).getByRole('button', { name: '1' }));
    fireEvent.click(within(pinScreen).getByRole('button', { name: '返回' }));
    await screen.findByTestId('ss-presettle');
    expect(fake.callsTo('discharge.settle')).toEqual([]);
  });

  /** The 2304's answer lost and its 2601 not through: the settle and the stay's pre-settlement as the services answer then. */
  const reversing = { outcome: 'waiting' as const, reason: 'reversal' as const, message: '住院结算（2304）的结果未明，系统正在向医保平台冲正（2601）后重新办理。', guidance: ['请勿重复收费或重复结算。'] };
  const inProgress = { outcome: 'settlement-in-progress' as const, message: '住院号 ZY1 的结算正在进行中。', guidance: ['请用下方的“继续结算”完成它（不会重复结算），不要重新预结算。'] };
  const presettled = { outcome: 'presettled' as const, preSettlement: { admissionId: 'adm-1', breakdown: sampleBreakdown(), pinRequired: false, refusedLines: [], computedAt: '2026-03-02 10:00:00' } };

  /** What the patient must never read while the outcome is unknown: failed, not done, or done. */
  function expectNeitherFailedNorSettled() {
    const text = pageText();
    for (const word of ['暂时不能办理', '失败', '未结算', '没有结算', '结算完成', '已结算', '冲正', '2304', '2601', '继续结算']) expect(text).not.toContain(word);
    expect(screen.queryByTestId('ss-settled')).toBeNull();
    expect(screen.queryByTestId('ss-settle-confirm')).toBeNull();
  }

  it('确认结算 whose answer is lost: the result is being checked, not to pay again, where to ask; 查询结算结果 finishes the same settlement', async () => {
    const answers: Array<Awaited<ReturnType<KioskApi['discharge']['settle']>>> = [reversing, reversing, { outcome: 'settled', settlement: sampleSettlement() }];
    const fake = await untilSettleChosen(
      { openStays: async () => [sampleAdmission()], preSettle: async () => presettled, settle: async () => answers.shift()! },
      { ...kioskStatus, hospital: { code: 'H32020000001', name: '无锡市第一人民医院', level: 3, help: { cashierWindow: '门诊楼一楼住院收费处', insuranceWindow: '医保办', phone: '0510-1' } } },
    );
    fireEvent.click(await screen.findByTestId('ss-settle-confirm'));
    const checking = await screen.findByTestId('ss-settle-checking');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('正在核实结算结果');
    expect(checking.textContent).toContain('请不要重复缴费');
    expect(checking.textContent).toContain('请到门诊楼一楼住院收费处询问结算结果');
    expectNeitherFailedNorSettled();
    // Asked again while the reversal is still open: the same, said to be still checking; never a new settlement.
    fireEvent.click(screen.getByTestId('ss-settle-check'));
    await screen.findByTestId('ss-settle-still-checking');
    expectNeitherFailedNorSettled();
    fireEvent.click(screen.getByTestId('ss-settle-check'));
    expect((await screen.findByTestId('ss-settled-due')).textContent).toContain('应退还您 655.00 元');
    expect(fake.callsTo('discharge.settle')).toEqual([{ admissionId: 'adm-1' }, { admissionId: 'adm-1', resumeOnly: true }, { admissionId: 'adm-1', resumeOnly: true }]);
  });

  it('a later visit while that settlement is still open: the result is being checked, no pre-settlement offered', async () => {
    const fake = await untilSettleChosen({ openStays: async () => [sampleAdmission()], preSettle: async () => inProgress, settle: async () => reversing });
    await screen.findByTestId('ss-settle-checking');
    expect(pageText()).toContain('请到住院收费处询问结算结果');
    expectNeitherFailedNorSettled();
    expect(fake.callsTo('discharge.settle')).toEqual([]);
  });

  it('a later visit after that settlement finished: the settled stay as it stands, its figures and the 结算单, never a new settlement', async () => {
    const fake = await untilSettleChosen({
      openStays: async () => [sampleAdmission({ status: 'settled', balanceDueFen: 0 })],
      preSettle: async () => {
        throw new Error('a settled stay is not pre-settled again');
      },
      settle: async () => ({ outcome: 'settled' as const, settlement: sampleSettlement() }),
    });
    expect((await screen.findByTestId('ss-settled-due')).textContent).toContain('应退还您 655.00 元');
    expect(screen.getByTestId('print-settlement-sheet')).toBeTruthy();
    expect(fake.callsTo('discharge.openStays')).toContainEqual({ q: sampleDecision().person.psnNo, settledToday: true });
    expect(fake.callsTo('discharge.settle')).toEqual([{ admissionId: 'adm-1', resumeOnly: true }]);
    expect(fake.callsTo('discharge.preSettle')).toEqual([]);
  });

  it('确认结算 while the platform cannot be reached: the patient\'s words, not the cashier\'s', async () => {
    const offline = { outcome: 'waiting' as const, reason: 'offline' as const, message: '出院结算需要连接医保平台，当前无法连接。', guidance: ['费用和登记信息已保存在本机；医保平台恢复连接后会自动上传，届时再办理即可。', '医保平台恢复前，请不要让患者重复缴费。'] };
    await untilSettleChosen({ openStays: async () => [sampleAdmission()], preSettle: async () => presettled, settle: async () => offline });
    fireEvent.click(await screen.findByTestId('ss-settle-confirm'));
    const notice = await screen.findByTestId('error');
    expect(notice.textContent).toContain('本次结算还没有完成');
    expect(notice.textContent).toContain('请不要重复缴费');
    for (const word of ['让患者', '本机', '上传', '届时再办理']) expect(pageText()).not.toContain(word);
  });

  // The services word refusals for the cashier (the queue, 医保办, "请不要让患者先全额缴费"); the patient reads what they can do.
  it.each([
    {
      kind: 'platform' as const,
      reasons: ['医保平台未受理住院结算（2304）：人员参保状态异常'],
      guidance: ['请核对费用与患者信息后重新预结算。', '仍不能结算时请联系本院医保办核对原因；请不要让患者先全额缴费。'],
      says: ['医保平台没有受理本次办理', '请到人工窗口办理'],
    },
    {
      kind: 'confirm-again' as const,
      reasons: ['结算金额与患者确认的预结算不一致（费用或预交金有变化）。'],
      guidance: ['请重新预结算，并请患者再次确认。'],
      says: ['刚刚有变化', '本次没有结算', '请重新插卡'],
    },
  ])('确认结算 refused ($kind): the patient\'s words, not the cashier\'s', async ({ kind, reasons, guidance, says }) => {
    await untilSettleChosen({
      openStays: async () => [sampleAdmission()],
      preSettle: async () => presettled,
      settle: async () => ({ outcome: 'refused' as const, kind, reasons, guidance }),
    });
    fireEvent.click(await screen.findByTestId('ss-settle-confirm'));
    const notice = await screen.findByTestId('error');
    for (const words of says) expect(notice.textContent).toContain(words);
    for (const word of ['让患者', '医保办', '预结算', '2304', '参保状态']) expect(pageText()).not.toContain(word);
    expect(screen.queryByTestId('ss-settled')).toBeNull();
  });

  it('少补: a settled stay that owes offers the QR; the idle timeout waits while it is shown; expired, it is closed and the screen says where to pay', async () => {
    const qrOrder = (state: PaymentOrderView['state']): PaymentOrderView => ({
      outTradeNo: 'H1',
      channel: 'alipay',
      scene: 'qr',
      purpose: 'balance-due',
      admissionId: 'adm-1',
      amountFen: 95_544,
      state,
      qrCode: state === 'awaiting-buyer' ? 'https://qr.alipay.com/x' : null,
      expiresAt: 0,
      secondsLeft: 2,
      tradeNo: null,
      message: state === 'closed' ? '已取消支付' : null,
    });
    const owing = { admissionId: 'adm-1', settlementId: '1', dueFen: 95_544, paidFen: 0, outstandingFen: 95_544, payments: [], open: null };
    const fake = fakeKiosk(
      {
        eligibility: { check: async () => sampleDecision() },
        discharge: { openStays: async () => [sampleAdmission({ status: 'settled', balanceDueFen: 95_544 })] },
        payments: {
          balanceDue: async () => owing,
          startQr: async () => qrOrder('awaiting-buyer'),
          status: async () => qrOrder('awaiting-buyer'),
          cancel: async () => qrOrder('closed'),
        },
      },
      { ...kioskStatus, idleTimeoutSeconds: 1 },
    );
    renderWith(fake, <App />);
    await screen.findByTestId('start-self-service');
    await listening(fake);
    act(() => fake.emit('card-read', { readerId: 'r1', card: sampleCard() }));
    fireEvent.click(await screen.findByTestId('ss-go-settle'));
    // Settled before: no pre-settlement, only the balance (the same figure as the counter's).
    expect((await screen.findByTestId('ss-balance-outstanding')).textContent).toBe('955.44 元');
    expect(fake.callsTo('discharge.preSettle')).toEqual([]);
    fireEvent.click(screen.getByTestId('ss-balance-qr'));
    await screen.findByTestId('pay-countdown');
    expect(fake.callsTo('payments.startQr')).toEqual([{ admissionId: 'adm-1', amountFen: 95_544, purpose: 'balance-due' }]);
    // Idle 1 s, the QR's 2 s: the screen stays for the QR, which is then closed at the gateway.
    const left = await screen.findByTestId('ss-balance-left', {}, { timeout: 5_000 });
    expect(left.getAttribute('data-why')).toBe('expired');
    expect(fake.callsTo('payments.cancel')).toEqual([{ outTradeNo: 'H1' }]);
    expect((await screen.findByTestId('ss-balance-where')).textContent).toBe('本次未扣款。您还需补缴 955.44 元，请到住院收费处缴纳。');
  });

  it('identifies by ID number typed on the on-screen keyboard, refusing a wrong check digit', async () => {
    const fake = fakeKiosk({ eligibility: { check: async () => sampleDecision() } }, kioskStatus);
    renderWith(fake, <App />);
    fireEvent.click(await screen.findByTestId('ss-id-entry'));
    for (const k of '320200197503141015') fireEvent.click(screen.getByRole('button', { name: k }));
    expect(screen.getByTestId('ss-id-display').textContent).toBe(`${'•'.repeat(14)}1015`);
    fireEvent.click(screen.getByTestId('ss-id-submit'));
    expect(pageText()).toContain('校验位不符');
    fireEvent.click(screen.getByRole('button', { name: '删除' }));
    fireEvent.click(screen.getByRole('button', { name: '4' }));
    fireEvent.click(screen.getByTestId('ss-id-submit'));
    await screen.findByTestId('ss-result');
    expect(fake.callsTo('eligibility.check')[0]).toEqual({ credential: { kind: 'id', certType: '02', certNo: '320200197503141014' }, admissionType: 'normal' });
  });

  it('announces each screen for voice prompts and warns before the idle timeout; a touch keeps the session', async () => {
    const spoken: string[] = [];
    const onVoice = (e: Event) => spoken.push((e as CustomEvent<{ text: string }>).detail.text);
    window.addEventListener('kiosk:voice', onVoice);
    try {
      const fake = fakeKiosk({ eligibility: { check: async () => sampleDecision() } }, { ...kioskStatus, idleTimeoutSeconds: 12 });
      renderWith(fake, <App />);
      await screen.findByTestId('start-self-service');
      await listening(fake);
      act(() => fake.emit('card-read', { readerId: 'r1', card: sampleCard() }));
      await screen.findByTestId('ss-result');
      await waitFor(() => expect(spoken).toContain('可以使用医保直接结算'));
      expect(spoken[0]).toBe('请插入社保卡，或扫描医保电子凭证');
      // idle 12 s → warning in the last 4 s; a touch on the dialog keeps the patient's session.
      await screen.findByTestId('idle-warning', {}, { timeout: 12_000 });
      fireEvent.pointerDown(window);
      await waitFor(() => expect(screen.queryByTestId('idle-warning')).toBeNull());
      expect(screen.getByTestId('ss-result')).toBeTruthy();
    } finally {
      window.removeEventListener('kiosk:voice', onVoice);
    }
  }, 30_000);

  it('a refused card\'s 自费 confirmation speaks to the patient (您), never about 患者', async () => {
    const lost = sampleDecision({ direct: false, reasons: [{ code: 'card-lost', text: '社会保障卡已正式挂失' }] });
    const fake = fakeKiosk({ eligibility: { check: async () => lost } }, kioskStatus);
    renderWith(fake, <App />);
    await screen.findByTestId('start-self-service');
    await listening(fake);
    act(() => fake.emit('card-read', { readerId: 'r1', card: sampleCard() }));
    // The kiosk's buttons end with their words: a trailing … reads to a patient as text cut off at the edge.
    expect((await screen.findByTestId('ss-self-pay-checkin')).textContent).toBe('不用医保，自费报到');
    expect(screen.getByTestId('ss-self-pay-settle').textContent).toBe('不用医保，自费结算');
    fireEvent.click(screen.getByTestId('ss-self-pay-checkin'));
    const dialog = await screen.findByTestId('self-pay-confirm');
    expect(dialog.textContent).toContain('按自费办理，您将失去');
    expect(dialog.textContent).toContain('需由您全额垫付');
    expect(dialog.textContent).not.toContain('患者');
  });

  it('after the idle timeout returns to the start with every personal datum gone', async () => {
    const fake = fakeKiosk({ eligibility: { check: async () => sampleDecision() } }, { ...kioskStatus, idleTimeoutSeconds: 1 });
    renderWith(fake, <App />);
    await screen.findByTestId('start-self-service');
    await listening(fake);
    act(() => fake.emit('card-read', { readerId: 'r1', card: sampleCard() }));
    await screen.findByTestId('ss-result');
    expect(pageText()).toContain('王*国');
    await waitFor(() => screen.getByTestId('start-self-service'), { timeout: 3000 });
    expect(pageText()).not.toContain('王*国');
    expect(pageText()).not.toContain('1014');
    expect(fake.callsTo('system.resetSession').length).toBeGreaterThanOrEqual(1);
  });
});
