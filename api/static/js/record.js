// The events the page knows, and how each stands at the chosen as-of date and known-at moment.
// Standing follows the API's semantics (SPEC §4): an event is certain once its latest instant
// has passed, pending while only its earliest has, and withdrawn once its retraction is known.

import { instant } from "./dates.js";
import { titleIn } from "./words.js";

export const RETRACTION = "EventRetracted";

export class Record {
  constructor() {
    this.byId = new Map();
    this.bySubject = new Map();  // subject → its events, for cards and labels of many subjects
    this.titles = new Map();  // subject → its title or party, as its events name it
    this.lastPosition = 0;
    this.sorted = null;  // every event in valid-time order, kept until the next one arrives
  }

  get size() {
    return this.byId.size;
  }

  /** Adds an event; returns the events whose display changed (it, and what it retracts). */
  add(event) {
    if (this.byId.has(event.event_id)) return [];  // the feed never repeats one; be safe anyway
    const own = { ...event };
    // The valid-time span in ms, read once: the timeline asks which events overlap its window.
    own.from = instant(own.occurred_earliest) ?? -Infinity;
    own.to = instant(own.occurred_latest) ?? Infinity;
    this.sorted = null;
    this.byId.set(own.event_id, own);
    if (!this.bySubject.has(own.subject)) this.bySubject.set(own.subject, []);
    this.bySubject.get(own.subject).push(own);
    const title = own.type === RETRACTION || this.titles.has(own.subject) ? null : titleIn(own.subject, own.data);
    if (title && !this.titles.has(own.subject)) this.titles.set(own.subject, title);
    this.lastPosition = Math.max(this.lastPosition, own.position);
    const changed = [own];
    if (own.type === RETRACTION) {
      const target = this.byId.get(own.data.event_id);
      if (target && target.retracted_by == null) {
        target.retracted_by = own.event_id;
        target.retracted_at = own.recorded_at;
        changed.push(target);
      }
    }
    return changed;
  }

  get(eventId) {
    return this.byId.get(eventId);
  }

  /** Events recorded by `knownAt` (ms, or null for now), in valid-time order like /history. */
  known(knownAt) {
    this.sorted ??= [...this.byId.values()].sort(inValidTimeOrder);
    return knownAt == null ? this.sorted : this.sorted.filter((event) => isKnown(event, knownAt));
  }

  /** The span of every finite instant, to lay out open ends and the as-of slider. */
  bounds() {
    let start = Infinity;
    let end = -Infinity;
    for (const event of this.byId.values()) {
      for (const text of [event.occurred_earliest, event.occurred_latest]) {
        if (text == null) continue;
        const ms = instant(text);
        start = Math.min(start, ms);
        end = Math.max(end, ms);
      }
    }
    return start <= end ? { start, end } : null;
  }

  /** What readers call a subject, by its kind's declared title; null if unnamed. */
  titleOf(subject) {
    return this.titles.get(subject) ?? null;
  }

  /** How many of a subject's events were certain by `asOf` (ms), as known at `knownAt`. */
  certainBy(subject, asOf, knownAt) {
    return (this.bySubject.get(subject) ?? []).filter((event) => event.type !== RETRACTION
      && isKnown(event, knownAt) && standing(event, asOf, knownAt) === "certain").length;
  }

  /** Where each source name of a subject links to, for disputed values that name only sources. */
  sourcesOf(subject) {
    const named = new Map();
    for (const event of this.bySubject.get(subject) ?? []) {
      for (const source of event.sources) {
        if (!named.has(source.name) || (source.url && !named.get(source.name).url)) named.set(source.name, source);
      }
    }
    return named;
  }
}

export const isKnown = (event, knownAt) => knownAt == null || instant(event.recorded_at) <= knownAt;

export const isRetracted = (event, knownAt) =>
  event.retracted_at != null && (knownAt == null || instant(event.retracted_at) <= knownAt);

/** "retracted", "certain", "pending" or "later", at `asOf` (ms) as known at `knownAt`. */
export function standing(event, asOf, knownAt) {
  if (isRetracted(event, knownAt)) return "retracted";
  const earliest = instant(event.occurred_earliest);
  const latest = instant(event.occurred_latest);
  if (latest != null && latest <= asOf) return "certain";
  if (earliest == null || earliest <= asOf) return "pending";
  return "later";
}

export const STANDING_WORDS = {
  retracted: "retracted",
  certain: "certain by then",
  pending: "pending: may have happened by then",
  later: "not yet",
};

function inValidTimeOrder(a, b) {
  return (a.to === b.to ? 0 : a.to - b.to) || a.position - b.position;
}
