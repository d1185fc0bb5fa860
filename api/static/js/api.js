// The page reads the same public API as any client.

const PAGE = 1000;

export class ApiProblem extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

/** A redacted value (SPEC §15: `{"redacted": true, "reason"}`) is read as the words the page shows in
 * its place, so every view that expects a text (a name, a quote, a note) shows them. */
function redactedAsWords(key, value) {
  return value !== null && typeof value === "object" && value.redacted === true && typeof value.reason === "string"
    && Object.keys(value).length === 2 ? `[redacted: ${value.reason}]` : value;
}

/** A reviver makes JSON.parse call back for every value: a page of 30 states at 1M events (1 MB)
 * took 60-120 ms so, against 3-9 ms without, on a page just opened. Only an answer that holds a
 * redaction (its key, `"redacted"`, written out) is read with it. */
function parsed(text) {
  return text.includes('"redacted"') ? JSON.parse(text, redactedAsWords) : JSON.parse(text);
}

async function getJson(path, params = {}, seen = () => {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) if (item != null && item !== "") query.append(name, item);
  }
  const response = await fetch(`${path}?${query}`, { headers: { Accept: "application/json" } });
  seen(response);
  const body = await response.text().then(parsed).catch(() => null);
  if (!response.ok) {
    throw new ApiProblem(body?.detail ?? `${path} answered ${response.status}`, response.status);
  }
  return body;
}

/** A write with the tab's token: `{ status, body }` whatever the answer (problems are shown at
 * their fields); a lost connection throws. The token goes in the header only, never the address. */
export async function send(method, path, body, token) {
  const headers = { Accept: "application/json, application/problem+json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: await response.text().then(parsed).catch(() => null) };
}

/** What `GET /search` finds for the words of Find (SPEC §11): people under any spelling, the
 * subjects and statements naming them, and events holding the words. */
export async function search(q, knownAt) {
  return getJson("/search", { q, known_at: knownAt, limit: 100 });
}

/** One event as read (SPEC §3), by its position in the log. */
export async function eventAt(position) {
  const page = await getJson("/events", { after: position - 1, limit: 1 });
  return page.events.find((event) => event.position === position) ?? null;
}

const IN_FLIGHT = 4;  // pages asked at once

/**
 * The whole log, pages asked side by side. The first page says where the log ends
 * (Parley-Log-End); positions are nearly contiguous, so the pages after 0, 1000, 2000… up to
 * there are asked four at a time, the next as soon as one is in, so the service is never idle.
 * A gap only makes two pages overlap (events are kept once, by id), and a full page's last
 * position is never below the next page's start, so nothing is missed. Events recorded
 * meanwhile are past the end: the live feed brings them, from the last position read.
 */
export async function allEvents() {
  const byId = new Map();
  const keep = (page) => { for (const event of page.events) byId.set(event.event_id, event); };
  let after = 0;
  for (;;) {
    let end = null;  // no page is asked past the log's end (a 422)
    const first = await getJson("/events", { after, limit: PAGE }, (response) => {
      end = Number(response.headers.get("Parley-Log-End") ?? Infinity);
    });
    keep(first);
    if (first.next == null) break;
    const starts = [];
    for (let start = first.next; start < end && starts.length < 10_000; start += PAGE) starts.push(start);
    const pages = await inParallel(starts, (start) => getJson("/events", { after: start, limit: PAGE }));
    pages.forEach(keep);
    const last = pages[pages.length - 1] ?? first;
    if (last.next == null || last.next >= end) break;  // what comes after the end, the live feed brings
    after = last.next;
  }
  return [...byId.values()].sort((a, b) => a.position - b.position);  // retractions after their targets
}

/** `ask` of each item, IN_FLIGHT at a time, the answers in the items' order. */
async function inParallel(items, ask) {
  const answers = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      answers[index] = await ask(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, items.length) }, worker));
  return answers;
}

/** Every subject's state at the end of `asOf` (a day), as known at `knownAt` (ISO, or null for now),
 * according to `sources` and as published by `publishedBy` (SPEC §9) when given. `limit`: at most
 * this many subjects (a large record's page of them); `more` is then whether others follow. */
