// Wires the page: the as-of and known-at controls, find and filter, the timeline, the states,
// the changes, the list of events and the live feed. The address holds the whole view (see
// address.js), so a view can be shared, reloaded and gone back to.

import { allEvents, eventAt, follow, search, windowEvents } from "./api.js";
import { addressOf, readView, remember, settle } from "./address.js";
import { DateField } from "./datefield.js";
import {
  addDays, daysBetween, dayOf, formatLongDay, formatMoment, instant, isDay, knownAtParam, knownAtWords, today, endOfDay,
} from "./dates.js";
import { isFiltering, matcher, sourceNames } from "./filters.js";
import { RETRACTION, Record, standing } from "./record.js";
import { Panels, fail } from "./panels.js";
import { eventArticle, h } from "./render.js";
import { EventTimeline, around, isExpectation, openingDays } from "./timeline.js";
import { Summary } from "./summary.js";
import { KINDS, installColours, kindOf } from "./kinds.js";
import { RecordForm } from "./form.js";
import { DraftPanel } from "./paste.js";
import { ItemViews } from "./items.js";
import { PersonCard } from "./people.js";
import { readEventsFrom, summary, titleIn, typeName } from "./words.js";

const $ = (id) => document.getElementById(id);
// Events drawn in the list at a time: 20,000 articles would take seconds; a phone shows fewer.
const NARROW = window.matchMedia("(max-width: 30rem)").matches;
const LIST_PAGE = NARROW ? 10 : 100;
if (NARROW) for (const fold of document.querySelectorAll("details.fold")) fold.open = false;

// A record up to `parley-whole-log` events is read whole; a larger one a page of subjects and the
// events of the timeline's window at a time (the subjects' states, their events in view), so the
// page opens as fast on a million events as on a thousand.
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content ?? "";
const LOG_END = Number(meta("parley-log-end")) || 0;
const WHOLE_LOG = /^\d+$/.test(meta("parley-whole-log")) ? Number(meta("parley-whole-log")) : 10_000;
const WINDOWED = LOG_END > WHOLE_LOG;
// Subjects a large record shows at a time: the cards drawn at once. A state is sent with every
// statement made by then, so 100 states of a long record are 1.5 MB and half a second to answer.
const SUBJECT_PAGE = 30;
let subjectLimit = SUBJECT_PAGE;
// The window and subjects whose events are in, or asked for (`asking`: those questions, until answered).
const loaded = { from: null, to: null, subjects: new Set(), asking: [] };
let fetchTimer = null;

const record = new Record();
readEventsFrom((id) => record.get(id));
// Without a date in the address the page opens on today, or on the record's last day when the
// record has been quiet for more than a week (worked out once the log is in: openingAsOf).
const datedAddress = () => new URLSearchParams(location.search).has("as_of");
const servedLastDay = document.querySelector('meta[name="parley-last-day"]')?.content ?? "";
let openedOn = openingAsOf(isDay(servedLastDay) ? servedLastDay : null);
let view = readView(location.search, { asOf: openedOn });
const catalog = KINDS;  // the kinds as the service declares them: their words and colours
const EPOCH = "1970-01-01";
const shown = { events: LIST_PAGE, collapsed: new Set() };
let timeline = null;
let inRecord = false;  // the log is loaded
let ready = false;
let applying = false;  // while the page follows the address, it does not write it
let reloadTimer = null;
let findTimer = null;
let windowTimer = null;
let arrivals = [];  // events from the feed not yet drawn
let step = 0;  // the as-of date's last move in days, a day or a week (its states are asked ahead)
// What the service found for Find's words as known at the view's known-at: the ids of the events
// its hits hold (`events` null when it refused them, so the words are looked for here instead).
let found = null;
let asked = null;  // the words and known-at last asked about

