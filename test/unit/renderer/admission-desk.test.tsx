// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { KioskError } from '../../../contract/errors.ts';
import { App } from '../../../renderer/app/App.tsx';
import { fakeKiosk, type FakeKiosk } from '../../fakes/fake-kiosk.ts';
import { sampleAdmission, sampleCard, sampleDecision } from '../../fakes/kiosk-samples.ts';
import { listening, pageText, renderWith } from './harness.tsx';

const departments = [
  {
    code: 'NK01',
    name: '心内科',
    wards: [{ code: 'W1', name: '心内一病区', beds: ['11', '12'] }],
    doctors: [{ code: 'D1', name: '李医生' }],
  },
];

function deskFake(over: Parameters<typeof fakeKiosk>[0] = {}, status: Parameters<typeof fakeKiosk>[1] = {}) {
  // Signing in changes the terminal's status as the host does (the desk locks at idle only with an operator).
  const signIn = async ({ opterNo }: { opterNo: string }) => {
    const operator = { opterNo, name: '张护士', roles: ['clerk' as const] };
    fake.setStatus({ operator });
    return { ...operator, signNo: 'S1' };
  };
  const fake: FakeKiosk = fakeKiosk(
    {
      operator: { signIn, signOut: async () => ({ ok: true as const }), demoAccounts: async () => [], lock: async () => ({ ok: true as const }) },
      eligibility: { check: async () => sampleDecision() },
      admission: {
        departments: async () => departments,
        searchDiagnoses: async ({ q }) => [
          { code: 'I20.000', name: `不稳定性心绞痛（${q}）` },
          { code: 'I21.900', name: '急性心肌梗死' },
        ],
        register: async () => ({ outcome: 'queued' as const, reason: 'offline' as const, message: '已离线登记', guidance: [], admission: sampleAdmission({ status: 'queued', mdtrtId: null }) }),
        get: async () => sampleAdmission(),
      },
      queue: { status: async () => ({ depth: 0, oldestAgeSeconds: null, deadLetters: 0, items: [] }) },
      documents: { render: async ({ kind }) => ({ kind, title: '入院登记单', html: '<p>入院登记单</p>', pdfBase64: null, media: 'a4' as const }) },
      ...over,
    },
    // The terminal's clock (not the browser's): the 入院时间 default and its window come from it.
    { mode: 'admission', demo: false, now: '2026-11-20 09:15:42', ...status },
  );
  return fake;
}

/** 科室, 病区, 床位, 主治医生 and the diagnosis (↓ ↑ Enter in the ICD-10 list): every field the form requires. */
async function fillRequiredFields() {
  fireEvent.change(screen.getByLabelText(/^科室/), { target: { value: 'NK01' } });
  fireEvent.change(screen.getByLabelText(/^病区/), { target: { value: 'W1' } });
  fireEvent.change(screen.getByLabelText(/^床位/), { target: { value: '12' } });
  fireEvent.change(screen.getByLabelText(/^主治医生/), { target: { value: 'D1' } });
  const dx = screen.getByTestId('diagnosis-input');
  fireEvent.change(dx, { target: { value: '心绞痛' } });
  await screen.findByTestId('diagnosis-results');
  fireEvent.keyDown(dx, { key: 'ArrowDown' });
  fireEvent.keyDown(dx, { key: 'ArrowUp' });
  fireEvent.keyDown(dx, { key: 'Enter' });
}

async function signIn() {
  await screen.findByTestId('start-admission');
  fireEvent.change(screen.getByLabelText('工号'), { target: { value: '0001' } });
  fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'hs-0001-pw' } });
  fireEvent.submit(screen.getByTestId('sign-in'));
  await screen.findByTestId('identify');
}

const ID_CARD = {
  cardType: 'resident' as const,
  kindLabel: '居民身份证',
  displayName: '许振华',
  displayIdNumber: '3202**********2917',
  sexWord: '男',
  nationWord: '汉',
  birthDate: '1976-06-06',
  validTo: '2036-01-01',
  expired: false,
};

