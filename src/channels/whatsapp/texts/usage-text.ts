import { microsToUsd } from '../../../domain/usage.js';
import type { LimitsStatus } from '../../../use-cases/get-usage.js';

const count = (n: number) => n.toLocaleString('en-US');

function usd(micros: number): string {
  const dollars = microsToUsd(micros);
  return `$${dollars > 0 && dollars < 0.01 ? dollars.toFixed(4) : dollars.toFixed(2)}`;
}

const monthDay = (date: Date) => date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' });

/** `/usage`: what the user has used today and this month, what is left, and when it renews (UTC). */
export function usageText(status: LimitsStatus): string {
  const { limits, standing } = status;
  const usedToday = standing.daySpentTokens + standing.dayReservedTokens;
  const usedThisMonth = standing.monthSpentMicros + standing.monthReservedMicros;
  const today =
    limits.dailyTokens === null
      ? `• Today: ${count(usedToday)} tokens (no daily limit).`
      : `• Today: ${count(usedToday)} of ${count(limits.dailyTokens)} tokens (${count(Math.max(0, limits.dailyTokens - usedToday))} left); renews at midnight UTC.`;
  const month =
    limits.monthlyBudgetMicros === null
      ? `• This month: ${usd(usedThisMonth)} (no monthly budget).`
      : `• This month: ${usd(usedThisMonth)} of ${usd(limits.monthlyBudgetMicros)} (${usd(Math.max(0, limits.monthlyBudgetMicros - usedThisMonth))} left); renews on ${monthDay(status.monthRenewsAt)}.`;
  const pace = [
    limits.requestsPerMinute === null ? undefined : `at most ${limits.requestsPerMinute} messages a minute`,
    limits.concurrentReplies === null ? undefined : `${limits.concurrentReplies} ${limits.concurrentReplies === 1 ? 'answer' : 'answers'} at a time`,
  ].filter((part) => part !== undefined);
  return ['Your usage:', today, month, ...(pace.length > 0 ? [`• Pace: ${pace.join(', ')}.`] : [])].join('\n');
}