const knownAtMs = () => (view.knownAt ? Date.parse(knownAtParam(view.knownAt)) : null);
const standingOf = (event) => standing(event, endOfDay(view.asOf), knownAtMs());
const titleOf = (subject) => record.titleOf(subject);
const personCard = new PersonCard({
  view: () => view, titleOf,
  open: (subject) => showPerson(subject), close: () => showPerson(null),
  selectEvent: (eventId) => selectFromList(eventId),
  onMentions: (eventIds) => timeline?.markMentions(eventIds),
  addEvents: (events) => { if (events.some((event) => record.add(event).length) && inRecord) refresh(); },
});
const panels = new Panels({
  view: () => view, record, titleOf, knownAtMs, items: new ItemViews({ view: () => view, record }), names: personCard,
  visibleSubjects: () => (isFiltering(view) ? new Set(visibleEvents().map((event) => event.subject)) : null),
  onExpected: (expected, asOf) => timeline?.setExpectations(expected, asOf),
  onStates: () => renderSummary(),
  windowed: WINDOWED,
  subjectLimit: () => subjectLimit,
  onSubjects: WINDOWED ? (subjects) => subjectsShown(subjects) : null,
  onMoreSubjects: () => moreSubjects(),
  nextDay: () => {  // once per step
    const next = step ? addDays(view.asOf, step) : null;
    step = 0;
    return next;
  },
});
const summaryView = new Summary({
  record, titleOf, catalog: () => catalog, onShowExpected: (item) => showExpected(item),
});
// Typed dates: each commits once, when finished (see datefield.js).
const fields = {
  asOf: new DateField($("as-of-date"), { onCommit: afterLoad((day) => setAsOf(day)) }),
  knownAt: new DateField($("known-at"), { onCommit: afterLoad((value) => setKnownAt(value)), optional: true, moment: true }),
  publishedBy: new DateField($("published-by"), { onCommit: afterLoad((day) => setPublishedBy(day)), optional: true }),
  from: new DateField($("changes-from"), { onCommit: () => {} }),
  to: new DateField($("changes-to"), { onCommit: () => {} }),
};
const recordForm = new RecordForm({ subjectsOf, onRecorded: showRecorded });
const drafted = new Map();  // event id → the draft it was recorded from, for drafts seen in this tab
const draftPanel = new DraftPanel({ form: recordForm, titleOf, onRecorded: showDrafted });
const loadStates = (options) => panels.loadStates(options);
installColours();
showKinds();
const loadChanges = () => panels.loadChanges();
const renderCards = () => panels.renderCards();

async function start() {
  // What the service answers is asked at once, beside the log; the timeline is made while they
  // come. Nothing is drawn from them until the log is in (titles and sources come from it).
  const dated = datedAddress() || isDay(servedLastDay) || WINDOWED;  // the opening day is known before the log
  if (WINDOWED) {
    record.lastPosition = LOG_END;  // the live feed follows from the log's end
    $("find-help").textContent = "This record is large: finding, the timeline and the list cover the subjects shown "
      + "below and the timeline's window. Move the timeline, or show more subjects, to widen them.";
  }
  let states = dated ? loadStates({ draw: false }) : null;
  showChangeDates();
  const log = WINDOWED ? Promise.resolve([]) : allEvents();
  let loaded;
  let changes = dated ? panels.loadChanges({ drawAfter: new Promise((resolve) => { loaded = resolve; }) }) : null;
  await timelineScript();
  timeline = new EventTimeline($("timeline"), {
    onSelect: afterLoad(selectFromTimeline), onAsOfMoved: afterLoad((day) => setAsOf(day)), onWindow: windowMoved,
    onToggleRow: afterLoad(toggleRow), opening: view.window ?? around(view.asOf, openingDays()),  // moved once the log is in
  });
  try {
    for (const event of await log) record.add(event);
  } catch (error) {
    fail(error);
    return;
  } finally {
    loaded?.();
  }
  if (!dated) {
    const bounds = record.bounds();
    openedOn = openingAsOf(bounds ? dayOf(bounds.end) : null);
    view.asOf = openedOn;
    showChangeDates();
    states = loadStates({ draw: false });
    changes = panels.loadChanges();
  }
  inRecord = true;
  wireControls();
  fillSourcePicker();
  await Promise.all(WINDOWED ? [states] : [states, changes]);  // a large record's changes come when they come
  timeline.setExpectations(panels.expected.list, panels.expected.asOf);  // kept, and drawn with the events
  await timeline.firstDraw;  // else its opening window may come back over the one shown now
  showView();
  personCard.show();
  renderCards();
  renderSummary();
  sayIfNewer();
  ready = true;
  document.body.dataset.firstRenderMs = String(Math.round(performance.now()));  // since navigation began
  document.body.dataset.ready = "true";
  follow(record.lastPosition, {
    onEvent: arrived,
    onLive: () => setStatus("Live: new events appear as they are recorded.", "live"),
    onDropped: (closed) => setStatus(closed ? "Live updates stopped; reload the page to resume them."
      : "Connection lost; reconnecting…", "dropped"),
  });
}

