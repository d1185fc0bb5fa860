// Dates as the service speaks them: UTC days ("2025-11-24") and ISO instants, and fuzzy dates
// ("../2025-11-30", "2025-12", "2025-12-02/2025-12-03?") put into plain words.
// The page works in UTC throughout, like the API, so a day means the same to both.

export const DAY_MS = 86_400_000;
const DAY = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const LONG_DAY = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const MONTH = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
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

const END = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([?~]?)$/;
const QUALIFIED = { "?": "probably ", "~": "about " };

/** One end of a fuzzy date, read: its precision and first day; null for an open end. */
function readEnd(text) {
  if (text === "..") return null;
  const match = END.exec(text);
  if (!match) return undefined;
  const [, year, month, day, qualifier] = match;
  const precision = day ? "day" : month ? "month" : "year";
  return { precision, ms: Date.UTC(Number(year), Number(month ?? 1) - 1, Number(day ?? 1)), qualifier };
}

function endWords(end) {
  const words = end.precision === "day" ? DAY.format(end.ms)
    : end.precision === "month" ? MONTH.format(end.ms) : String(new Date(end.ms).getUTCFullYear());
  return `${QUALIFIED[end.qualifier] ?? ""}${words}`;
}

/** "2 or 3 Dec 2025", "28 Nov and 2 Dec 2025": two days, sharing what they share. */
function twoDays(a, b, joiner) {
  const [da, db] = [new Date(a.ms), new Date(b.ms)];
  if (da.getUTCFullYear() !== db.getUTCFullYear()) return `${DAY.format(a.ms)}${joiner}${DAY.format(b.ms)}`;
  const second = DAY.format(b.ms);
  if (da.getUTCMonth() !== db.getUTCMonth()) return `${DAY.format(a.ms).replace(/ \d{4}$/, "")}${joiner}${second}`;
  return `${da.getUTCDate()}${joiner}${second}`;
}

/**
 * A fuzzy date in plain words: "on 24 Nov 2025", "on or before 30 Nov 2025", "some time in
 * December 2025", "on 2 or 3 Dec 2025", "between 1 and 5 Dec 2025", "probably on 3 Dec 2025".
 * Text it cannot read is returned as given.
 */
export function plainDate(text) {
  if (typeof text !== "string") return String(text);
  if (text.includes("T") && !text.includes("/")) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? text : `at ${formatMoment(ms)}`;
  }
  const parts = text.split("/");
  if (parts.length === 1) {
    const end = readEnd(text);
    if (!end) return text;
    if (end.precision === "day") return `${QUALIFIED[end.qualifier] ?? ""}on ${DAY.format(end.ms)}`;
    const period = endWords({ ...end, qualifier: "" });
    return end.qualifier === "~" ? `around ${period}` : end.qualifier ? `probably in ${period}` : `some time in ${period}`;
  }
  if (parts.length !== 2) return text;
  const [first, last] = parts.map(readEnd);
  if (first === undefined || last === undefined || (first === null && last === null)) return text;
  if (first === null) return `on or before ${endWords(last)}`;
  if (last === null) return `on or after ${endWords(first)}`;
  const plainDays = first.precision === "day" && last.precision === "day" && !first.qualifier && !last.qualifier;
  if (plainDays && last.ms - first.ms === DAY_MS) return `on ${twoDays(first, last, " or ")}`;
  if (plainDays) return `between ${twoDays(first, last, " and ")}`;
  return `between ${endWords(first)} and ${endWords(last)}`;
}

/** The latest instant a fuzzy date allows (ms); null for an open end or text it cannot read. */
export function latestOf(text) {
  if (typeof text !== "string") return null;
  if (text.includes("T") && !text.includes("/")) return Number.isNaN(Date.parse(text)) ? null : Date.parse(text);
  const end = readEnd(text.split("/").pop());
  if (!end) return null;
  const date = new Date(end.ms);
  const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()];
  const widen = end.qualifier ? 1 : 0;  // "?" and "~" widen by one unit of the date's precision
  const next = end.precision === "day" ? Date.UTC(year, month, day + 1 + widen)
    : end.precision === "month" ? Date.UTC(year, month + 1 + widen, 1) : Date.UTC(year + 1 + widen, 0, 1);
  return next - 1;
}

/** Where an event's valid time lies, in words; the text as given is shown beside it. */
export function describeOccurred(event) {
  const words = plainDate(event.occurred);
  if (words !== event.occurred) return words;
  const earliest = instant(event.occurred_earliest);
  const latest = instant(event.occurred_latest);
  if (earliest == null && latest == null) return "at an unknown time";
  if (earliest == null) return `on or before ${formatDay(latest)}`;
  if (latest == null) return `on or after ${formatDay(earliest)}`;
  return `between ${formatDay(earliest)} and ${formatDay(latest)}`;
}

