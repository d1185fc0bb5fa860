// Wires the page: the as-of and known-at controls, find and filter, the timeline, the states,
// the changes, the list of events and the live feed. The address holds the whole view (see
// address.js), so a view can be shared, reloaded and gone back to.

import { allEvents, follow } from "./api.js";
import { addressOf, readView, remember, settle } from "./address.js";
import { addDays, daysBetween, dayOf, formatLongDay, isDay, knownAtParam, today, endOfDay } from "./dates.js";
import { isFiltering, matcher, sourceNames } from "./filters.js";
import { Record, standing } from "./record.js";
import { Panels, fail } from "./panels.js";
import { eventArticle, h } from "./render.js";
import { EventTimeline, around, isExpectation, openingDays } from "./timeline.js";
import { summary, typeName } from "./words.js";

const $ = (id) => document.getElementById(id);
const LIST_PAGE = 100;  // events drawn in the list at a time: 20,000 articles would take seconds

const record = new Record();
let view = readView(location.search, { asOf: today() });
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

const knownAtMs = () => (view.knownAt ? Date.parse(knownAtParam(view.knownAt)) : null);
const standingOf = (event) => standing(event, endOfDay(view.asOf), knownAtMs());
const titleOf = (subject) => record.titleOf(subject);
const panels = new Panels({
  view: () => view, record, titleOf, knownAtMs,
  visibleSubjects: () => (isFiltering(view) ? new Set(visibleEvents().map((event) => event.subject)) : null),
  onExpected: (expected, asOf) => timeline?.setExpectations(expected, asOf),
});
const loadStates = (options) => panels.loadStates(options);
const loadChanges = () => panels.loadChanges();
const renderCards = () => panels.renderCards();

async function start() {
  // What the service answers is asked at once, beside the log; the timeline is made while they
  // come. Nothing is drawn from them until the log is in (titles and sources come from it).
  const states = loadStates({ draw: false });
  showChangeDates();
  const log = allEvents();
  let loaded;
  const changes = panels.loadChanges({ drawAfter: new Promise((resolve) => { loaded = resolve; }) });
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
    loaded();
  }
  inRecord = true;
  wireControls();
  fillSourcePicker();
  await Promise.all([states, changes]);
  timeline.setExpectations(panels.expected.list, panels.expected.asOf);  // kept, and drawn with the events
  await timeline.firstDraw;  // else its opening window may come back over the one shown now
  showView();
  renderCards();
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
  $("changes-from").value = changes.from;
  $("changes-to").value = changes.to;
}

/** Puts every control, the timeline's window and the selection where `view` says. */
function showView() {
  applying = true;
  $("known-at").value = view.knownAt;
  $("published-by").value = view.publishedBy ?? "";
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
 * (up to today), so a record of the past opens on its end and not on an empty today. */
function openingDay() {
  const bounds = record.bounds();
  if (new URLSearchParams(location.search).has("as_of") || !bounds) return view.asOf;
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
  $("as-of-date").addEventListener("change", (event) => setAsOf(event.target.value));
  for (const button of document.querySelectorAll("[data-days]")) {
    button.addEventListener("click", () => setAsOf(addDays(view.asOf, Number(button.dataset.days))));
  }
  $("known-at").addEventListener("change", (event) => setKnownAt(event.target.value));
  $("known-at-now").addEventListener("click", () => setKnownAt(""));
  $("published-by").addEventListener("change", (event) => setPublishedBy(event.target.value));
  $("published-by-any").addEventListener("click", () => setPublishedBy(""));
  $("copy-link").addEventListener("click", copyLink);
  $("changes-form").addEventListener("submit", (event) => {
    event.preventDefault();
    view.changes = { from: $("changes-from").value, to: $("changes-to").value };
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
    view = readView(location.search, { asOf: today() });
    showView();
    renderDetail();
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
  view.asOf = day;
  timeline.reveal(day);  // the user moved it: follow it
  view.window = timeline.getWindow();
  remember(view, { during });
  refresh();
  reloadSoon();
}

function setKnownAt(value) {
  view.knownAt = value;
  $("known-at").value = value;
  remember(view);
  refresh();
  reloadSoon({ changes: true });
}

function setPublishedBy(day) {
  view.publishedBy = isDay(day) ? day : null;
  $("published-by").value = view.publishedBy ?? "";
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
  if (resolved) reloadSoon({ changes: true });  // disputed values read according to the source
}

/** The timeline moved: the slider spans the new window; a user's move goes in the address. */
function windowMoved(start, end, byUser) {
  if (!timeline) return;  // the opening window, while the timeline is being made
  updateSlider();
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
  return isFiltering(view) ? known.filter(matcher(view, titleOf)) : known;
}

/** Redraws what the page can work out itself: slider, timeline, list and selected event. */
function refresh() {
  const events = visibleEvents();
  updateSlider();
  timeline.show(events, { standingOf, titleOf, collapsed: shown.collapsed });
  timeline.setAsOf(view.asOf);
  $("timeline-empty").hidden = record.size > 0;
  renderList(events);
  renderDetail();
  renderCount(events);
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
  $("as-of-date").value = view.asOf;
}

function renderList(events) {
  const list = $("event-list");
  // Keep keyboard focus on the same event when the list is redrawn under it.
  const focused = document.activeElement?.closest?.("#event-list [data-event-id]")?.dataset.eventId;
  list.replaceChildren(...events.slice(0, shown.events).map((event) => h("li", {},
    eventArticle(event, standingOf(event), { onSelect: selectFromList, title: titleOf(event.subject) }))));
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
  const event = view.selected && record.get(view.selected);
  const known = event && (knownAtMs() == null || Date.parse(event.recorded_at) <= knownAtMs());
  $("event-detail").replaceChildren(known
    ? eventArticle(event, standingOf(event), { headingLevel: 3, title: titleOf(event.subject) })
    : h("p", { class: "help" }, "Select an event on the timeline or in the list to see its sources."));
}

function reloadSoon({ changes = false } = {}) {
  // A slider dragged across many days asks once it settles, not once per day.
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => {
    loadStates();
    if (changes) loadChanges();
  }, 80);
}

function arrived(event) {
  record.add(event);
  arrivals.push(event);
  // A reconnecting feed can bring many events at once: redraw and announce once per frame.
  if (arrivals.length === 1) requestAnimationFrame(showArrivals);
}

function showArrivals() {
  const latest = arrivals[arrivals.length - 1];
  const count = arrivals.length;
  arrivals = [];
  fillSourcePicker();
  refresh();
  reloadSoon({ changes: $("changes-result").dataset.from != null });
  document.body.dataset.lastPosition = String(record.lastPosition);
  announce(`${count === 1 ? "New event" : `${count} new events; the latest`} for ${latest.subject}: `
    + `${typeName(latest.type)}. ${summary(latest)}.`);
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