export async function allStates(asOf, knownAt, { sources = [], publishedBy = null, limit = Infinity } = {}) {
  const subjects = [];
  let after = "";
  for (;;) {
    const page = await getJson("/state", {
      as_of: asOf, known_at: knownAt, source: sources, published_by: publishedBy, after,
      limit: Math.min(PAGE, limit - subjects.length),
    });
    subjects.push(...page.subjects);
    if (page.next == null || subjects.length >= limit) {
      subjects.more = page.next != null;
      return subjects;
    }
    after = page.next;
  }
}

const SUBJECTS_ASKED = 100;  // subjects named in one question, as /events and /state take them

/** The events of `subjects` that may have happened between `from` and `to` (days: the window a
 * timeline shows), whatever else the log holds: 100 subjects a question, a page at a time. */
export async function windowEvents(subjects, from, to) {
  const groups = [];
  for (let start = 0; start < subjects.length; start += SUBJECTS_ASKED) groups.push(subjects.slice(start, start + SUBJECTS_ASKED));
  const pages = await inParallel(groups, async (group) => {
    const events = [];
    let after = 0;
    for (;;) {
      const page = await getJson("/events", { occurred_from: from, occurred_to: to, subject: group, after, limit: PAGE });
      events.push(...page.events);
      if (page.next == null) return events;
      after = page.next;
    }
  });
  return pages.flat();
}

export async function changesBetween(from, to, knownAt, { sources = [], publishedBy = null, limit = Infinity } = {}) {
  const subjects = [];
  let after = "";
  for (;;) {
    const page = await getJson("/changes", {
      from, to, known_at: knownAt, source: sources, published_by: publishedBy, after, limit: Math.min(PAGE, limit),
    });
    // Each change names its causes by id; the page lists every causing event once, by id.
    subjects.push(...page.subjects.map((item) => ({
      ...item,
      changes: item.changes.map((change) => ({ ...change, caused_by: change.caused_by.map((id) => page.events[id]) })),
    })));
    if (page.next == null || subjects.length >= limit) return subjects;
    after = page.next;
  }
}

/** Every subject planned for a date at `asOf`, each saying whether it is overdue (SPEC §9). */
export async function expectations(asOf, knownAt, { sources = [], publishedBy = null, limit = Infinity } = {}) {
  const found = [];
  let after = "";
  for (;;) {
    const page = await getJson("/expectations", {
      as_of: asOf, known_at: knownAt, source: sources, published_by: publishedBy, after, limit: Math.min(PAGE, limit),
    });
    found.push(...page.expectations);
    if (page.next == null || Number.isFinite(limit)) return found;  // a large record: its first page
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
  feed.addEventListener("message", (message) => onEvent(parsed(message.data)));
  feed.addEventListener("error", () => onDropped(feed.readyState === EventSource.CLOSED));
  return feed;
}

/** Two drafts of a subject's item list (SPEC §12): each end `{ day }` or `{ revision }`. */
export async function compareDrafts(subject, from, to, knownAt) {
  const end = (name, asked) => (asked.revision != null ? { [`${name}_revision`]: asked.revision } : { [name]: asked.day });
  return getJson(`/subjects/${subject}/compare`, { ...end("from", from), ...end("to", to), known_at: knownAt });
}

const IDS_ASKED = 100;  // ids named in one question, as /events takes them

/** The events with these ids (a comparison's causes), 100 a question, in recorded order. */
export async function eventsById(ids) {
  const wanted = [...new Set(ids)];
  const groups = [];
  for (let start = 0; start < wanted.length; start += IDS_ASKED) groups.push(wanted.slice(start, start + IDS_ASKED));
  const pages = await inParallel(groups, (group) => getJson("/events", { id: group, limit: IDS_ASKED }));
  return pages.flatMap((page) => page.events).sort((a, b) => a.position - b.position);
}

/** One subject's state at a day as known at a moment (SPEC §3): a person's with offices and roles. */
export async function stateOf(subject, asOf, knownAt) {
  return getJson(`/subjects/${subject}`, { as_of: asOf, known_at: knownAt });
}

/** The events naming a person under any of their spellings, certain by the day (SPEC §11). */
export async function mentionsOf(subject, asOf, knownAt) {
  return getJson(`/subjects/${subject}/mentions`, { as_of: asOf, known_at: knownAt });
}