/** The value for the API's `known_at` from the page's "known at" ("" is now; a day is its end). */
export const knownAtParam = (value) => (!value ? null : isDay(value) ? `${value}T23:59:59.999Z` : `${value}Z`);

// Dates as users type them. A field takes "2025-11-24", "24 November 2025", "24 Nov 2025" or
// "November 24, 2025"; "Known at" also takes a time, "2025-11-24 14:30" (UTC, 24-hour, no
// seconds). Years run 1000-2999, as the API reads them.
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
  "october", "november", "december"];

function monthNumber(word) {
  const folded = word.toLowerCase().replace(/\.$/, "");
  if (folded.length < 3) return null;
  const index = MONTHS.findIndex((month) => month.startsWith(folded));
  return index < 0 ? null : index + 1;
}

function dayFrom(year, month, day) {
  if (year < 1000 || year > 2999 || month == null) return null;
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;  // 31 November
  return dayOf(ms);
}

/** The day (ISO) a typed text names, or null when it names none. */
export function parseDay(text) {
  const words = String(text).trim().replace(/,/g, " ").replace(/\s+/g, " ");
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(words);
  if (match) return dayFrom(Number(match[1]), Number(match[2]), Number(match[3]));
  match = /^(\d{1,2}) ([A-Za-z.]+) (\d{4})$/.exec(words);
  if (match) return dayFrom(Number(match[3]), monthNumber(match[2]), Number(match[1]));
  match = /^([A-Za-z.]+) (\d{1,2}) (\d{4})$/.exec(words);
  if (match) return dayFrom(Number(match[3]), monthNumber(match[1]), Number(match[2]));
  return null;
}

/** True when a text reads as finished (it ends in a four-digit year or a full ISO day): a field
 * commits it as it is typed then, and waits for Enter or leaving the field otherwise. */
export const looksComplete = (text) => /^\s*\d{4}-\d{2}-\d{2}\s*$|[A-Za-z.,]\s*\d{4}\s*$/.test(String(text));

/** A moment as typed for "Known at": a day ("2025-11-24": its end, as the API reads a bare
 * date) or a day and a time ("2025-11-24 14:30"). Returns the page's form of it
 * ("2025-11-24" or "2025-11-24T14:30"), or null. Seconds may be given; AM/PM is not needed. */
export function parseMoment(text) {
  const trimmed = String(text).trim();
  const match = /^(.*?)(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d{1,3})?))?\s*(?:UTC|Z)?)?$/i.exec(trimmed);
  if (!match) return null;
  const day = parseDay(match[1]);
  if (!day) return null;
  if (match[2] == null) return day;
  const [hours, minutes] = [Number(match[2]), Number(match[3])];
  if (hours > 23 || minutes > 59) return null;
  const seconds = match[4] != null ? `:${match[4].padStart(2, "0")}` : "";
  if (seconds && Number(match[4]) >= 60) return null;
  return `${day}T${String(hours).padStart(2, "0")}:${match[3]}${seconds}`;
}

const MINUTE = new Intl.DateTimeFormat("en-GB", {
  day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC",
});

/** The page's "known at" in words: "24 November 2025, end of day" or "24 November 2025, 14:30 UTC". */
export function knownAtWords(value) {
  if (!value) return "";
  if (isDay(value)) return `${formatLongDay(value)}, end of day (UTC)`;
  const ms = Date.parse(`${value}Z`);
  if (Number.isNaN(ms)) return value;
  const precise = new Date(ms).getUTCSeconds() || new Date(ms).getUTCMilliseconds();
  return precise ? formatMoment(ms) : `${MINUTE.format(ms)} UTC`;
}

const FORMS = "Type a day (2025-11-23 or 23 November 2025), a month (2025-11), a year (2025), a range "
  + "(2025-12-01/2025-12-05), on or before (../2025-11-30) or on or after (2025-12-01/..); add ? when uncertain "
  + "or ~ when approximate (2025-12-03?).";

/** A fuzzy date as it is typed (SPEC §1): the value to send (a day written in words is sent in its
 * ISO form) and its reading in words, said while it is typed. */
export function dateReading(text) {
  const typed = String(text ?? "").trim();
  if (!typed) return { value: "", words: "" };
  const day = parseDay(typed);
  if (day && day !== typed) return { value: day, words: `Reads: ${plainDate(day)} (sent as ${day}).` };
  const words = plainDate(typed);
  if (words !== typed && !/\bInvalid\b|NaN/.test(words)) return { value: typed, words: `Reads: ${words}.` };
  return { value: typed, words: `“${typed}” does not read as a date yet. ${FORMS}` };
}
