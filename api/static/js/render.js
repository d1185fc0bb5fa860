// Builds the page's parts as DOM nodes. Text always goes in as text, never as markup: every
// string here comes from recorded events.

import { describeOccurred, formatMoment, instant } from "./dates.js";
import { STANDING_WORDS } from "./record.js";
import { fieldName, isDisputed, summary, typeName } from "./words.js";

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
    source.published ? `, published ${source.published}` : null,
    source.quote ? [": ", h("q", {}, source.quote)] : null,
  )));
}

/** An event with its valid time, recorded time, standing and sources. */
export function eventArticle(event, standing, { headingLevel = 3, onSelect = null } = {}) {
  const title = `${typeName(event.type)}: ${event.subject}`;
  const heading = h(`h${headingLevel}`, {},
    onSelect ? h("button", { type: "button", class: "link-button", onclick: () => onSelect(event.event_id) }, title) : title);
  const retraction = standing === "retracted"
    ? h("p", { class: "retracted-note" }, `Retracted: recorded as withdrawn ${formatMoment(instant(event.retracted_at))}.`)
    : null;
  return h("article", { class: `event standing-${standing}`, dataset: { eventId: event.event_id } },
    heading,
    h("p", { class: "event-summary" }, summary(event)),
    h("p", { class: "event-when" },
      h("span", { class: `badge badge-${standing}` }, STANDING_WORDS[standing]), " ",
      `Happened ${describeOccurred(event)} `, h("code", {}, event.occurred),
      `; recorded ${formatMoment(instant(event.recorded_at))} by ${event.recorded_by}, position ${event.position}.`),
    retraction,
    event.note ? h("p", { class: "event-note" }, event.note) : null,
    sourceList(event.sources),
  );
}

/** A state value: disputed alternatives with their sources, lists, records, or plain text. */
export function valueNode(value, sources) {
  if (value == null || value === "") return h("span", { class: "empty" }, "none");
  if (isDisputed(value)) {
    return h("div", { class: "disputed" },
      h("span", { class: "badge badge-disputed" }, "disputed"),
      h("ul", {}, value.disputed.map((alternative) => h("li", {},
        h("strong", {}, valueNode(alternative.value, sources)),
        " according to ",
        joined(alternative.sources.map((name) => sourceName(sources.get(name) ?? { name }))),
      ))));
  }
  if (Array.isArray(value)) {
    if (!value.length) return h("span", { class: "empty" }, "none");
    return h("ul", { class: "values" }, value.map((item) => h("li", {}, valueNode(item, sources))));
  }
  if (typeof value === "object") {
    if ("quote" in value) {
      return h("span", {}, h("q", {}, value.quote), " ", [value.speaker, value.role].filter(Boolean).join(", "),
        value.occurred ? ` (${value.occurred})` : "");
    }
    if ("name" in value) {  // a member or participant: "Name (role)"
      const rest = Object.entries(value).filter(([key, item]) => key !== "name" && item != null);
      return h("span", {}, valueNode(value.name, sources),
        rest.length ? [" (", joined(rest.map(([, item]) => valueNode(item, sources))), ")"] : null);
    }
    return h("dl", { class: "nested" }, Object.entries(value).map(([key, item]) => [
      h("dt", {}, fieldName(key)), h("dd", {}, valueNode(item, sources))]));
  }
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value).replaceAll("_", " ");
}

function joined(nodes) {
  return nodes.flatMap((node, index) => (index ? [", ", node] : [node]));
}

/** One subject's state at the chosen date, with what is pending there. */
export function stateCard(item, sources) {
  const id = `state-${item.subject.replace("/", "-")}`;
  const { statements = [], ...fields } = item.state;
  return h("article", { class: `card kind-${item.subject.split("/")[0]}`, "aria-labelledby": id, dataset: { subject: item.subject } },
    h("h3", { id }, item.subject),
    h("p", { class: "help" }, `version ${item.version}`),
    h("dl", { class: "fields" }, Object.entries(fields).map(([name, value]) => [
      h("dt", {}, fieldName(name)),
      h("dd", { dataset: { field: name } }, valueNode(value, sources)),
    ])),
    statements.length ? h("details", { class: "statements" },
      h("summary", {}, `${statements.length} statement${statements.length === 1 ? "" : "s"}`),
      h("ul", {}, statements.map((s) => h("li", {}, h("q", {}, s.quote), ` ${s.speaker}${s.role ? `, ${s.role}` : ""} (${s.occurred})`))),
    ) : null,
    item.pending.length ? h("div", { class: "pending" },
      h("h4", {}, "Pending on this date"),
      h("ul", {}, item.pending.map((event) => h("li", {},
        `${summary(event)}, ${describeOccurred(event)}; `, joined(event.sources.map(sourceName)))))) : null,
  );
}

/** Field-level changes between two dates, each with the events that caused it and their sources. */
export function changesList(subjects, sourcesOf) {
  const shown = subjects
    .map((item) => ({ ...item, changes: item.changes.filter((change) => !(isEmpty(change.before) && isEmpty(change.after))) }))
    .filter((item) => item.changes.length);
  if (!shown.length) return h("p", {}, "Nothing changed between these dates.");
  return shown.map((item) => h("article", { class: "card changed", dataset: { subject: item.subject } },
    h("h3", {}, item.subject),
    h("ul", { class: "field-changes" }, item.changes.map((change) => h("li", { dataset: { field: change.field } },
      h("p", {}, h("strong", {}, fieldName(change.field)), ": ",
        h("span", { class: "before" }, valueNode(change.before, sourcesOf(item.subject))), " → ",
        h("span", { class: "after" }, valueNode(change.after, sourcesOf(item.subject)))),
      h("p", { class: "caused-by" }, "Caused by ", joined(change.caused_by.map(cause))),
    ))),
  ));
}

function cause(event) {
  return h("span", { class: "cause" }, h("em", {}, typeName(event.type)), `, ${describeOccurred(event)} (`,
    joined(event.sources.map(sourceName)), ")");
}

const isEmpty = (value) => value == null || value === "" || (Array.isArray(value) && !value.length);