/** A large record's subjects on show (a page of states): titles from their states, and their
 * events in the timeline's window, asked of the service. */
async function subjectsShown(subjects) {
  for (const item of subjects) {
    const title = !record.titles.has(item.subject) && titleIn(item.subject, item.state);
    if (title) record.titles.set(item.subject, title);
  }
  await eventsInWindow(subjects.map((item) => item.subject));
}

/** The days whose events a large record has in: the timeline's window and as much again either side. */
function wantedDays() {
  const shownWindow = timeline ? timeline.getWindow() : (view.window ?? around(view.asOf, openingDays()));
  const span = shownWindow.end - shownWindow.start;
  return { from: dayOf(shownWindow.start - span), to: dayOf(shownWindow.end + span) };
}

async function eventsInWindow(subjects) {
  const wanted = wantedDays();
  if (loaded.from == null || wanted.from < loaded.from || wanted.to > loaded.to) {
    Object.assign(loaded, { ...wanted, subjects: new Set(), asking: [] });
  }
  const missing = subjects.filter((subject) => !loaded.subjects.has(subject));
  if (!missing.length) {
    await Promise.all(loaded.asking);  // asked already (the as-of date moved the window): drawn when in
    return;
  }
  for (const subject of missing) loaded.subjects.add(subject);
  // `occurred_from` is the end of its day: the day before the window's first.
  const asking = windowEvents(missing, addDays(loaded.from, -1), loaded.to)
    .then((events) => { for (const event of events) record.add(event); }, fail);
  loaded.asking.push(asking);
  await asking;
  if (inRecord) refresh();
}

/** A large record: the next page of subjects, their states and their events in view. */
function moreSubjects() {
  subjectLimit += SUBJECT_PAGE;
  loadStates();
}

/** The legend's colours and the filter's boxes, one per kind the service declares. */
function showKinds() {
  $("legend-kinds").replaceChildren(...[...KINDS.values()].map((kind) => h("li", { title: kind.description },
    h("span", { class: `swatch swatch-kind kind-${kind.kind}`, "aria-hidden": "true" }), kind.label.toLowerCase())));
  $("kind-boxes").replaceChildren(...[...KINDS.values()].map((kind) => h("label", {},
    h("input", { type: "checkbox", name: "kind", value: kind.kind }), ` ${kind.plural}`)));
}

/** vis-timeline's script runs after this module (deferred after it), before DOMContentLoaded. */
function timelineScript() {
  if (window.vis) return Promise.resolve();
  return new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }));
}

/** A timeline handler that waits for the record: the timeline is shown, empty, while the log loads. */
function afterLoad(handler) {
  return (...args) => (inRecord ? handler(...args) : undefined);
}

/** The dates of "what changed": the week up to the as-of date unless the address says. */
function showChangeDates() {
  const changes = view.changes ?? { from: addDays(view.asOf, -7), to: view.asOf };
  fields.from.show(changes.from);
  fields.to.show(changes.to);
}

/** Today, or the record's last day with an event when today is more than a week past it: a
 * record of past talks opens on their end, not on an empty today. The service says that day in
 * the page (`parley-last-day`); a page without it works it out from the log. */
function openingAsOf(lastDay) {
  if (!lastDay) return today();
  const last = [lastDay, today()].sort()[0];
  return daysBetween(last, today()) > 7 ? last : today();
}

