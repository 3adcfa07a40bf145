import { afterEach, describe, expect, it, vi } from 'vitest';
import { startRetentionSchedule } from '../../../../services/retention/schedule.ts';
import { memoryLogger } from '../../../../services/logging/logger.ts';
import type { RetentionReport } from '../../../../db/retention.ts';

const report: RetentionReport = {
  cutoff: 0,
  deleted: { cardsSeen: 3, persons: 2, eligibilitySnapshots: 4, outboxItems: 10, reversalJournal: 0, signIns: 5, feeLinesOfUnsettledVisits: 0 },
  scrubbedSettlements: 1,
};

afterEach(() => vi.useRealTimers());

describe('retention schedule', () => {
  it('purges after start-up, then once a day, and stops when closed', () => {
    vi.useFakeTimers();
    const purge = vi.fn(() => report);
    const log = memoryLogger();
    const s = startRetentionSchedule({ purge, log, firstDelayMs: 1000, intervalMs: 86_400_000 });
    expect(purge).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(purge).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(86_400_000);
    expect(purge).toHaveBeenCalledTimes(2);
    s.close();
    vi.advanceTimersByTime(3 * 86_400_000);
    expect(purge).toHaveBeenCalledTimes(2);
    expect(log.lines.map((l) => JSON.parse(l).msg)).toEqual(['retention purge', 'retention purge']);
    expect(JSON.parse(log.lines[0]!)).toMatchObject({ deleted: { persons: 2 }, scrubbedSettlements: 1 });
  });

  it('logs a failed purge and tries again the next day', () => {
    vi.useFakeTimers();
    const purge = vi.fn<() => RetentionReport>().mockImplementationOnce(() => {
      throw new Error('SQLITE_BUSY');
    }).mockImplementation(() => report);
    const log = memoryLogger();
    const s = startRetentionSchedule({ purge, log, firstDelayMs: 10, intervalMs: 100 });
    vi.advanceTimersByTime(10);
    expect(JSON.parse(log.lines[0]!)).toMatchObject({ level: 'error', msg: 'retention purge failed' });
    vi.advanceTimersByTime(100);
    expect(purge).toHaveBeenCalledTimes(2);
    expect(JSON.parse(log.lines[1]!)).toMatchObject({ level: 'info', msg: 'retention purge' });
    s.close();
  });
});
