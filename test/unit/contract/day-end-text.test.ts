import { describe, expect, it } from 'vitest';
import { dateTimeText, lineTimeText, operatorText } from '../../../contract/day-end-text.ts';

describe('day-end words (screen, paper and CLI say the same)', () => {
  it('writes the report time the Chinese way, like its period (was "生成于 2026-11-20 08:30:24")', () => {
    expect(dateTimeText('2026-11-20 08:30:24')).toBe('2026年11月20日 08:30:24');
    expect(dateTimeText('2026-12-07')).toBe('2026年12月7日');
  });

  it('writes a line\'s time as the time of day in a one-day report, else the Chinese day and time (was "2026-11-20 08:30:04" on screen)', () => {
    const oneDay = { from: '2026-11-20', to: '2026-11-20' };
    expect(lineTimeText(oneDay, '2026-11-20 08:30:04')).toBe('08:30:04');
    // A refund under way since an earlier day keeps its day.
    expect(lineTimeText(oneDay, '2026-11-18 10:00:00')).toBe('2026年11月18日 10:00:00');
    expect(lineTimeText({ from: '2026-11-19', to: '2026-11-20' }, '2026-11-20 08:30:04')).toBe('2026年11月20日 08:30:04');
  });

  it('names a self-service terminal once (was "ZZJ01 ZZJ01"), a cashier by number and name', () => {
    expect(operatorText('ZZJ01', 'ZZJ01')).toBe('ZZJ01');
    expect(operatorText('0002', '王收费')).toBe('0002 王收费');
    expect(operatorText('0002', null)).toBe('0002');
    expect(operatorText(null, null)).toBe('全部收款员');
  });
});
