// Dates as the service speaks them: UTC days ("2025-11-24") and ISO instants.
// The page works in UTC throughout, like the API, so a day means the same to both.

const DAY_MS = 86_400_000;
const DAY = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const LONG_DAY = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const MOMENT = new Intl.DateTimeFormat("en-GB", {
  day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit",
  timeZone: "UTC",
});

export const instant = (iso) => (iso == null ? null : Date.parse(iso));
export const dayOf = (ms) => new Date(ms).toISOString().slice(0, 10);
export const startOfDay = (day) => Date.parse(`${day}T00:00:00Z`);
export const endOfDay = (day) => startOfDay(day) + DAY_MS - 1;  // as the API reads a bare date
export const addDays = (day, count) => dayOf(startOfDay(day) + count * DAY_MS);
export const daysBetween = (from, to) => Math.round((startOfDay(to) - startOfDay(from)) / DAY_MS);
export const today = () => dayOf(Date.now());
export const isDay = (text) => /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(startOfDay(text));

export const formatDay = (ms) => DAY.format(ms);
export const formatLongDay = (day) => LONG_DAY.format(startOfDay(day));
export const formatMoment = (ms) => `${MOMENT.format(ms)} UTC`;

/** A fuzzy date is exact when it names one day or one instant, with no range or qualifier. */
export const isExact = (text) => /^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(text);

/** Where an event's valid time lies, in words; the text as given is shown beside it. */
export function describeOccurred(event) {
  const earliest = instant(event.occurred_earliest);
  const latest = instant(event.occurred_latest);
  if (isExact(event.occurred)) {
    return event.occurred.includes("T") ? `at ${formatMoment(earliest)}` : `on ${formatDay(earliest)}`;
  }
  if (earliest == null && latest == null) return "at an unknown time";
  if (earliest == null) return `on or before ${formatDay(latest)}`;
  if (latest == null) return `on or after ${formatDay(earliest)}`;
  return `between ${formatDay(earliest)} and ${formatDay(latest)}`;
}

/** The value for the API's `known_at` from the page's UTC datetime-local field ("" is now). */
export const knownAtParam = (fieldValue) => (fieldValue ? `${fieldValue}Z` : null);
