// The record on a valid-time axis, drawn by vis-timeline (vendored; the global `vis`).
// One row per subject. Exact dates are points, fuzzy dates ranges from their earliest to their
// latest instant; an open end runs to the edge of the record and fades out there.

import { dayOf, describeOccurred, endOfDay, formatLongDay, isExact, instant } from "./dates.js";
import { RETRACTION, STANDING_WORDS } from "./record.js";
import { summary, typeName } from "./words.js";

const DAY_MS = 86_400_000;
const OPEN_END_DAYS = 4;  // how far past the record an open-ended range is drawn
const AS_OF = "as-of";
const KIND_ORDER = { delegation: 0, plan: 1, meeting: 2, trip: 3 };

export class EventTimeline {
  constructor(container, { onSelect, onAsOfMoved }) {
    this.items = new vis.DataSet();
    this.groups = new vis.DataSet();
    this.fitted = false;
    this.timeline = new vis.Timeline(container, this.items, this.groups, {
      moment: (date) => vis.moment(date).utc(),  // the axis in UTC, as the API
      orientation: { axis: "top", item: "top" },
      zoomKey: "ctrlKey",  // a plain wheel scrolls the page, not the timeline
      zoomMin: DAY_MS,
      groupOrder: "order",
      margin: { item: { horizontal: 4, vertical: 6 } },
      tooltip: { followMouse: true, overflowMethod: "cap", delay: 150 },
      snap: (date) => new Date(endOfDay(dayOf(date.valueOf()))),  // the as-of line moves by days
    });
    this.timeline.addCustomTime(new Date(), AS_OF);
    this.timeline.on("select", ({ items }) => onSelect(items[0] ?? null));
    this.timeline.on("timechanged", ({ id, time }) => {
      if (id === AS_OF) onAsOfMoved(dayOf(time.valueOf()));
    });
  }

  /** Shows `events` (already filtered to those known) as they stand at `view.asOf`. */
  show(events, view) {
    const edges = this.edges(view.bounds);
    const items = events.map((event) => itemFor(event, view.standingOf(event), edges));
    const subjects = [...new Set(events.map((event) => event.subject))].sort(bySubject);
    replaceAll(this.groups, subjects.map((subject, order) => ({ id: subject, order, content: subjectLabel(subject) })));
    replaceAll(this.items, items);
    if (!this.fitted && view.bounds) {
      this.timeline.setWindow(...this.opening(view.bounds), { animation: false });
      this.fitted = true;
    }
  }

  /** The first window: the record's finite instants, the fade of open starts, and room for the
   * labels of the last points. */
  opening(bounds) {
    const span = Math.max(bounds.end - bounds.start, DAY_MS);
    return [new Date(bounds.start - (OPEN_END_DAYS + 1) * DAY_MS), new Date(bounds.end + Math.max(3 * DAY_MS, span / 3))];
  }

  edges(bounds) {
    if (!bounds) return { start: Date.now() - OPEN_END_DAYS * DAY_MS, end: Date.now() };
    return { start: bounds.start - OPEN_END_DAYS * DAY_MS, end: bounds.end + OPEN_END_DAYS * DAY_MS };
  }

  setAsOf(day) {
    this.timeline.setCustomTime(new Date(endOfDay(day)), AS_OF);
    this.timeline.setCustomTimeTitle(`As of ${formatLongDay(day)}: drag to change`, AS_OF);
  }

  /** Brings the as-of line into view when it is outside the window. */
  reveal(day) {
    const moment = endOfDay(day);
    const { start, end } = this.timeline.getWindow();
    if (moment < start.valueOf() || moment > end.valueOf()) this.timeline.moveTo(new Date(moment));
  }

  select(eventId) {
    this.timeline.setSelection(eventId ? [eventId] : [], { focus: Boolean(eventId) });
  }

  /** The toolbar's buttons, so the timeline can be moved without a pointer. */
  act(action, asOfDay) {
    const { start, end } = this.timeline.getWindow();
    const span = end - start;
    if (action === "earlier") this.timeline.setWindow(start - span / 3, end - span / 3);
    if (action === "later") this.timeline.setWindow(start.valueOf() + span / 3, end.valueOf() + span / 3);
    if (action === "zoom-in") this.timeline.zoomIn(0.5);
    if (action === "zoom-out") this.timeline.zoomOut(0.5);
    if (action === "fit") this.timeline.fit();  // everything, open ends included
    if (action === "as-of") this.timeline.moveTo(new Date(endOfDay(asOfDay)));
  }
}

function itemFor(event, standing, edges) {
  const earliest = instant(event.occurred_earliest);
  const latest = instant(event.occurred_latest);
  const shape = isExact(event.occurred) ? "exact"
    : earliest == null ? "open-start" : latest == null ? "open-end" : "fuzzy";
  const classes = [`kind-${event.subject.split("/")[0]}`, `shape-${shape}`, `standing-${standing}`];
  if (event.type === RETRACTION) classes.push("retraction");
  const item = {
    id: event.event_id,
    group: event.subject,
    content: label(event, shape),
    title: tooltip(event, standing),
    className: classes.join(" "),
  };
  if (shape === "exact") return { ...item, type: "point", start: new Date((earliest + latest) / 2) };
  return { ...item, type: "range", start: new Date(earliest ?? edges.start), end: new Date(latest ?? edges.end) };
}

function label(event, shape) {
  const words = summary(event);
  // The arrows say in words what the fade shows: this end is open.
  return text("span", `${shape === "open-start" ? "⟵ " : ""}${words}${shape === "open-end" ? " ⟶" : ""}`);
}

function tooltip(event, standing) {
  const lines = [
    `${typeName(event.type)}: ${event.subject}`,
    summary(event),
    `Happened ${describeOccurred(event)} (${event.occurred}); ${STANDING_WORDS[standing]}`,
    `Sources: ${event.sources.map((source) => source.name).join(", ")}`,
  ];
  return lines.map(escape).join("<br>");  // vis-timeline renders titles as markup
}

/** "delegation/ukraine", allowed to wrap after the slash on a narrow screen. */
function subjectLabel(subject) {
  const [kind, slug] = subject.split("/");
  const element = text("span", `${kind}/`);
  element.append(document.createElement("wbr"), slug);
  return element;
}

function text(tag, content) {
  const element = document.createElement(tag);
  element.textContent = content;
  return element;
}

function escape(value) {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function bySubject(a, b) {
  const [kindA] = a.split("/");
  const [kindB] = b.split("/");
  return (KIND_ORDER[kindA] ?? 9) - (KIND_ORDER[kindB] ?? 9) || a.localeCompare(b);
}

/** Updates a DataSet in place, so the selection and scroll position survive a refresh. */
function replaceAll(dataSet, rows) {
  const keep = new Set(rows.map((row) => row.id));
  dataSet.remove(dataSet.getIds().filter((id) => !keep.has(id)));
  dataSet.update(rows);
}
