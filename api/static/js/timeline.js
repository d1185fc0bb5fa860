// The record on a valid-time axis, drawn by vis-timeline (vendored; the global `vis`).
// One row per subject, labelled by its title or party. Exact dates are points, fuzzy dates
// ranges from their earliest to their latest instant; an open end runs to the edge of the record
// and fades out there. The window opens on the as-of date at day scale, whatever the record spans.

import { DAY_MS, dayOf, describeOccurred, endOfDay, formatLongDay, isExact, instant, startOfDay } from "./dates.js";
import { RETRACTION, STANDING_WORDS } from "./record.js";
import { KINDS, kindOf, kindOrder, typeWords } from "./kinds.js";
import { fieldName, summary, truncate, typeName, when } from "./words.js";

// An open end is drawn this far past its finite end, fading out: far enough to read as "on or
// before", and not to the record's edge, which one subject years away would push off screen.
const OPEN_END_DAYS = 14;
const AS_OF = "as-of";
const SHOWN_IN_A_MARK = 10;  // the events a mark of several names in its tooltip
// Days shown either side of the as-of date when the page opens, by screen width.
export const openingDays = () => (window.innerWidth < 600 ? 3 : 7);

export class EventTimeline {
  /** `onWindow(start, end, byUser)` hears every window change, so the slider and address follow. */
  constructor(container, { onSelect, onAsOfMoved, onWindow, onToggleRow, opening }) {
    this.container = container;
    this.items = new vis.DataSet();
    this.groups = new vis.DataSet();
    this.onToggleRow = onToggleRow;
    this.arrived = new Set();  // events that came by the live feed while the page was open
    this.marked = new Set();  // events that name the person whose card is open (people.js)
    this.marks = new Map();  // a mark of several events (its first's id) → their ids, and each of them → the mark
    this.timeline = new vis.Timeline(container, this.items, this.groups, {
      moment: (date) => vis.moment(date).utc(),  // the axis in UTC, as the API
      orientation: { axis: "top", item: "top" },
      zoomKey: "ctrlKey",  // a plain wheel scrolls the page, not the timeline
      zoomMin: DAY_MS,
      // vis-timeline fits every item on its first draw unless it is given a window to open on.
      start: new Date(opening.start),
      end: new Date(opening.end),
      groupOrder: "order",
      maxHeight: "70vh",  // many subjects scroll inside the timeline, not down the page
      verticalScroll: true,
      showCurrentTime: true,
      margin: { item: { horizontal: 4, vertical: 6 } },
      tooltip: { followMouse: true, overflowMethod: "cap", delay: 150 },
      snap: (date) => new Date(endOfDay(dayOf(date.valueOf()))),  // the as-of line moves by days
    });
    this.timeline.addCustomTime(new Date(), AS_OF);
    this.timeline.on("select", ({ items }) => onSelect(items[0] ?? null));
    this.timeline.on("timechanged", ({ id, time }) => {
      if (id === AS_OF) onAsOfMoved(dayOf(time.valueOf()));
    });
    this.timeline.on("rangechanged", ({ start, end, byUser }) => {
      this.windowMoved(start.valueOf(), end.valueOf());
      onWindow(start.valueOf(), end.valueOf(), byUser);
    });
    // Given a window, vis-timeline stays hidden until a first range change: say the opening is one.
    this.timeline.emit("rangechanged", { start: new Date(opening.start), end: new Date(opening.end), byUser: false });
    // On its first redraw vis-timeline applies the opening window again (its initial fit): a window
    // set before then would jump back to it, at whatever later moment that redraw comes.
    this.firstDraw = new Promise((resolve) => {
      if (this.timeline.initialFitDone) resolve();  // drawn already
      const drawn = () => { this.timeline.off("changed", drawn); resolve(); };
      this.timeline.on("changed", drawn);
    });
  }

  /** Shows `events` (already filtered to those known and matching) as they stand at the as-of date.
   * Only the events near the window are handed to vis-timeline (20,000 items take it seconds);
   * moving the window past them draws the next ones. */
  show(events, { standingOf, titleOf, collapsed }) {
    this.shown = { events, standingOf, collapsed, titleOf };
    const subjects = [...new Set(events.map((event) => event.subject))].sort(bySubject);
    const counts = new Map();
    for (const event of events) counts.set(event.subject, (counts.get(event.subject) ?? 0) + 1);
    const rows = replaceAll(this.groups, subjects.map((subject, order) => ({
      id: subject, order, className: collapsed.has(subject) ? "collapsed" : "expanded",
      content: this.rowLabel(subject, titleOf(subject), collapsed.has(subject), counts.get(subject)),
    })));
    this.drawNear(rows);
  }

