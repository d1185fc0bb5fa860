// The page reads the same public API as any client.

const PAGE = 1000;

export class ApiProblem extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function getJson(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value != null && value !== ""));
  const response = await fetch(`${path}?${query}`, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiProblem(body?.detail ?? `${path} answered ${response.status}`, response.status);
  }
  return body;
}

/** The whole log in recorded order, a page at a time. */
export async function allEvents() {
  const events = [];
  let after = 0;
  for (;;) {
    const page = await getJson("/events", { after, limit: PAGE });
    events.push(...page.events);
    if (page.next == null) return events;
    after = page.next;
  }
}

/** Every subject's state at the end of `asOf` (a day), as known at `knownAt` (ISO, or null for now). */
export async function allStates(asOf, knownAt) {
  const subjects = [];
  let after = "";
  for (;;) {
    const page = await getJson("/state", { as_of: asOf, known_at: knownAt, after, limit: PAGE });
    subjects.push(...page.subjects);
    if (page.next == null) return subjects;
    after = page.next;
  }
}

export async function changesBetween(from, to, knownAt) {
  const subjects = [];
  let after = "";
  for (;;) {
    const page = await getJson("/changes", { from, to, known_at: knownAt, after, limit: PAGE });
    // Each change names its causes by id; the page lists every causing event once, by id.
    subjects.push(...page.subjects.map((item) => ({
      ...item,
      changes: item.changes.map((change) => ({ ...change, caused_by: change.caused_by.map((id) => page.events[id]) })),
    })));
    if (page.next == null) return subjects;
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
