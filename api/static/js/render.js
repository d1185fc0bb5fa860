// Builds the page's parts as DOM nodes. Text always goes in as text, never as markup: every
// string here comes from recorded events.

import { describeOccurred, formatMoment, instant, plainDate } from "./dates.js";
import { KINDS, kindOf } from "./kinds.js";
import { STANDING_WORDS } from "./record.js";
import { DATE_FIELDS, fieldName, isDisputed, retractionReason, summary, typeName, when } from "./words.js";

/** h("p", {class: "x"}, "text", child): a small element builder. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value == null || value === false) continue;
    if (name === "dataset") Object.assign(element.dataset, value);
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

const isWebAddress = (url) => /^https?:\/\//i.test(url ?? "");

/** A source's name, linked when it has a web address. */
export function sourceName(source) {
  return isWebAddress(source.url) ? h("a", { href: source.url, rel: "noopener noreferrer" }, source.name) : source.name;
}

export function sourceList(sources) {
  return h("ul", { class: "sources", "aria-label": "Sources" }, sources.map((source) => h("li", {},
    sourceName(source),
    source.published ? `, published ${plainDate(source.published)}` : null,
    source.quote ? [": ", h("q", {}, source.quote)] : null,
  )));
}

/** An event with its valid time, recorded time, standing and sources. */
export function eventArticle(event, standing, { headingLevel = 3, onSelect = null, title = null, from = null } = {}) {
  const name = `${typeName(event.type)}: ${title ?? event.subject}`;
  const heading = h(`h${headingLevel}`, {},
    onSelect ? h("button", { type: "button", class: "link-button", onclick: () => onSelect(event.event_id) }, name) : name,
    title ? h("span", { class: "slug" }, ` ${event.subject}`) : null);
  const reason = standing === "retracted" ? retractionReason(event) : null;
  const retraction = standing === "retracted"
    ? h("p", { class: "retracted-note" }, `Retracted: recorded as withdrawn ${formatMoment(instant(event.retracted_at))}`
      + (reason ? `. Reason given: ${reason}` : "") + ".")
    : null;
  return h("article", { class: `event standing-${standing}`, dataset: { eventId: event.event_id } },
    heading,
    h("p", { class: "event-summary" }, summary(event)),
    h("p", { class: "event-when" },
      h("span", { class: `badge badge-${standing}` }, STANDING_WORDS[standing]), " ",
      "Happened ", h("span", { title: `as given: ${event.occurred}` }, describeOccurred(event)),
      `; recorded ${formatMoment(instant(event.recorded_at))} by ${event.recorded_by}.`),
    retraction,
    event.note ? h("p", { class: "event-note" }, event.note) : null,
    from,  // where it was recorded from: a draft of a report
    sourceList(event.sources),
  );
}

/** A state value: disputed alternatives with their sources, lists, records, or plain text.
 * A fuzzy date (by its field's name) reads in words, with the text as given in its tooltip.
 * `link(text)`: a node for a text that names someone (a link to their card, people.js), or null. */
export function valueNode(value, sources, field = null, link = null) {
  if (value == null || value === "") return h("span", { class: "empty" }, "none");
  const linked = typeof value === "string" && link ? link(value) : null;
  if (linked) return linked;
  if (isDisputed(value)) {
    return h("div", { class: "disputed" },
      h("span", { class: "badge badge-disputed" }, "disputed"),
      h("ul", {}, value.disputed.map((alternative) => h("li", {},
        h("strong", {}, valueNode(alternative.value, sources, field, link)),
        " according to ",
        joined(alternative.sources.map((name) => sourceName(sources.get(name) ?? { name }))),
      ))));
  }
  if (DATE_FIELDS.has(field) && typeof value === "string") return h("span", { title: `as given: ${value}` }, when(value));
  if (Array.isArray(value)) {
    if (!value.length) return h("span", { class: "empty" }, "none");
    return h("ul", { class: "values" }, value.map((item) => h("li", {}, valueNode(item, sources, null, link))));
  }
  if (typeof value === "object") {
    if ("quote" in value) {
      return h("span", {}, h("q", {}, value.quote), " ", valueNode(value.speaker, sources, null, link),
        value.role ? [", ", valueNode(value.role, sources)] : null,
        value.occurred ? [" (", valueNode(value.occurred, sources, "occurred"), ")"] : "");
    }
    if ("name" in value) {  // a member or participant: "Name (role)"
      const rest = Object.entries(value).filter(([key, item]) => key !== "name" && item != null);
      return h("span", {}, valueNode(value.name, sources, null, link),
        rest.length ? [" (", joined(rest.map(([, item]) => valueNode(item, sources))), ")"] : null);
    }
    return h("dl", { class: "nested" }, Object.entries(value).map(([key, item]) => [
      h("dt", {}, fieldName(key)), h("dd", {}, valueNode(item, sources, key, link))]));
  }
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value).replaceAll("_", " ");
}

function joined(nodes) {
  return nodes.flatMap((node, index) => (index ? [", ", node] : [node]));
}

/** A subject's name for readers: its title or party, with the slug beside it. */
export function subjectHeading(subject, title, tag = "h3", attributes = {}) {
  return h(tag, attributes, title ?? subject, title ? h("span", { class: "slug" }, ` ${subject}`) : null);
}

