// @vitest-environment jsdom
import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { KeepTogether } from '../../../renderer/components/KeepTogether.tsx';
import { EligibilityPanel } from '../../../renderer/components/EligibilityPanel.tsx';
import { sampleDecision } from '../../fakes/kiosk-samples.ts';

const kept = (el: HTMLElement) => [...el.querySelectorAll('.keep-together')].map((s) => s.textContent);

describe('KeepTogether: an amount with its unit and a phone number never break across lines', () => {
  it('wraps each amount with 元 and each phone number, and leaves the text as it was', () => {
    const text = '本次住院总费用 2,680.00 元，已交预交金 10,000.00 元，应退还您 -1.50 元；或致电 0510-12345678。';
    const { container } = render(<KeepTogether text={text} />);
    expect(container.textContent).toBe(text);
    expect(kept(container)).toEqual(['2,680.00 元', '10,000.00 元', '-1.50 元', '0510-12345678']);
  });

  it('the kiosk\'s next steps keep the hospital\'s phone number on one line (大字模式 broke it as "0510-" / "12345678")', () => {
    const d = sampleDecision({ guidance: [{ code: 'ASK', text: '如有疑问，请到门诊大厅医保服务窗口咨询，或致电 0510-12345678。' }] });
    const { getByTestId } = render(<EligibilityPanel decision={d} variant="kiosk" />);
    expect(kept(getByTestId('eligibility-guidance'))).toEqual(['0510-12345678']);
  });
});
