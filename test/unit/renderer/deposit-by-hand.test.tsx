// @vitest-environment jsdom
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { KioskError } from '../../../contract/errors.ts';
import { AdmittedView } from '../../../renderer/admission/AdmittedView.tsx';
import { fakeKiosk } from '../../fakes/fake-kiosk.ts';
import { sampleAdmission } from '../../fakes/kiosk-samples.ts';
import { renderWith } from './harness.tsx';

/** The admission office takes a 预交金 top-up in cash or by bank card; before, no screen could (the API only). */
describe('现金 / 银行卡收预交金 during a stay', () => {
  const stay = sampleAdmission({ status: 'admitted', depositsFen: 300_000 });
  const documents = { render: async ({ kind }: { kind: string }) => ({ kind, title: '入院登记单', html: '<p>入院登记单</p>', pdfBase64: null, media: 'a4' as const }) };

  it('records a cash top-up by its receipt number and shows the stored sum, not a figure of its own', async () => {
    const fake = fakeKiosk({
      documents: documents as never,
      admission: { addDeposit: async ({ deposit }) => ({ ...stay, depositsFen: stay.depositsFen + deposit.amountFen }) },
    });
    renderWith(fake, <AdmittedView admission={stay} onNext={() => undefined} />);
    const confirm = screen.getByTestId('by-hand-confirm') as HTMLButtonElement;
    fireEvent.change(screen.getByTestId('by-hand-amount'), { target: { value: '500' } });
    expect(confirm.disabled).toBe(true); // no receipt number yet
    fireEvent.change(screen.getByTestId('by-hand-receipt'), { target: { value: 'YJ-2026-0042' } });
    fireEvent.click(confirm);
    await screen.findByTestId('by-hand-done');
    expect(fake.callsTo('admission.addDeposit').at(-1)).toEqual({ admissionId: stay.admissionId, deposit: { amountFen: 50_000, method: 'cash', receiptNo: 'YJ-2026-0042' } });
    expect(screen.getByTestId('by-hand-done').textContent).toContain('预交金合计 3,500.00');
    expect(screen.getByTestId('admitted').textContent).toContain('3,500.00');
  });

  it('a bank-card top-up carries the POS 参考号; a refusal is shown and nothing is said to be received', async () => {
    const fake = fakeKiosk({
      documents: documents as never,
      admission: {
        addDeposit: async () => {
          throw new KioskError('ADMISSION_STATE', '该住院已结算，不能再收预交金', []);
        },
      },
    });
    renderWith(fake, <AdmittedView admission={stay} onNext={() => undefined} />);
    fireEvent.change(screen.getByTestId('by-hand-amount'), { target: { value: '200.50' } });
    fireEvent.change(screen.getByTestId('by-hand-method'), { target: { value: 'bank-card' } });
    expect(screen.getByLabelText('POS 参考号')).toBeTruthy();
    fireEvent.change(screen.getByTestId('by-hand-receipt'), { target: { value: '000123456789' } });
    fireEvent.click(screen.getByTestId('by-hand-confirm'));
    await screen.findByText('该住院已结算，不能再收预交金');
    expect(fake.callsTo('admission.addDeposit').at(-1)).toMatchObject({ deposit: { amountFen: 20_050, method: 'bank-card', receiptNo: '000123456789' } });
    await waitFor(() => expect(screen.queryByTestId('by-hand-done')).toBeNull());
    expect(screen.getByTestId('admitted').textContent).toContain('3,000.00');
  });
});