/** Puts every control, the timeline's window and the selection where `view` says. */
function showView() {
  applying = true;
  fields.knownAt.show(view.knownAt);
  fields.publishedBy.show(view.publishedBy ?? "");
  $("find").value = view.query;
  for (const box of document.querySelectorAll('input[name="kind"]')) box.checked = view.kinds.has(box.value);
  $("source-filter").value = view.sources[0] ?? "";
  showChangeDates();
  if (view.window) timeline.setWindow(view.window.start, view.window.end);
  else timeline.setWindow(...Object.values(around(openingDay(), openingDays())));
  refresh();
  timeline.select(view.selected);
  applying = false;
}

/** The day the timeline opens on: the as-of date the address names, else the record's last day
 * (up to today), so a record of the past opens on its end and not on an empty today. A large
 * record opens on its as-of date, the last day the service named: the events it has read are
 * those near that day, and their end (an open-ended event's start, months before) is not the record's. */
function openingDay() {
  const bounds = record.bounds();
  if (new URLSearchParams(location.search).has("as_of") || !bounds || WINDOWED) return view.asOf;
  return [dayOf(bounds.end), view.asOf].sort()[0];
}

function wireControls() {
  const slider = $("as-of-slider");
  slider.addEventListener("input", () => setAsOf(addDays(EPOCH, Number(slider.value)), { during: true }));
  slider.addEventListener("change", settle);
  slider.addEventListener("keydown", (event) => {  // a week a page, whatever the slider spans
    const step = { PageUp: 7, PageDown: -7 }[event.key];
    if (!step) return;
    event.preventDefault();
    setAsOf(addDays(view.asOf, step));
  });
  for (const button of document.querySelectorAll("[data-days]")) {
    button.addEventListener("click", () => setAsOf(addDays(view.asOf, Number(button.dataset.days))));
  }
  $("known-at-now").addEventListener("click", () => setKnownAt(""));
  $("published-by-any").addEventListener("click", () => setPublishedBy(""));
  $("copy-link").addEventListener("click", copyLink);
  $("cite").addEventListener("click", cite);
  $("changes-form").addEventListener("submit", (event) => {
    event.preventDefault();
    fields.from.commit({ finished: true });
    fields.to.commit({ finished: true });
    view.changes = { from: fields.from.value, to: fields.to.value };
    remember(view);
    loadChanges();
  });
  for (const button of document.querySelectorAll("[data-timeline]")) {
    button.addEventListener("click", () => {
      timeline.act(button.dataset.timeline, view.asOf, record.bounds());
      updateSlider();
      windowChosen();
    });
  }
  $("fold-rows").addEventListener("click", foldAll);
  $("find").addEventListener("input", () => {
    clearTimeout(findTimer);
    findTimer = setTimeout(() => filtersChanged({ during: true }), 150);
  });
  $("find").addEventListener("change", settle);
  for (const box of document.querySelectorAll('input[name="kind"]')) box.addEventListener("change", () => filtersChanged());
  $("source-filter").addEventListener("change", () => filtersChanged());
  $("more-events").addEventListener("click", () => {
    shown.events += LIST_PAGE;
    renderList(visibleEvents());
  });
  $("more-cards").addEventListener("click", () => panels.showEveryCard());
  window.addEventListener("popstate", () => {
    view = readView(location.search, { asOf: openedOn });
    showView();
    renderDetail();
    personCard.show();
    reloadSoon({ changes: true });
  });
  // Whatever scrolls into view lands below the sticky date bar, not under it.
  new ResizeObserver(() => {
    const bar = document.querySelector(".controls");
    const sticky = getComputedStyle(bar).position === "sticky";
    document.documentElement.style.scrollPaddingTop = sticky ? `${bar.offsetHeight + 8}px` : "0px";
  }).observe(document.querySelector(".controls"));
}

