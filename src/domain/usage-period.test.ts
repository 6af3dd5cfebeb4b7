import { describe, expect, it } from 'vitest';
import { monthStart, nextDayStart, nextMonthStart, usagePeriodsAt } from './usage-period.js';

describe('usage periods (UTC)', () => {
  it('names the UTC day and month, whatever the local offset of the instant written', () => {
    // 23:30 on the 31st in New York is already the 1st of the next month in UTC.
    expect(usagePeriodsAt(new Date('2026-01-31T23:30:00-05:00'))).toEqual({ day: '2026-02-01', month: '2026-02' });
  });

  it('renews days at UTC midnight and months on the 1st, across year ends and leap days', () => {
    expect(nextDayStart(new Date('2028-02-28T12:00:00Z')).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(nextDayStart(new Date('2026-12-31T23:59:59.999Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(nextMonthStart(new Date('2026-12-15T00:00:00Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(monthStart(new Date('2026-11-28T10:00:00Z')).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });
});