  /** Hands vis-timeline the events overlapping the window and a window's width either side.
   * `rows`: rows already handed it in this task (the same redraw). */
  drawNear(rows = 0) {
    if (!this.shown) return;
    const { events, standingOf, collapsed } = this.shown;
    const { start, end } = this.getWindow();
    const margin = end - start;
    this.drawn = { start: start - margin, end: end + margin };
    const open = OPEN_END_DAYS * DAY_MS;
    const near = events.filter((event) => !collapsed.has(event.subject)
      && (Number.isFinite(event.from) ? event.from : event.to - open) <= this.drawn.end
      && (Number.isFinite(event.to) ? event.to : event.from + open) >= this.drawn.start);
    const shownRows = new Set(this.groups.getIds());
    const expected = (this.expected ?? []).filter((item) => shownRows.has(item.subject) && !collapsed.has(item.subject));
    this.marks = new Map();
    const marks = together(near, standingOf).map((events) => {
      const standing = standingOf(events[0]);
      const arrived = events.some((event) => this.arrived.has(event.event_id));
      const mentioned = events.some((event) => this.marked.has(event.event_id));
      if (events.length === 1) return itemFor(events[0], standing, arrived, mentioned);
      const ids = events.map((event) => event.event_id);
      this.marks.set(ids[0], ids);
      for (const id of ids.slice(1)) this.marks.set(id, ids[0]);
      return markFor(events, standing, arrived, mentioned);
    });
    const changed = rows + replaceAll(this.items, [...marks, ...expected.map((item) => expectationItem(item, this.expectedAsOf))]);
    // What vis-timeline holds (the window's marks, not all), and how often it was handed changes (it
    // redraws for each): an as-of move should cost one redraw, of the rows that changed.
    this.container.dataset.items = String(this.items.length);
    if (changed) this.container.dataset.draws = String(Number(this.container.dataset.draws ?? 0) + 1);
  }

  /** Marks the events that name someone (their card's mentions), or none. */
  markMentions(eventIds) {
    this.marked = new Set(eventIds);
    this.drawNear();
  }

  /** The events a mark stands for: several for a mark of one subject's items on one day, else the one. */
  eventsOf(id) {
    const members = this.marks.get(id);
    return Array.isArray(members) ? members : id == null ? [] : [id];
  }

  /** The mark an event is drawn in: its own, or the one it shares with others. */
  markOf(eventId) {
    const mark = this.marks.get(eventId);
    return typeof mark === "string" ? mark : eventId;
  }

  /** Outlines an event that has just arrived, so it can be found on the timeline. */
  markArrived(eventId) {
    this.arrived.add(eventId);
    const item = this.items.get(this.markOf(eventId));
    if (item && !item.className.includes("arrived")) this.items.update({ ...item, className: `${item.className} arrived` });
  }

  /** Brings a subject's mark of what is expected into view, scrolling the rows to it. */
  focusExpected(subject) {
    const id = `expected:${subject}`;
    if (this.items.get(id)) this.timeline.focus(id, { animation: false });
    // Many rows scroll inside the timeline: scroll the row labels to it (vis-timeline follows them).
    const label = this.container.querySelector(`.vis-labelset .row-label[data-subject="${CSS.escape(subject)}"]`)
      ?.closest(".vis-label");
    const panel = this.timeline.dom?.left?.parentNode;
    if (label && panel) panel.scrollTop += label.getBoundingClientRect().top - panel.getBoundingClientRect().top;
  }

  /** Marks each subject planned for a date where it is planned: expected, or overdue by the as-of date. */
  setExpectations(expected, asOfDay) {
    this.expected = expected;
    this.expectedAsOf = asOfDay;
    this.drawNear();
  }

  /** After the window moved: draws again when it left what was drawn. */
  windowMoved(start, end) {
    if (this.drawn && (start < this.drawn.start || end > this.drawn.end || end - start < (this.drawn.end - this.drawn.start) / 6)) {
      this.drawNear();
    }
  }