function setAsOf(day, { during = false } = {}) {
  if (!isDay(day) || day === view.asOf) return;
  const moved = daysBetween(view.asOf, day);
  step = !during && Math.abs(moved) <= 7 ? moved : 0;  // a day or a week: the next step is likely the same
  view.asOf = day;
  timeline.reveal(day);  // the user moved it: follow it
  if (WINDOWED) {  // a window it moved to is asked for now, beside the day's states, not after them
    clearTimeout(fetchTimer);
    eventsInWindow(panels.subjects.map((item) => item.subject));
  }
  view.window = timeline.getWindow();
  remember(view, { during });
  // A date committed (a button, a key, a typed date, the marker dropped) is asked at once, so the
  // service answers while the list is drawn; a slider being dragged asks once it settles. The
  // timeline's marks are drawn once, with the day's expectations when they come (Panels'
  // onExpected): its as-of line moves now.
  if (during) {
    refresh({ marks: false });
    reloadSoon();
  } else {
    reloadNow();
    refresh({ marks: false });
  }
}

function setKnownAt(value) {
  view.knownAt = value;
  fields.knownAt.show(value);
  remember(view);
  refresh();
  reloadSoon({ changes: true });
}

function setPublishedBy(day) {
  view.publishedBy = isDay(day) ? day : null;
  fields.publishedBy.show(view.publishedBy ?? "");
  remember(view);
  refresh();
  reloadSoon({ changes: true });
}

function filtersChanged({ during = false } = {}) {
  view.query = $("find").value;
  view.kinds = new Set([...document.querySelectorAll('input[name="kind"]:checked')].map((box) => box.value));
  const sources = $("source-filter").value ? [$("source-filter").value] : [];
  const resolved = sources.join() !== view.sources.join();
  view.sources = sources;
  shown.events = LIST_PAGE;
  remember(view, { during });
  refresh();
  renderCards();
  renderSummary();
  if (resolved) reloadSoon({ changes: true });  // disputed values read according to the source
}

/** The timeline moved: the slider spans the new window; a user's move goes in the address. */
function windowMoved(start, end, byUser) {
  if (!timeline) return;  // the opening window, while the timeline is being made
  updateSlider();
  if (WINDOWED && inRecord) {  // a large record: the events of a window moved past, once it settles
    clearTimeout(fetchTimer);
    fetchTimer = setTimeout(() => eventsInWindow(panels.subjects.map((item) => item.subject)), 200);
  }
  if (!ready || applying || !byUser) return;
  view.window = { start, end };
  remember(view, { during: true });
  clearTimeout(windowTimer);
  windowTimer = setTimeout(settle, 500);  // one drag, one history entry
}

function windowChosen() {
  view.window = timeline.getWindow();
  remember(view);
}

function toggleRow(subject) {
  if (shown.collapsed.has(subject)) shown.collapsed.delete(subject);
  else shown.collapsed.add(subject);
  refresh();
}

function foldAll() {
  const button = $("fold-rows");
  const fold = button.getAttribute("aria-pressed") !== "true";
  shown.collapsed = fold ? new Set(record.bySubject.keys()) : new Set();
  button.setAttribute("aria-pressed", String(fold));
  button.textContent = fold ? "Open all rows" : "Fold all rows";
  refresh();
}

/** The known events that pass the filters. */
function visibleEvents() {
  const known = record.known(knownAtMs());
  return isFiltering(view) ? known.filter(matcher(view, titleOf, found)) : known;
}

/** Asks the service what Find's words find, once per words and known-at; redraws when it answers. */
function findOnServer() {
  const query = view.query.trim();
  const knownAt = knownAtParam(view.knownAt);
  if (!query) personCard.found([]);
  if (!query || (asked?.query === query && asked.knownAt === knownAt)) return;
  asked = { query, knownAt };
  search(query, knownAt).then((answer) => answer.hits, () => null)
    .then((hits) => {
      if (asked?.query !== query || asked.knownAt !== knownAt) return;  // typed on meanwhile
      found = hits ? { query, events: new Set(hits.flatMap((hit) => hit.events)) } : null;
      personCard.found(hits ?? []);
      refresh();
      renderCards();
      renderSummary();
    });
}

/** Redraws what the page can work out itself: slider, timeline, list and selected event.
 * `marks`: false when only the as-of date moved, and the marks are drawn with its expectations. */
