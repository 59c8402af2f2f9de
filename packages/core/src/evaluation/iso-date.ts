/**
 * @module ISO-8601 dates for schedules and the date form of gt/gte/lt/lte.
 *
 * `Date.parse` reads a date-time without offset as local time, so the same config would
 * evaluate differently on servers and browsers in other time zones. This parser accepts only
 * the ISO forms below and reads a missing offset as UTC, everywhere.
 */

const ISO_DATE_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:\d{2})?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Milliseconds since the epoch for `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|±HH:MM]`
 * (no offset means UTC), or `NaN` if the text is not such a date or names an impossible day.
 *
 * @example
 * parseIsoDate('2025-03-01T12:00:00+01:00'); // 1740826800000
 */
export function parseIsoDate(text: string): number {
  if (text.length > 40) return Number.NaN;
  const match = ISO_DATE_PATTERN.exec(text);
  if (match === null) return Number.NaN;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4] ?? 0);
  const minute = Number(match[5] ?? 0);
  const second = Number(match[6] ?? 0);
  const millisecond = Math.floor(Number(`0.${match[7] ?? 0}`) * 1000);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const monthDays = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day < 1 || day > monthDays) return Number.NaN;
  let offsetMinutes = 0;
  const offset = match[8];
  if (offset !== undefined && offset !== 'Z' && offset !== 'z') {
    const sign = offset[0] === '-' ? -1 : 1;
    const offsetHours = Number(offset.slice(1, 3));
    const offsetRest = Number(offset.slice(4, 6));
    if (offsetHours > 23 || offsetRest > 59) return Number.NaN;
    offsetMinutes = sign * (offsetHours * 60 + offsetRest);
  }
  // Date.UTC maps years 0-99 to 1900-1999; shift them back so "0050-01-01" means year 50.
  let epoch = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  if (year < 100) epoch = new Date(epoch).setUTCFullYear(year, month - 1, day);
  return epoch - offsetMinutes * 60_000;
}
