// Wires the page: the as-of and known-at controls, the timeline, the states, the changes, the
// list of events and the live feed. The address keeps `as_of` and `known_at`, so a view can be
// shared or reloaded.

import { allEvents, allStates, changesBetween, follow } from "./api.js";
import { addDays, daysBetween, dayOf, formatLongDay, formatMoment, isDay, knownAtParam, today, endOfDay } from "./dates.js";
import { Record, standing } from "./record.js";
import { changesList, eventArticle, h, stateCard } from "./render.js";
import { EventTimeline } from "./timeline.js";
import { summary, typeName } from "./words.js";

const $ = (id) => document.getElementById(id);
const SLIDER_MARGIN_DAYS = 2;

const record = new Record();
const view = { asOf: today(), knownAt: "", selected: null, firstDay: today() };
let timeline = null;
let statesAsked = 0;  // answers can arrive out of order: only the latest question's is shown
let changesAsked = 0;
let reloadTimer = null;
let arrivals = [];  // events from the feed not yet drawn

const knownAtMs = () => (view.knownAt ? Date.parse(knownAtParam(view.knownAt)) : null);
const standingOf = (event) => standing(event, endOfDay(view.asOf), knownAtMs());

async function start() {
  readAddress();
  wireControls();
  timeline = new EventTimeline($("timeline"), { onSelect: selectFromTimeline, onAsOfMoved: setAsOf });
  try {
    for (const event of await allEvents()) record.add(event);
  } catch (error) {
    fail(error);
    return;
  }
  refresh();
  $("changes-from").value = addDays(view.asOf, -7);  // the week up to the as-of date, to start with
  $("changes-to").value = view.asOf;
  await Promise.all([loadStates(), loadChanges()]);
  document.body.dataset.ready = "true";
  follow(record.lastPosition, {
    onEvent: arrived,
    onLive: () => setStatus("Live: new events appear as they are recorded.", "live"),
    onDropped: (closed) => setStatus(closed ? "Live updates stopped; reload the page to resume them."
      : "Connection lost; reconnecting…", "dropped"),
  });
}

function wireControls() {
  const slider = $("as-of-slider");
  slider.addEventListener("input", () => setAsOf(addDays(view.firstDay, Number(slider.value))));
  $("as-of-date").addEventListener("change", (event) => setAsOf(event.target.value));
  $("known-at").addEventListener("change", (event) => setKnownAt(event.target.value));
  $("known-at-now").addEventListener("click", () => setKnownAt(""));
  $("changes-form").addEventListener("submit", (event) => {
    event.preventDefault();
    loadChanges();
  });
  for (const button of document.querySelectorAll("[data-timeline]")) {
    button.addEventListener("click", () => timeline.act(button.dataset.timeline, view.asOf));
  }
}

function setAsOf(day) {
  if (!isDay(day) || day === view.asOf) return;
  view.asOf = day;
  writeAddress();
  refresh();
  timeline.reveal(day);  // the user moved it: follow it (on load the record's span is shown instead)
  reloadSoon();
}

function setKnownAt(value) {
  view.knownAt = value;
  $("known-at").value = value;
  writeAddress();
  refresh();
  reloadSoon({ changes: true });
}

/** Redraws what the page can work out itself: slider, timeline, list and selected event. */
function refresh() {
  const known = record.known(knownAtMs());
  updateSlider();
  timeline.show(known, { standingOf, bounds: record.bounds() });
  timeline.setAsOf(view.asOf);
  renderList(known);
  renderDetail();
}

function updateSlider() {
  const bounds = record.bounds();
  const days = [today(), view.asOf, ...(bounds ? [dayOf(bounds.start), dayOf(bounds.end)] : [])].sort();
  view.firstDay = addDays(days[0], -SLIDER_MARGIN_DAYS);
  const slider = $("as-of-slider");
  slider.max = String(daysBetween(view.firstDay, days[days.length - 1]));
  slider.value = String(daysBetween(view.firstDay, view.asOf));
  slider.setAttribute("aria-valuetext", formatLongDay(view.asOf));
  $("as-of-date").value = view.asOf;
}