function refresh({ marks = true } = {}) {
  findOnServer();
  const events = visibleEvents();
  updateSlider();
  if (marks) timeline.show(events, { standingOf, titleOf, collapsed: shown.collapsed });
  timeline.setAsOf(view.asOf);
  $("timeline-empty").hidden = record.size > 0;
  renderList(events);
  renderDetail();
  renderCount(events);
  pinExports();
}

/** The slider spans the days on the timeline, so a pixel is never more than a fraction of a day.
 * Its values are days since 1970-01-01, so a value always names the same day. */
function updateSlider() {
  const { start, end } = timeline.getWindow();
  Object.assign($("timeline").dataset, { start: dayOf(start), end: dayOf(end - 1) });  // what is shown
  const days = [dayOf(start), dayOf(end - 1), view.asOf].sort();
  const slider = $("as-of-slider");
  slider.min = String(daysBetween(EPOCH, days[0]));
  slider.max = String(daysBetween(EPOCH, days[2]));
  slider.value = String(daysBetween(EPOCH, view.asOf));
  slider.setAttribute("aria-valuetext", formatLongDay(view.asOf));
  fields.asOf.show(view.asOf);
}

function renderList(events) {
  const list = $("event-list");
  // Keep keyboard focus on the same event when the list is redrawn under it.
  const focused = document.activeElement?.closest?.("#event-list [data-event-id]")?.dataset.eventId;
  list.replaceChildren(...events.slice(0, shown.events).map((event) => h("li", {},
    eventArticle(event, standingOf(event), { onSelect: selectFromList, title: titleOf(event.subject), from: draftNote(event) }))));
  if (focused) list.querySelector(`[data-event-id="${focused}"] button`)?.focus();
  const empty = $("events-empty");
  empty.hidden = events.length > 0;
  empty.textContent = record.size ? "No event matches what you are looking for." : "Nothing is recorded yet.";
  const more = $("more-events");
  more.hidden = events.length <= shown.events;
  more.textContent = `Show more events (${events.length - Math.min(events.length, shown.events)} not shown)`;
}

function renderCount(events) {
  const subjects = new Set(events.map((event) => event.subject));
  $("find-count").textContent = isFiltering(view)
    ? `Showing ${subjects.size} of ${record.bySubject.size} subjects and ${events.length} events.` : "";
}

function selectFromTimeline(eventId) {
  if (eventId && isExpectation(eventId)) return;  // a mark of what is planned, not an event
  view.selected = eventId;
  remember(view);
  renderDetail();
  if (eventId) $("event-detail").scrollIntoView({ block: "nearest" });  // its sources and quotes, in view
}

/** From the list: show the event on the timeline, and move focus to its details there. */
function selectFromList(eventId) {
  view.selected = eventId;
  remember(view);
  timeline.select(eventId);
  renderDetail();
  const detail = $("event-detail");
  detail.scrollIntoView({ block: "nearest" });
  detail.focus({ preventScroll: true });
}

function renderDetail() {
  // A mark on the timeline may stand for several events of one day (a plan's points): each is shown.
  const ids = view.selected ? (timeline?.eventsOf(view.selected) ?? [view.selected]) : [];
  const known = ids.map((id) => record.get(id))
    .filter((event) => event && (knownAtMs() == null || Date.parse(event.recorded_at) <= knownAtMs()));
  $("event-detail").replaceChildren(...(known.length
    ? known.map((event) => eventArticle(event, standingOf(event), { headingLevel: 3, title: titleOf(event.subject),
      from: [draftNote(event), retractButton(event)] }))
    : [h("p", { class: "help" }, "Select an event on the timeline or in the list to see its sources.")]));
}

/** Opens a person's card (or closes it, `subject` null): a view of its own in the address. */
function showPerson(subject) {
  view.person = subject;
  remember(view);
  personCard.show({ focus: Boolean(subject) });
}

function reloadSoon({ changes = false } = {}) {
  // A slider dragged across many days asks once it settles, not once per day.
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => reloadNow({ changes }), 80);
}

