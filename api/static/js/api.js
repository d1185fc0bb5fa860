// The page reads the same public API as any client.

const PAGE = 1000;

export class ApiProblem extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function getJson(path, params = {}, seen = () => {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) if (item != null && item !== "") query.append(name, item);
  }
  const response = await fetch(`${path}?${query}`, { headers: { Accept: "application/json" } });
  seen(response);
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiProblem(body?.detail ?? `${path} answered ${response.status}`, response.status);
  }
  return body;
}

const WAVE = 4;  // pages asked at once

/**
 * The whole log, a few pages at a time. Positions are nearly contiguous, so the pages after
 * 0, 1000, 2000… are asked together; a gap only makes two pages overlap (events are kept
 * once, by id), and a full page's last position is never below the next page's start, so
 * nothing is missed. 20,000 events arrive in about a quarter of the time of one page after another.
 */
export async function allEvents() {
  const byId = new Map();
  let after = 0;
  let end = null;  // the log's last position, from the first page's Parley-Log-End: no page is asked past it (a 422)
  const seen = (response) => { end ??= Number(response.headers.get("Parley-Log-End") ?? Infinity); };
  for (;;) {
    const starts = Array.from({ length: end == null ? 1 : WAVE }, (_, index) => after + index * PAGE)
      .filter((start, index) => index === 0 || start < end);
    const pages = await Promise.all(starts.map((start) => getJson("/events", { after: start, limit: PAGE }, seen)));
    for (const page of pages) for (const event of page.events) byId.set(event.event_id, event);
    const last = pages.findIndex((page) => page.next == null);
    if (last !== -1) return [...byId.values()].sort((a, b) => a.position - b.position);  // retractions after their targets
    after = Math.max(...pages.map((page) => page.next));
  }
}

/** Every subject's state at the end of `asOf` (a day), as known at `knownAt` (ISO, or null for now),
 * according to `sources` and as published by `publishedBy` (SPEC §9) when given. */
export async function allStates(asOf, knownAt, { sources = [], publishedBy = null } = {}) {
  const subjects = [];
  let after = "";
  for (;;) {
    const page = await getJson("/state", {
      as_of: asOf, known_at: knownAt, source: sources, published_by: publishedBy, after, limit: PAGE,
    });
    subjects.push(...page.subjects);
    if (page.next == null) return subjects;
    after = page.next;
  }
}

export async function changesBetween(from, to, knownAt, { sources = [], publishedBy = null } = {}) {
  const subjects = [];
  let after = "";
  for (;;) {
    const page = await getJson("/changes", {
      from, to, known_at: knownAt, source: sources, published_by: publishedBy, after, limit: PAGE,
    });
    // Each change names its causes by id; the page lists every causing event once, by id.
    subjects.push(...page.subjects.map((item) => ({
      ...item,
      changes: item.changes.map((change) => ({ ...change, caused_by: change.caused_by.map((id) => page.events[id]) })),
    })));
    if (page.next == null) return subjects;
    after = page.next;
  }
}

/** Every scheduled meeting and trip at `asOf`, each saying whether it is overdue (SPEC §9). */
export async function expectations(asOf, knownAt, { sources = [], publishedBy = null } = {}) {
  const found = [];
  let after = "";
  for (;;) {
    const page = await getJson("/expectations", {
      as_of: asOf, known_at: knownAt, source: sources, published_by: publishedBy, after, limit: PAGE,
    });
    found.push(...page.expectations);
    if (page.next == null) return found;
    after = page.next;
  }
}

/**
 * Follows the live feed from just after `position`. The browser reconnects by itself after a
 * drop, sending the last id it saw, so the feed resumes with nothing missed and nothing twice.
 */
export function follow(position, { onEvent, onLive, onDropped }) {
  const feed = new EventSource(`/events/stream?after=${position}`);
  feed.addEventListener("ready", onLive);
  feed.addEventListener("message", (message) => onEvent(JSON.parse(message.data)));
  feed.addEventListener("error", () => onDropped(feed.readyState === EventSource.CLOSED));
  return feed;
}
