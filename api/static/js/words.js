// Short, plain words for events and values, for timeline labels and screen readers.

import { plainDate } from "./dates.js";

/** A disputed value reads as its alternatives; anything else as itself. */
export function plain(value) {
  if (value == null) return "";
  if (isDisputed(value)) return value.disputed.map((alternative) => plain(alternative.value)).join(" or ");
  if (Array.isArray(value)) return value.map(plain).join(", ");
  if (typeof value === "object") return value.name ?? JSON.stringify(value);
  return String(value);
}

export const isDisputed = (value) =>
  value != null && typeof value === "object" && !Array.isArray(value) && Array.isArray(value.disputed);

/** A fuzzy date (or a disputed one) in words: "on or before 30 Nov 2025". */
export function when(value) {
  if (isDisputed(value)) return value.disputed.map((alternative) => when(alternative.value)).join(" or ");
  return value == null ? "" : plainDate(String(value));
}

/** Fields whose values are fuzzy dates, shown in words wherever they appear. */
export const DATE_FIELDS = new Set(["planned_for", "occurred"]);

export const fieldName = (name) => name.replaceAll("_", " ");

const SUMMARIES = {
  DelegationFormed: (d) => `Formed${d.head ? `, headed by ${plain(d.head)}` : ""}`,
  DelegationHeadReplaced: (d) => `Head replaced by ${plain(d.new_head)}`,
  DelegationMemberJoined: (d) => `${plain(d.name)} joined`,
  DelegationMemberLeft: (d) => `${plain(d.name)} left`,
  PlanProposed: (d) => `Proposed: ${plain(d.title)}${d.point_count != null ? ` (${plain(d.point_count)} points)` : ""}`,
  PlanRevised: (d) => `Revised${d.point_count != null ? ` to ${plain(d.point_count)} points` : ""}`,
  PlanStatusChanged: (d) => `Status: ${plain(d.status).replaceAll("_", " ")}`,
  MeetingScheduled: (d) => `Scheduled in ${plain(d.location)}, planned ${when(d.planned_for)}`,
  MeetingRescheduled: (d) => `Rescheduled, now planned ${when(d.planned_for)}`,
  MeetingHeld: (d) => `Held${d.location ? ` in ${plain(d.location)}` : ""}`,
  MeetingCancelled: () => "Cancelled",
  TripScheduled: (d) => `${plain(d.traveller)} to ${plain(d.destination)}, planned ${when(d.planned_for)}`,
  TripRescheduled: (d) => `Rescheduled, now planned ${when(d.planned_for)}`,
  TripCompleted: () => "Completed",
  TripCancelled: () => "Cancelled",
  StatementRecorded: (d) => `${plain(d.speaker)}: “${truncate(plain(d.quote), 60)}”`,
};

let lookup = () => null;  // an event by id, from the page's record: a retraction names what it withdraws

/** Lets the words name the report a retraction withdraws. */
export function readEventsFrom(find) {
  lookup = find;
}

const RETRACTION = "EventRetracted";

/** "Retracts “Head replaced by Rustem Umerov” (on or before 30 Nov 2025). Reason: misread" */
function retraction(data) {
  const target = lookup(data.event_id);
  const what = target ? `Retracts “${summary(target)}” (${typeName(target.type).toLowerCase()}, ${plainDate(target.occurred)})`
    : "Retracts an earlier report";
  return data.reason ? `${what}. Reason: ${plain(data.reason)}` : what;
}

/** Why an event was withdrawn, in words, from its retraction; null when not known. */
export function retractionReason(event) {
  const by = event.retracted_by && lookup(event.retracted_by);
  return by?.data?.reason ? plain(by.data.reason) : null;
}

/** One line saying what an event reports. */
export function summary(event) {
  if (event.type === RETRACTION) return retraction(event.data ?? {});
  const describe = SUMMARIES[event.type];
  return describe ? describe(event.data ?? {}) : event.type;
}

/** "DelegationHeadReplaced" reads as "Delegation head replaced". */
export function typeName(type) {
  const words = type.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function truncate(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** Every string in an event's data, flattened: people, parties, places, titles, quotes. */
export function names(value) {
  if (value == null) return [];
  if (typeof value === "string" || typeof value === "number") return [String(value)];
  if (Array.isArray(value)) return value.flatMap(names);
  if (typeof value === "object") return Object.values(value).flatMap(names);
  return [];
}