function reloadNow({ changes = false } = {}) {
  clearTimeout(reloadTimer);
  loadStates();
  personCard.show();
  if (changes) loadChanges();
}

function arrived(event) {
  if (!record.add(event).length) return;  // the form's own event, shown already
  arrivals.push(event);
  // A reconnecting feed can bring many events at once: redraw and announce once per frame.
  if (arrivals.length === 1) requestAnimationFrame(showArrivals);
}

function showArrivals() {
  const shownArrivals = arrivals;
  const latest = arrivals[arrivals.length - 1];
  const count = arrivals.length;
  arrivals = [];
  fillSourcePicker();
  refresh();
  reloadSoon({ changes: $("changes-result").dataset.from != null });
  document.body.dataset.lastPosition = String(record.lastPosition);
  if (view.knownAt) {  // a pinned view stays as it was; it says that the record has moved on
    sayIfNewer();
    return;
  }
  for (const event of shownArrivals) timeline.markArrived(event.event_id);
  const words = `${count === 1 ? "New event" : `${count} new events; the latest`}: ${typeName(latest.type)}, `
    + `${titleOf(latest.subject) ?? latest.subject}. ${summary(latest)}.`;
  announce(words);
  notify(words, h("button", { type: "button", class: "link-button", onclick: () => selectFromList(latest.event_id) },
    "Show it"));
}

/** The subjects of a kind the page knows, for the form's subject picker. */
function subjectsOf(kind) {
  const subjects = new Set([...record.bySubject.keys(), ...panels.subjects.map((item) => item.subject)]);
  return [...subjects].filter((subject) => kindOf(subject) === kind).map((subject) => ({ subject, title: titleOf(subject) }));
}

/** An event the form recorded: read back from the log (the feed may come later) and shown on the
 * timeline, selected, with its sources below it. */
async function showRecorded(receipt) {
  await readBack([receipt]);
  showNew(receipt.event_id);
}

/** Events recorded from a draft: each links back to it; `select`: the last is shown on the timeline. */
async function showDrafted(receipts, draft, { select = true } = {}) {
  for (const receipt of receipts) drafted.set(receipt.event_id, { draftId: draft.draft_id, outlet: draft.source?.name ?? "" });
  if (!inRecord) return;  // the log, when in, holds them
  await readBack(receipts);
  if (select && receipts.length) showNew(receipts[receipts.length - 1].event_id);
  else refresh();
}

/** Events the page has not seen yet, read from the log by their positions. */
async function readBack(receipts) {
  try {
    for (const receipt of receipts) {
      if (record.get(receipt.event_id)) continue;
      const event = await eventAt(receipt.position);
      if (event) record.add(event);
    }
  } catch (error) {
    fail(error);
  }
}

function showNew(eventId) {
  if (!record.get(eventId)) return;
  fillSourcePicker();
  view.selected = eventId;
  remember(view);
  refresh();
  timeline.select(eventId);
  document.body.dataset.lastPosition = String(record.lastPosition);
  reloadSoon({ changes: true });
}

/** The selected event, if it stands, can be withdrawn: the form is filled with its retraction. */
function retractButton(event) {
  if (event.type === RETRACTION || event.retracted_by) return null;
  return h("p", { class: "event-actions" }, h("button", { type: "button", class: "link-button",
    onclick: () => recordForm.retract(event) }, "Retract this event…"));
}

/** "Recorded from a draft of Forbes's report. Open the draft", for an event recorded from one. */
function draftNote(event) {
  const from = drafted.get(event.event_id);
  if (!from) return null;
  return h("p", { class: "event-draft" }, `Recorded from a draft of ${from.outlet}'s report. `,
    h("button", { type: "button", class: "link-button", onclick: () => draftPanel.open(from.draftId) }, "Open the draft"));
}

/** A notice at the top of the page that stays until closed or replaced. */
function notify(words, ...actions) {
  const notice = $("notice");
  notice.replaceChildren(h("p", {}, words, " ", ...actions, " ",
    h("button", { type: "button", class: "link-button", onclick: () => { notice.hidden = true; } }, "Dismiss")));
  notice.hidden = false;
}