  /** A row's label: a button that folds the row away and opens it again. */
  rowLabel(subject, title, isCollapsed, count) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "row-label";
    button.setAttribute("aria-expanded", String(!isCollapsed));
    button.dataset.subject = subject;
    button.title = isCollapsed ? `Show the ${count} events of ${subject}` : `Fold away the row of ${subject}`;
    button.append(text("span", isCollapsed ? "▸ " : "▾ "), text("span", title ?? subject));
    if (title) button.append(document.createElement("br"), text("small", subject));
    button.addEventListener("click", (event) => {
      event.stopPropagation();
      this.onToggleRow(subject);
    });
    return button;
  }

  getWindow() {
    const { start, end } = this.timeline.getWindow();
    return { start: start.valueOf(), end: end.valueOf() };
  }

  /** Sets the window at once: steps clicked quickly compose, as none waits for an animation. */
  setWindow(start, end) {
    this.timeline.setWindow(new Date(start), new Date(end), { animation: false });
    this.windowMoved(start, end);
  }

  /** `days` either side of a day, whole days. */
  around(day, days) {
    this.setWindow(...Object.values(around(day, days)));
  }

  setAsOf(day) {
    this.timeline.setCustomTime(new Date(endOfDay(day)), AS_OF);
    this.timeline.setCustomTimeTitle(`As of ${formatLongDay(day)}: drag to change`, AS_OF);
  }

  /** Brings the as-of line into view when it is outside the window, keeping the zoom. */
  reveal(day) {
    const moment = endOfDay(day);
    const { start, end } = this.getWindow();
    if (moment >= start && moment <= end) return;
    const half = (end - start) / 2;
    this.setWindow(moment - half, moment + half);
  }

  select(chosen) {
    const eventId = chosen && this.markOf(chosen);
    this.timeline.setSelection(eventId ? [eventId] : []);
    if (eventId && this.items.get(eventId)) {
      const { start, end } = this.getWindow();
      const item = this.items.get(eventId);
      const at = item.end ? Math.min(item.end.valueOf(), Math.max(item.start.valueOf(), (start + end) / 2)) : item.start.valueOf();
      if (at < start || at > end) this.setWindow(at - (end - start) / 2, at + (end - start) / 2);
    }
  }

  /** The toolbar's buttons, so the timeline can be moved without a pointer. */
  act(action, asOfDay, bounds) {
    const { start, end } = this.getWindow();
    const span = end - start;
    const asOf = endOfDay(asOfDay);
    // Zoom keeps the as-of line where it is on screen when it is in view, else the middle.
    const anchor = asOf >= start && asOf <= end ? asOf : (start + end) / 2;
    const zoom = (factor) => {
      const wanted = Math.max(span * factor, DAY_MS);
      const share = (anchor - start) / span;
      this.setWindow(anchor - wanted * share, anchor + wanted * (1 - share));
    };
    if (action === "earlier") this.setWindow(start - span / 3, end - span / 3);
    if (action === "later") this.setWindow(start + span / 3, end + span / 3);
    if (action === "zoom-in") zoom(0.5);
    if (action === "zoom-out") zoom(2);
    if (action === "week") this.around(asOfDay, 3);
    if (action === "month") this.around(asOfDay, 15);
    if (action === "fit" && bounds) this.setWindow(bounds.start - DAY_MS, bounds.end + DAY_MS);
    if (action === "as-of") this.setWindow(asOf - span / 2, asOf + span / 2);
  }
}

export function around(day, days) {
  return { start: startOfDay(day) - days * DAY_MS, end: endOfDay(day) + days * DAY_MS + 1 };
}

function itemFor(event, standing, arrived = false, mentioned = false) {
  const earliest = instant(event.occurred_earliest);
  const latest = instant(event.occurred_latest);
  const shape = isExact(event.occurred) ? "exact"
    : earliest == null ? "open-start" : latest == null ? "open-end" : "fuzzy";
  const classes = [`kind-${kindOf(event.subject)}`, `shape-${shape}`, `standing-${standing}`];
  if (event.type === RETRACTION) classes.push("retraction");
  if (arrived) classes.push("arrived");
  if (mentioned) classes.push("mentioned");
  const item = {
    id: event.event_id,
    group: event.subject,
    content: label(event, shape),
    title: tooltip(event, standing),
    className: classes.join(" "),
  };
  if (shape === "exact") return { ...item, type: "point", start: new Date((earliest + latest) / 2) };
  const open = OPEN_END_DAYS * DAY_MS;
  return { ...item, type: "range", start: new Date(earliest ?? latest - open), end: new Date(latest ?? earliest + open) };
}

export const isExpectation = (id) => String(id).startsWith("expected:");

function expectationItem(item, asOfDay) {
  const earliest = instant(item.planned_for_earliest);
  const latest = instant(item.planned_for_latest);
  const open = OPEN_END_DAYS * DAY_MS;
  const words = item.overdue ? `Overdue: planned ${when(item.planned_for)}, not reported by ${formatLongDay(asOfDay)}`
    : `Expected: planned ${when(item.planned_for)}`;
  const classes = ["expectation", item.overdue ? "overdue" : "expected", `kind-${kindOf(item.subject)}`];
  if (earliest == null) classes.push("shape-open-start");
  return {
    id: `expected:${item.subject}`, group: item.subject, type: "range", selectable: false,
    start: new Date(earliest ?? latest - open), end: new Date(latest ?? earliest + open),
    className: classes.join(" "), content: text("span", `${item.overdue ? "⚠ " : ""}${words}`),
    title: escape(`${words} (as given: ${item.planned_for})`),
  };
}

