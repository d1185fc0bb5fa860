// The events the page knows, and how each stands at the chosen as-of date and known-at moment.
// Standing follows the API's semantics (SPEC §4): an event is certain once its latest instant
// has passed, pending while only its earliest has, and withdrawn once its retraction is known.

import { instant } from "./dates.js";

export const RETRACTION = "EventRetracted";

export class Record {
  constructor() {
    this.byId = new Map();
    this.lastPosition = 0;
  }

  /** Adds an event; returns the events whose display changed (it, and what it retracts). */
  add(event) {
    if (this.byId.has(event.event_id)) return [];  // the feed never repeats one; be safe anyway
    const own = { ...event };
    this.byId.set(own.event_id, own);
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
    return [...this.byId.values()].filter((event) => isKnown(event, knownAt)).sort(inValidTimeOrder);
  }

  /** The span of every finite instant, to lay out open ends and the as-of slider. */
  bounds() {
    const instants = [];
    for (const event of this.byId.values()) {
      for (const end of [event.occurred_earliest, event.occurred_latest]) {
        if (end != null) instants.push(instant(end));
      }
    }
    return instants.length ? { start: Math.min(...instants), end: Math.max(...instants) } : null;
  }

  /** Where each source name of a subject links to, for disputed values that name only sources. */
  sourcesOf(subject) {
    const named = new Map();
    for (const event of this.byId.values()) {
      if (event.subject !== subject) continue;
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
  const latestA = instant(a.occurred_latest) ?? Infinity;
  const latestB = instant(b.occurred_latest) ?? Infinity;
  return latestA - latestB || a.position - b.position;
}