/** A pinned view (a known_at in its address) says when the record has learnt more since. */
function sayIfNewer() {
  if (!view.knownAt) {
    if ($("notice").dataset.pinned) $("notice").hidden = true;
    delete $("notice").dataset.pinned;
    return;
  }
  const pin = knownAtMs();
  let newer = 0;
  for (const event of record.byId.values()) if (instant(event.recorded_at) > pin) newer += 1;
  if (!newer) return;
  notify(`This view shows the record as it stood at ${knownAtWords(view.knownAt)}. Newer information exists: `
    + `${newer} event${newer === 1 ? " was" : "s were"} recorded since, which may add to or correct it.`,
  h("a", { href: addressOf({ ...view, knownAt: "" }) }, "See the record as it stands now"));
  $("notice").dataset.pinned = "true";
}

function renderSummary() {
  if (!inRecord) return;
  const visible = panels.page.visibleSubjects();
  summaryView.render({
    asOf: view.asOf, knownWords: panels.knownWords(), expected: panels.expected.list,
    subjects: visible ? panels.subjects.filter((item) => visible.has(item.subject)) : panels.subjects,
  });
}

/** From the summary's list of what is expected: the mark on the timeline, in view. */
function showExpected(item) {
  timeline.focusExpected(item.subject);
  updateSlider();
  windowChosen();
  $("timeline").scrollIntoView({ block: "nearest" });
}

/** The exports and their links pinned at the view: the last position known at its known_at. */
function pinExports() {
  const known = record.known(knownAtMs());
  const position = view.knownAt ? known.reduce((last, event) => Math.max(last, event.position), 0) : record.lastPosition;
  for (const link of document.querySelectorAll("[data-export]")) {
    link.href = `/export/${link.dataset.export}.csv?position=${position}`;
  }
}

/** The moment the view is pinned to: its known_at, else the latest recorded time it shows. */
function pinMoment() {
  if (view.knownAt) return view.knownAt;
  let latest = null;
  for (const event of record.byId.values()) if (latest == null || event.recorded_at > latest) latest = event.recorded_at;
  return (latest ?? new Date().toISOString()).replace(/Z$/, "").replace(/\+00:00$/, "");
}

/** "Cite this view": a link pinned with known_at, and a citation to paste beside it. */
async function cite() {
  const knownAt = pinMoment();
  const link = new URL(addressOf({ ...view, knownAt }), location.href).href;
  const text = `${$("record-title").textContent.trim()}. State as of ${formatLongDay(view.asOf)}, as the record stood at `
    + `${knownAtWords(knownAt)}. Parley. ${link} (retrieved ${formatLongDay(today())}).`;
  const box = $("citation");
  $("citation-text").value = text;
  box.dataset.link = link;
  box.hidden = false;
  try {
    await navigator.clipboard.writeText(text);
    $("citation-status").textContent = "Citation and pinned link copied. The link shows this view even after later corrections.";
  } catch {
    $("citation-status").textContent = "Copy the citation below; its link shows this view even after later corrections.";
  }
}

function fillSourcePicker() {
  const picker = $("source-filter");
  const names = sourceNames(record.byId.values());
  if (picker.options.length - 1 === names.length) return;
  const chosen = view.sources[0] ?? "";
  picker.replaceChildren(h("option", { value: "" }, "every source"), ...names.map((name) => h("option", { value: name }, name)));
  if (chosen && !names.includes(chosen)) picker.append(h("option", { value: chosen }, chosen));
  picker.value = chosen;
}

async function copyLink() {
  const status = $("copy-status");
  const link = new URL(addressOf(view), location.href).href;
  try {
    await navigator.clipboard.writeText(link);
    status.textContent = "Link copied.";
  } catch {
    status.textContent = `Copy this link: ${link}`;
  }
}

function setStatus(text, state) {
  const status = $("feed-status");
  status.textContent = text;
  status.dataset.state = state;
}

function announce(text) {
  $("announcer").textContent = text;
}

start();
