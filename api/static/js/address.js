// The view in the address bar, so any view can be shared, reloaded, and gone back to.
// Each change the user makes is a history entry; a gesture (dragging the slider or the
// timeline) is one entry however many steps it takes.

import { dayOf, endOfDay, isDay, startOfDay } from "./dates.js";
import { KINDS } from "./kinds.js";

/** The view the address describes; anything missing or malformed is left at `defaults`. */
export function readView(search, defaults) {
  const params = new URLSearchParams(search);
  const day = (name) => (isDay(params.get(name) ?? "") ? params.get(name) : null);
  const view = { ...defaults, kinds: new Set(), sources: [] };
  if (day("as_of")) view.asOf = day("as_of");
  const known = (params.get("known_at") ?? "").replace(/Z$/, "");
  view.knownAt = isDay(known) || (known.includes("T") && !Number.isNaN(Date.parse(`${known}Z`))) ? known : "";
  view.selected = params.get("event") || null;
  const [start, end] = (params.get("window") ?? "").split("..");
  view.window = isDay(start ?? "") && isDay(end ?? "") && start <= end ? { start: startOfDay(start), end: endOfDay(end) + 1 } : null;
  view.changes = day("from") && day("to") ? { from: day("from"), to: day("to") } : null;
  view.query = params.get("q") ?? "";
  for (const kind of params.getAll("kind")) if (KINDS.has(kind)) view.kinds.add(kind);
  view.sources = params.getAll("source").filter(Boolean);
  view.publishedBy = day("published_by");
  const person = params.get("card") ?? "";
  view.person = /^[a-z0-9_-]+\/[a-z0-9-]{1,80}$/.test(person) ? person : null;  // whose card is open (people.js)
  return view;
}

export function addressOf(view) {
  const params = new URLSearchParams({ as_of: view.asOf });
  if (view.knownAt) params.set("known_at", isDay(view.knownAt) ? view.knownAt : `${view.knownAt}Z`);
  if (view.publishedBy) params.set("published_by", view.publishedBy);
  if (view.selected) params.set("event", view.selected);
  if (view.person) params.set("card", view.person);
  if (view.window) params.set("window", `${dayOf(view.window.start)}..${dayOf(view.window.end - 1)}`);
  if (view.changes) {
    params.set("from", view.changes.from);
    params.set("to", view.changes.to);
  }
  if (view.query) params.set("q", view.query);
  for (const kind of [...view.kinds].sort()) params.append("kind", kind);
  for (const source of view.sources) params.append("source", source);
  return `${location.pathname}?${params}`;
}

let gesture = false;  // inside a gesture, steps replace the entry the gesture began

/** Records the view: a new history entry, or the same one while a gesture goes on. */
export function remember(view, { during = false } = {}) {
  const address = addressOf(view);
  if (address === `${location.pathname}${location.search}`) return;
  if (gesture && during) history.replaceState(null, "", address);
  else history.pushState(null, "", address);
  gesture = during;
}

/** A gesture is over: its next change starts a new entry. */
export function settle() {
  gesture = false;
}