function renderList(known) {
  const list = $("event-list");
  // Keep keyboard focus on the same event when the list is redrawn under it.
  const focused = document.activeElement?.closest?.("#event-list [data-event-id]")?.dataset.eventId;
  list.replaceChildren(...known.map((event) => h("li", {}, eventArticle(event, standingOf(event), { onSelect: selectFromList }))));
  if (focused) list.querySelector(`[data-event-id="${focused}"] button`)?.focus();
}

function selectFromTimeline(eventId) {
  view.selected = eventId;
  renderDetail();
}

/** From the list: show the event on the timeline, and move focus to its details there. */
function selectFromList(eventId) {
  view.selected = eventId;
  timeline.select(eventId);
  renderDetail();
  const detail = $("event-detail");
  detail.scrollIntoView({ block: "nearest" });
  detail.focus();
}

function renderDetail() {
  const event = view.selected && record.get(view.selected);
  const known = event && record.known(knownAtMs()).includes(event);
  $("event-detail").replaceChildren(known
    ? eventArticle(event, standingOf(event), { headingLevel: 3 })
    : h("p", { class: "help" }, "Select an event on the timeline or in the list to see its sources."));
}

async function loadStates() {
  const asked = ++statesAsked;
  const cards = $("state-cards");
  cards.setAttribute("aria-busy", "true");
  try {
    const subjects = await allStates(view.asOf, knownAtParam(view.knownAt));
    if (asked !== statesAsked) return;
    $("states-date").textContent = formatLongDay(view.asOf);
    $("states-known").textContent = view.knownAt
      ? `As the record stood at ${formatMoment(knownAtMs())}.` : "As the record stands now.";
    cards.replaceChildren(...(subjects.length
      ? subjects.map((item) => stateCard(item, record.sourcesOf(item.subject)))
      : [h("p", {}, "No subject existed yet on this date, as far as the record knew.")]));
    Object.assign(cards.dataset, { asOf: view.asOf, knownAt: view.knownAt });  // what is shown
    cards.setAttribute("aria-busy", "false");
    clearProblem();
  } catch (error) {
    if (asked === statesAsked) fail(error);
  }
}

async function loadChanges() {
  const from = $("changes-from").value;
  const to = $("changes-to").value;
  const result = $("changes-result");
  if (!isDay(from) || !isDay(to)) return;
  const asked = ++changesAsked;
  try {
    const subjects = await changesBetween(from, to, knownAtParam(view.knownAt));
    if (asked !== changesAsked) return;
    result.replaceChildren(
      h("p", { class: "help" }, `From the end of ${formatLongDay(from)} to the end of ${formatLongDay(to)}, `
        + (view.knownAt ? `as the record stood at ${formatMoment(knownAtMs())}.` : "as the record stands now.")),
      ...[changesList(subjects, (subject) => record.sourcesOf(subject))].flat());
    Object.assign(result.dataset, { from, to });
  } catch (error) {
    if (asked === changesAsked) result.replaceChildren(h("p", { class: "problem", role: "alert" }, error.message));
  }
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
  refresh();
  reloadSoon({ changes: $("changes-result").dataset.from != null });
  document.body.dataset.lastPosition = String(record.lastPosition);
  announce(`${count === 1 ? "New event" : `${count} new events; the latest`} for ${latest.subject}: `
    + `${typeName(latest.type)}. ${summary(latest)}.`);
}

function readAddress() {
  const params = new URLSearchParams(location.search);
  if (isDay(params.get("as_of") ?? "")) view.asOf = params.get("as_of");
  const known = (params.get("known_at") ?? "").replace(/Z$/, "");
  if (known && !Number.isNaN(Date.parse(`${known}Z`))) {
    view.knownAt = known;
    $("known-at").value = known;
  }
}

function writeAddress() {
  const params = new URLSearchParams({ as_of: view.asOf });
  if (view.knownAt) params.set("known_at", knownAtParam(view.knownAt));
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

function setStatus(text, state) {
  const status = $("feed-status");
  status.textContent = text;
  status.dataset.state = state;
}

function announce(text) {
  $("announcer").textContent = text;
}

function fail(error) {
  const problem = $("problem");
  problem.textContent = `The service could not answer: ${error.message}`;
  problem.hidden = false;
}

function clearProblem() {
  $("problem").hidden = true;
}

start();