describe('admission desk', () => {
  it('F2 reads the ID card and checks with it; not while the desk is locked (the form stays mounted, hidden)', async () => {
    const fake = deskFake({ reader: { readIdCard: async () => ID_CARD } }, { idleTimeoutSeconds: 1 });
    renderWith(fake, <App />);
    await signIn();
    expect(screen.getByTestId('read-idcard-button').textContent).toBe('读身份证（F2）');
    fireEvent.keyDown(window, { key: 'F2' });
    await screen.findByTestId('eligibility-step');
    expect(fake.calls.filter((c) => c.method === 'eligibility.check').at(-1)?.args).toMatchObject({ credential: { kind: 'idcard' } });
    fireEvent.keyDown(window, { key: 'Escape' });
    await screen.findByTestId('identify');
    await screen.findByTestId('desk-lock', {}, { timeout: 3_000 }); // idle for a second: locked
    const reads = fake.calls.filter((c) => c.method === 'reader.readIdCard').length;
    fireEvent.keyDown(document.body, { key: 'F2' });
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.calls.filter((c) => c.method === 'reader.readIdCard')).toHaveLength(reads);
  });

  it('the idle lock tells the terminal and resumes only with the operator’s password, checked by the terminal', async () => {
    let unlocks = 0;
    const fake = deskFake(
      {
        operator: {
          signIn: async ({ opterNo }) => {
            fake.setStatus({ operator: { opterNo, name: '张护士', roles: ['clerk'] } });
            return { opterNo, name: '张护士', roles: ['clerk' as const], signNo: 'S1' };
          },
          lock: async () => ({ ok: true as const }),
          demoAccounts: async () => [],
          unlock: async ({ password }) => {
            unlocks++;
            if (password !== 'hs-0001-pw') throw new KioskError('SIGN_IN_FAILED', '密码不正确。', []);
            return { ok: true as const };
          },
        },
      },
      { idleTimeoutSeconds: 1 },
    );
    renderWith(fake, <App />);
    await signIn();
    await screen.findByTestId('desk-lock', {}, { timeout: 3_000 });
    expect(fake.callsTo('operator.lock')).toHaveLength(1);
    fireEvent.change(screen.getByTestId('unlock-password'), { target: { value: 'guess' } });
    fireEvent.submit(screen.getByTestId('unlock-form'));
    await screen.findByText('密码不正确。');
    expect(screen.getByTestId('desk-lock')).toBeTruthy();
    fireEvent.change(screen.getByTestId('unlock-password'), { target: { value: 'hs-0001-pw' } });
    fireEvent.submit(screen.getByTestId('unlock-form'));
    await waitFor(() => expect(screen.queryByTestId('desk-lock')).toBeNull());
    expect(unlocks).toBe(2);
    expect(screen.getByTestId('identify')).toBeTruthy();
  });

  it('signs in (9001), refuses a mistyped ID number, shows every reason, validates and registers', async () => {
    const fake = deskFake({
      eligibility: {
        check: async () =>
          sampleDecision({
            reasons: [
              { code: 'R1', text: '本地参保，可直接结算。' },
              { code: 'R2', text: '人员参保状态正常。' },
            ],
            conflicts: [{ code: 'C1', text: '该患者在他院有未结算的住院记录。' }],
          }),
      },
    });
    renderWith(fake, <App />);
    await signIn();
    expect(fake.callsTo('operator.signIn')).toEqual([{ opterNo: '0001', password: 'hs-0001-pw' }]);

    const certNo = screen.getByLabelText('身份证号码');
    fireEvent.change(certNo, { target: { value: '320200197503141015' } });
    fireEvent.submit(screen.getByTestId('identify-id'));
    expect(screen.getByTestId('identify-problem').textContent).toContain('校验位');
    expect(fake.callsTo('eligibility.check')).toHaveLength(0);

    fireEvent.change(certNo, { target: { value: '320200197503141014' } });
    fireEvent.submit(screen.getByTestId('identify-id'));
    await screen.findByTestId('eligibility-step');
    expect(fake.callsTo('eligibility.check')[0]).toEqual({ credential: { kind: 'id', certType: '02', certNo: '320200197503141014' }, admissionType: 'normal' });
    expect(screen.getByTestId('eligibility-reasons').querySelectorAll('li')).toHaveLength(2);
    expect(screen.getByTestId('eligibility-conflicts').textContent).toContain('未结算的住院记录');

    fireEvent.click(screen.getByTestId('eligibility-continue'));
    await screen.findByTestId('admission-form');
    fireEvent.change(screen.getByLabelText(/^预交金（元）/), { target: { value: '3,000.5x' } });
    fireEvent.submit(screen.getByTestId('admission-form'));
    const errors = screen.getByTestId('form-errors').textContent!;
    for (const f of ['科室', '病区', '床位', '主治医生', '入院诊断', '预交金', '收据号']) expect(errors).toContain(f);
    expect(fake.callsTo('admission.register')).toHaveLength(0);

    await fillRequiredFields();
    expect((screen.getByTestId('diagnosis-input') as HTMLInputElement).value).toBe('I20.000 不稳定性心绞痛（心绞痛）');
    fireEvent.change(screen.getByLabelText(/^预交金（元）/), { target: { value: '3,000.50' } });
    fireEvent.change(screen.getByLabelText(/^收据号/), { target: { value: 'YJ0001' } });
    fireEvent.submit(screen.getByTestId('admission-form'));

    await screen.findByTestId('admitted');
    expect(fake.callsTo('admission.register')[0]).toEqual({
      checkId: 'chk-1',
      deptCode: 'NK01',
      ward: 'W1',
      bed: '12',
      attendingDoctorCode: 'D1',
      attendingDoctorName: '李医生',
      diagnosisCode: 'I20.000',
      diagnosisName: '不稳定性心绞痛（心绞痛）',
      admissionType: 'normal',
      begntime: '2026-11-20 09:15:00',
      deposit: { amountFen: 300_050, receiptNo: 'YJ0001', method: 'cash' },
    });
    // Registered offline: queued, then the status event re-reads it as admitted.
    expect(screen.getByTestId('admitted-status').textContent).toContain('连接恢复后自动上传');
    act(() => fake.setStatus({ queue: { depth: 0, deadLetters: 0, oldestAgeSeconds: null } }));
    await waitFor(() => expect(screen.getByTestId('admitted-status').textContent).toBe('入院登记成功'));
    expect(screen.getByTestId('admitted-mdtrt-id').textContent).toBe('MD0001');

    // Esc on the result: next patient, the host forgets this one.
    fireEvent.keyDown(window, { key: 'Escape' });
    await screen.findByTestId('identify');
    expect(pageText()).not.toContain('ZY2026000001');
    expect(fake.callsTo('system.resetSession').length).toBeGreaterThanOrEqual(1);
  });

  it('入院时间: the terminal\'s now by default; a late stay typed over it; a future or too old time refused in words, nothing sent', async () => {
    const fake = deskFake();
    renderWith(fake, <App />);
    await signIn();
    fireEvent.change(screen.getByLabelText('身份证号码'), { target: { value: '320200197503141014' } });
    fireEvent.submit(screen.getByTestId('identify-id'));
    fireEvent.click(await screen.findByTestId('eligibility-continue'));
    await screen.findByTestId('admission-form');
    const time = screen.getByLabelText(/^入院时间/) as HTMLInputElement;
    // The terminal's time (2026-11-20 09:15), not the browser's, read back in Chinese.
    expect(time.value).toBe('2026-11-20 09:15');
    expect(screen.getByTestId('admission-begntime-hint').textContent).toContain('2026年11月20日 09:15');
    await fillRequiredFields();

    const refused = async (typed: string, words: string) => {
      fireEvent.change(time, { target: { value: typed } });
      fireEvent.submit(screen.getByTestId('admission-form'));
      await waitFor(() => expect(screen.getByTestId('form-errors').textContent).toContain('入院时间'));
      expect(screen.getByText(new RegExp(words))).toBeTruthy();
      expect(fake.callsTo('admission.register')).toHaveLength(0);
    };
    await refused('2026-11-20 10:30', '不能晚于当前时间（2026-11-20 09:15）');
    await refused('2026-11-12 09:00', '不能早于 2026-11-13 09:15（7 天内）');
    await refused('2026-11-31 08:00', '格式不正确');
    // A night-time emergency registered in the morning: typed, read back, sent with seconds.
    fireEvent.change(time, { target: { value: '2026-11-19 23:40' } });
    expect(screen.getByTestId('admission-begntime-hint').textContent).toContain('2026年11月19日 23:40');
    await waitFor(() => expect(screen.queryByTestId('form-errors')).toBeNull());
    fireEvent.submit(screen.getByTestId('admission-form'));
    await screen.findByTestId('admitted');
    expect(fake.callsTo('admission.register')[0]).toMatchObject({ begntime: '2026-11-19 23:40:00' });
  });

  it('identifies from a card read and asks for the insurance when there are several', async () => {
    let calls = 0;
    const fake = deskFake({
      eligibility: {
        check: async (args) => {
          calls++;
          return args.insutype
            ? sampleDecision({ chosenInsutype: args.insutype })
            : sampleDecision({
                needsInsutypeChoice: true,
                chosenInsutype: null,
                insurances: [
                  { insutype: '310', label: '职工基本医疗保险', psnType: '在职', active: true, accountBalanceFen: 0 },
                  { insutype: '390', label: '城乡居民基本医疗保险', psnType: '居民', active: true, accountBalanceFen: 0 },
                ],
              });
        },
      },
    });
    renderWith(fake, <App />);
    await signIn();
    await listening(fake);
    act(() => fake.emit('card-read', { readerId: 'r1', card: sampleCard() }));
    const choice = await screen.findByTestId('insutype-choice');
    fireEvent.click(within(choice).getByLabelText(/城乡居民/));
    fireEvent.click(screen.getByTestId('eligibility-continue'));
    await waitFor(() => expect(calls).toBe(2));
    expect(fake.callsTo('eligibility.check')[1]).toEqual({ credential: { kind: 'card' }, admissionType: 'normal', insutype: '390' });
  });

  it('Esc steps back from the eligibility result; the queue tab lists failed uploads with their actions', async () => {
    const fake = deskFake({
      queue: {
        status: async () => ({
          depth: 1,
          oldestAgeSeconds: 120,
          deadLetters: 1,
          items: [{ id: 'q1', infno: '2401', visit: 'ZY2026000001', state: 'dead' as const, attempts: 3, lastError: '床位号不存在', createdAt: '2026-03-02 09:00:00', nextAttemptAt: null }],
        }),
        retry: async () => ({ depth: 1, oldestAgeSeconds: 1, deadLetters: 0, items: [] }),
      },
    });
    renderWith(fake, <App />);
    await signIn();
    fireEvent.change(screen.getByLabelText('身份证号码'), { target: { value: '320200197503141014' } });
    fireEvent.submit(screen.getByTestId('identify-id'));
    await screen.findByTestId('eligibility-step');
    fireEvent.keyDown(window, { key: 'Escape' });
    await screen.findByTestId('identify');

    fireEvent.click(screen.getByTestId('tab-queue'));
    const items = await screen.findByTestId('queue-items');
    expect(items.textContent).toContain('入院登记（2401）');
    expect(items.textContent).toContain('床位号不存在');
    fireEvent.click(within(items).getByText('重试'));
    await waitFor(() => expect(fake.callsTo('queue.retry')).toEqual([{ id: 'q1' }]));
  });

  it('the queue tab says why an item waits for a person: the reversal cap with its count, an unreadable accepted answer without a cancel', async () => {
    const reason = '已发送并冲正（2601）5次，平台仍未给出可靠答复（HTTP 500）。为免反复登记与冲正，已停止自动重发：请核实网关与平台后重试或取消';
    const fake = deskFake({
      queue: {
        status: async () => ({
          depth: 2,
          oldestAgeSeconds: 600,
          deadLetters: 2,
          items: [
            { id: 'q1', infno: '2401', visit: 'ZY2026000001', state: 'dead' as const, attempts: 5, lastError: reason, createdAt: '2026-03-02 09:00:00', nextAttemptAt: null, deadReason: 'reversal-cap', reversals: 5 },
            { id: 'q2', infno: '2401', visit: 'ZY2026000002', state: 'dead' as const, attempts: 1, lastError: '医保平台已受理，但返回结果无法读取或写回本机', createdAt: '2026-03-02 09:01:00', nextAttemptAt: null, deadReason: 'output-invalid', reversals: 0 },
          ],
        }),
      },
    });
    renderWith(fake, <App />);
    await signIn();
    fireEvent.click(screen.getByTestId('tab-queue'));
    const items = await screen.findByTestId('queue-items');
    const [capped, unreadable] = within(items).getAllByRole('row').slice(1);
    expect(capped!.textContent).toContain('多次冲正仍无可靠答复');
    expect(capped!.textContent).toContain('冲正 5 次');
    expect(capped!.textContent).toContain('已停止自动重发');
    expect(within(capped!).getByText('取消')).toBeTruthy();
    expect(unreadable!.textContent).toContain('平台已受理，结果无法读取');
    expect(within(unreadable!).queryByText('取消')).toBeNull(); // it took effect: retry reverses it, cancel would not
    expect(within(unreadable!).getByText('重试')).toBeTruthy();
  });
});
