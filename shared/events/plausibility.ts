import { addDays, isoDateOf, monthIndex } from '../lib/dates';
import type { FieldProblem } from './validate';
import type { WebhookEvent } from './schemas';

/**
 * Range checks the schemas cannot make alone, because they need the clock or a setting: a value that cannot be true
 * is refused (it would be stored and never count, or count wrongly), one that is unusual but possible is accepted and
 * reported back as a warning, so the sender sees it without losing the event.
 */

/** Partner Center's usage records and the rule sets' certifications all start later: an earlier month is a typo. */
export const EARLIEST_MONTH = '2015-01';
export const EARLIEST_DATE = '2015-01-01';
/** A month's revenue of one workload in one tenant above this is possible but worth a second look. */
const LARGE_MONTHLY_USD = 10_000_000;
/** Telemetry older than this no longer counts towards any score from today (every metric looks back at most 13 months). */
const OLD_TELEMETRY_MONTHS = 24;

export interface PlausibilityLimits {
  now: Date;
  futureToleranceSeconds: number;
  maxSeatCount: number;
}

export interface Plausibility {
  problems: FieldProblem[];
  warnings: FieldProblem[];
}

const SEAT_FIELDS = ['paidSeats', 'activeUsers', 'protectedUsers', 'mcvUnits'] as const;
const MONEY_FIELDS = ['acrUsd', 'revenueUsd'] as const;

/** Checks one schema-valid event; paths are relative to the event (the caller prefixes its place in the batch). */
export function checkPlausibility(event: WebhookEvent, limits: PlausibilityLimits): Plausibility {
  const problems: FieldProblem[] = [];
  const warnings: FieldProblem[] = [];
  // The latest calendar day an action date may carry: a sender's clock may run a day ahead, as for occurredAt.
  const latestDay = isoDateOf(new Date(limits.now.getTime() + limits.futureToleranceSeconds * 1000));
  const currentMonth = isoDateOf(limits.now).slice(0, 7);

  const actionDate = (field: string, value: string) => {
    if (value < EARLIEST_DATE) problems.push({ path: `data.${field}`, message: `${value} is before ${EARLIEST_DATE}; nothing the rule sets count happened then: check the year` });
    else if (value > latestDay) problems.push({ path: `data.${field}`, message: `${value} is in the future (today is ${isoDateOf(limits.now)}); send it once it has happened` });
  };
  const expiryAfter = (field: string, value: string | undefined, from: string) => {
    if (value === undefined) return;
    if (value < from) problems.push({ path: 'data.expiresOn', message: `${value} is before ${field} (${from}); a certification cannot expire before it is ${field === 'earnedOn' ? 'earned' : 'renewed'}` });
    else if (value > addDays(from, 3 * 366)) warnings.push({ path: 'data.expiresOn', message: `${value} is more than three years after ${field} (${from}); role-based certifications expire after one year: check the date` });
  };

  switch (event.type) {
    case 'telemetry.monthly': {
      const d = event.data;
      if (d.month < EARLIEST_MONTH) problems.push({ path: 'data.month', message: `${d.month} is before ${EARLIEST_MONTH}; check the year` });
      else if (d.month > currentMonth) problems.push({ path: 'data.month', message: `${d.month} has not started yet (this month is ${currentMonth}); usage can only be reported for a month that has begun` });
      else if (monthIndex(currentMonth) - monthIndex(d.month) > OLD_TELEMETRY_MONTHS) warnings.push({ path: 'data.month', message: `${d.month} is more than ${OLD_TELEMETRY_MONTHS} months ago: kept for the history, it counts towards no score from today` });
      for (const f of SEAT_FIELDS) {
        const v = d[f];
        if (v !== undefined && v > limits.maxSeatCount) problems.push({ path: `data.${f}`, message: `${v} is above ${limits.maxSeatCount}, more than any tenant has (the MAX_SEAT_COUNT setting); check the figure` });
      }
      if (d.activeUsers !== undefined && d.paidSeats !== undefined && d.activeUsers > d.paidSeats) {
        warnings.push({ path: 'data.activeUsers', message: `${d.activeUsers} active users is more than the ${d.paidSeats} paid seats; possible with free or trial licences, but check the figures` });
      }
      for (const f of MONEY_FIELDS) {
        const v = d[f];
        if (v !== undefined && v > LARGE_MONTHLY_USD) warnings.push({ path: `data.${f}`, message: `${v} USD in one month for one workload of one tenant is unusually large; check the unit (USD, not cents)` });
      }
      break;
    }
    case 'certification.earned':
      actionDate('earnedOn', event.data.earnedOn);
      expiryAfter('earnedOn', event.data.expiresOn, event.data.earnedOn);
      break;
    case 'certification.renewed':
      actionDate('renewedOn', event.data.renewedOn);
      expiryAfter('renewedOn', event.data.expiresOn, event.data.renewedOn);
      break;
    case 'certification.expired':
      actionDate('expiredOn', event.data.expiredOn);
      break;
    case 'designation.enrolled':
    case 'designation.renewed': {
      const field = event.type === 'designation.enrolled' ? 'enrolledOn' : 'renewedOn';
      const on = event.type === 'designation.enrolled' ? event.data.enrolledOn : event.data.renewedOn;
      actionDate(field, on);
      // Designations run a year from enrolment or renewal: a later anniversary is possible only by a data error.
      if (event.data.anniversaryDate > addDays(on, 400)) warnings.push({ path: 'data.anniversaryDate', message: `${event.data.anniversaryDate} is more than a year after ${field} (${on}); a designation's anniversary comes once a year: check the date` });
      break;
    }
    case 'designation.lost':
      actionDate('lostOn', event.data.lostOn);
      break;
    default:
      break;
  }
  return { problems, warnings };
}