/** The events in the order given, those about one subject's item list (a plan's points) that
 * happened on the same date as given, with the same standing, in one group: a plan whose draft is
 * reported point by point stays one line of the timeline, not one line a point. Others alone. */
function together(events, standingOf) {
  const groups = new Map();
  const listed = listedTypes();
  for (const event of events) {
    const list = listed.get(`${kindOf(event.subject)} ${event.type}`);
    const key = list ? `${event.subject} ${list.field} ${event.occurred} ${standingOf(event)}` : event.event_id;
    groups.set(key, [...(groups.get(key) ?? []), event]);
  }
  return [...groups.values()];
}

let listedByType = null;

/** "kind type" → the item list its events are about, from the catalog. */
function listedTypes() {
  listedByType ??= new Map([...KINDS.values()].flatMap((kind) => (kind.item_lists ?? []).flatMap((list) =>
    (list.events ?? []).map((type) => [`${kind.kind} ${type}`, list]))));
  return listedByType;
}

/** One mark for several events about a subject's items on one date: "Point added ×4: …". */
function markFor(events, standing, arrived, mentioned) {
  const [first] = events;
  const item = itemFor(first, standing, arrived, mentioned);
  const list = listedTypes().get(`${kindOf(first.subject)} ${first.type}`);
  const types = new Set(events.map((event) => event.type));
  const what = types.size === 1 ? `${typeWords(first.type)?.label ?? typeName(first.type)} ×${events.length}` : `${events.length} events on ${fieldName(list.field)}`;
  const keys = [...new Set(events.flatMap((event) => event.data?.[list.key] ?? event.data?.keys ?? []))];
  const shape = item.className.match(/shape-([a-z-]+)/)[1];
  const words = truncate(`${what}${keys.length ? `: ${keys.join(", ")}` : ""}`, 90);
  const lines = [
    `${what}: ${first.subject}`,
    ...events.slice(0, SHOWN_IN_A_MARK).map(summary),
    events.length > SHOWN_IN_A_MARK ? `and ${events.length - SHOWN_IN_A_MARK} more` : null,
    `Happened ${describeOccurred(first)} (as given: ${first.occurred}); ${STANDING_WORDS[standing]}`,
    `Sources: ${[...new Set(events.flatMap((event) => event.sources.map((source) => source.name)))].join(", ")}`,
    "Select it to see each event and its sources below.",
  ].filter((line) => line != null);
  return { ...item, className: `${item.className} several`,
    content: text("span", `${shape === "open-start" ? "⟵ " : ""}${words}${shape === "open-end" ? " ⟶" : ""}`),
    title: lines.map(escape).join("<br>") };
}

function label(event, shape) {
  const words = summary(event);
  // The arrows say in words what the fade shows: this end is open.
  return text("span", `${shape === "open-start" ? "⟵ " : ""}${words}${shape === "open-end" ? " ⟶" : ""}`);
}

function tooltip(event, standing) {
  const quoted = event.sources.filter((source) => source.quote).map((source) => `“${truncate(source.quote, 160)}” (${source.name})`);
  const lines = [
    `${typeName(event.type)}: ${event.subject}`,
    summary(event),
    `Happened ${describeOccurred(event)} (as given: ${event.occurred}); ${STANDING_WORDS[standing]}`,
    `Sources: ${event.sources.map((source) => source.name).join(", ")}`,
    ...quoted,
    "Select it to see its sources below.",
  ];
  return lines.map(escape).join("<br>");  // vis-timeline renders titles as markup
}

function text(tag, content) {
  const element = document.createElement(tag);
  element.textContent = content;
  return element;
}

function escape(value) {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** Rows in the order the kinds are declared, then by address. */
function bySubject(a, b) {
  return kindOrder(kindOf(a)) - kindOrder(kindOf(b)) || a.localeCompare(b);
}

const drawnRows = new WeakMap();  // a DataSet → each row's id → what it was last given, as text

/** Updates a DataSet in place, so the selection and scroll position survive a refresh, handing
 * vis-timeline only the rows that changed: a row it is given again it draws again, and most rows
 * are the same a day later (an as-of move would otherwise redraw every row and mark). */
function replaceAll(dataSet, rows) {
  const before = drawnRows.get(dataSet) ?? new Map();
  const after = new Map(rows.map((row) => [row.id, JSON.stringify(row, asText)]));
  const gone = dataSet.getIds().filter((id) => !after.has(id));
  const changed = rows.filter((row) => before.get(row.id) !== after.get(row.id));
  dataSet.remove(gone);
  dataSet.update(changed);
  drawnRows.set(dataSet, after);
  return gone.length + changed.length;
}

const asText = (key, value) => (value instanceof Node ? value.outerHTML : value);