/** One subject's state at the chosen date, with what is pending there. `counted` says how many of
 * its events were certain by then ("3 events by 24 Nov 2025"): what was true on that date. `lists`:
 * the sections showing its item lists (items.js), each naming its field as `data-items`. `link`:
 * valueNode's, so the names it holds lead to their people's cards; `opener`: a node after the heading. */
export function stateCard(item, sources, { title = null, counted = "", lists = [], link = null, opener = null } = {}) {
  const id = `state-${item.subject.replace("/", "-")}`;
  const { statements = [], kind: _, ...fields } = item.state ?? {};  // the kind is the card's colour and heading
  for (const list of lists) delete fields[list.dataset.items];  // an item list is shown as its own table
  return h("article", { class: `card kind-${kindOf(item.subject)}`, "aria-labelledby": id, dataset: { subject: item.subject } },
    subjectHeading(item.subject, title, "h3", { id }),
    h("p", { class: "help card-count" }, counted),
    opener,
    item.state == null ? h("p", { class: "help" }, "May exist by then: its creation is pending.") : null,
    h("dl", { class: "fields" }, Object.entries(fields).map(([name, value]) => [
      h("dt", {}, fieldName(name)),
      h("dd", { dataset: { field: name } }, valueNode(value, sources, name, link)),
    ])),
    lists,
    statements.length ? h("details", { class: "statements" },
      h("summary", {}, `${statements.length} statement${statements.length === 1 ? "" : "s"}`),
      h("ul", {}, statements.map((s) => h("li", {}, h("q", {}, s.quote), " ", valueNode(s.speaker, sources, null, link),
        s.role ? [", ", valueNode(s.role, sources)] : null, " (",
        valueNode(s.occurred, sources, "occurred"), ")"))),
    ) : null,
    item.pending.length ? h("div", { class: "pending" },
      h("h4", {}, "Pending on this date"),
      h("ul", {}, item.pending.map((event) => h("li", {},
        `${summary(event)}, ${describeOccurred(event)}; `, joined(event.sources.map(sourceName)))))) : null,
  );
}

/** Field-level changes between two dates, each with the events that caused it and their sources. */
export function changesList(subjects, sourcesOf, titleOf = () => null) {
  const shown = subjects
    .map((item) => ({ ...item, changes: item.changes.filter((change) => !(isEmpty(change.before) && isEmpty(change.after))) }))
    .filter((item) => item.changes.length);
  if (!shown.length) return h("p", {}, "Nothing changed between these dates.");
  return shown.map((item) => {
    const sources = sourcesOf(item.subject);
    const lists = (KINDS.get(kindOf(item.subject))?.item_lists ?? [])
      .map((list) => ({ list, changes: item.changes.filter((change) => inList(change, list)) }))
      .filter(({ changes }) => changes.length);
    const others = item.changes.filter((change) => !lists.some(({ list }) => inList(change, list)));
    return h("article", { class: "card changed", dataset: { subject: item.subject } },
      subjectHeading(item.subject, titleOf(item.subject)),
      h("ul", { class: "field-changes" },
        others.map((change) => changeLine(change, fieldName(change.field), sources)),
        lists.map(({ list, changes }) => itemChanges(list, changes, sources))),
    );
  });
}

function changeLine(change, name, sources, shown = (value) => value) {
  return h("li", { dataset: { field: change.field } },
    h("p", {}, h("strong", {}, name), ": ",
      h("span", { class: "before" }, valueNode(shown(change.before), sources, change.field)), " → ",
      h("span", { class: "after" }, valueNode(shown(change.after), sources, change.field))),
    h("p", { class: "caused-by" }, "Caused by ", joined(change.caused_by.map(cause))));
}

const inList = (change, list) => change.field.startsWith(`${list.field}.`);

/** A list's items changed (a plan's points), as one line that opens: "Points: 4 added, 1 changed".
 * A draft reported point by point would otherwise be a line a point, pushing all else down. */
function itemChanges(list, changes, sources) {
  const keys = new Map();  // item key → added, removed or changed
  for (const change of changes) {
    const [key, ...field] = change.field.slice(list.field.length + 1).split(".");
    const how = field.length || (change.before != null && change.after != null) ? "changed"
      : change.before == null ? "added" : "removed";
    keys.set(key, keys.get(key) === undefined || keys.get(key) === how ? how : "changed");
  }
  const tally = ["added", "removed", "changed"].map((how) => [how, [...keys.values()].filter((h) => h === how).length])
    .filter(([, count]) => count).map(([how, count]) => `${count} ${how}`).join(", ");
  const name = fieldName(list.field);
  return h("li", { class: "item-changes", dataset: { field: list.field } },
    h("details", {},
      h("summary", {}, h("strong", {}, name[0].toUpperCase() + name.slice(1)), `: ${tally}`),
      h("ul", { class: "field-changes" }, changes.map((change) =>
        changeLine(change, change.field.slice(list.field.length + 1).replaceAll(".", " · "), sources, shortItem)))));
}

/** An item added or removed, without its empty fields. */
function shortItem(value) {
  if (value == null || typeof value !== "object" || Array.isArray(value) || isDisputed(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, field]) => !isEmpty(field)
    && !(typeof field === "object" && !Array.isArray(field) && !isDisputed(field) && !Object.keys(field).length)));
}

function cause(event) {
  return h("span", { class: "cause" }, h("em", {}, typeName(event.type)), `, ${describeOccurred(event)} (`,
    joined(event.sources.map(sourceName)), ")");
}

const isEmpty = (value) => value == null || value === "" || (Array.isArray(value) && !value.length);
