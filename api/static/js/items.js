// A kind's item lists on its state card (a plan's points, SPEC §12): a table of the items at the
// as-of date, each with the sources of the events that made it, and two drafts compared. The kinds
// that have item lists, their columns and whether they compare come from the catalog (kinds.js):
// nothing here names a kind.

import { compareDrafts, eventsById } from "./api.js";
import { describeOccurred, formatLongDay, formatMoment, instant, isDay, knownAtParam } from "./dates.js";
import { KINDS, kindOf } from "./kinds.js";
import { h, sourceName, valueNode } from "./render.js";
import { fieldName, plain, typeName } from "./words.js";

const BEGINNING = "1000-01-01";  // a draft before any (the API takes years 1000–2999): from it, every item is added, with its causes
const GROUPS = [["added", "Added"], ["removed", "Removed"], ["merged", "Merged"], ["changed", "Changed"],
  ["unchanged", "Unchanged"]];

/** The item lists a subject's kind declares: [{ field, key, columns, compare }]. */
export const itemLists = (subject) => KINDS.get(kindOf(subject))?.item_lists ?? [];

const slugOf = (text) => String(text).replace(/[^a-z0-9-]/gi, "-");
const joined = (nodes) => nodes.flatMap((node, index) => (index ? [", ", node] : [node]));

/** `page`: `view()` (asOf, knownAt), `record` (events by id, as far as the page has read them). */
export class ItemViews {
  constructor(page) {
    this.page = page;
    this.causes = new Map();  // subject and view → a promise of { key: [event, …] }
    this.open = new Set();  // the lists a reader opened, kept open as cards are drawn again
  }

  /** The sections of a state card for its kind's item lists, beside its other fields. */
  sections(item) {
    if (item.state == null) return [];
    return itemLists(item.subject).map((list) => this.section(item, list));
  }

  /** A folded section; its table and form are made when first opened (a long list costs nothing
   * to a reader who never opens it, and a closed one holds no controls). */
  section(item, list) {
    const items = item.state[list.field] ?? [];
    const key = `${item.subject} ${list.field}`;
    let made = false;
    const details = h("details", { class: "items", id: `items-${slugOf(item.subject)}-${list.field}`,
      dataset: { items: list.field }, open: this.open.has(key),
      ontoggle: () => {
        if (details.open) this.open.add(key); else this.open.delete(key);
        if (details.open && !made) {
          made = true;
          details.append(...this.content(item, list, items, details.id));
        }
      } },
    h("summary", {}, `${capitalised(fieldName(list.field))} (${items.length})`));
    if (details.open) {  // opened before the cards were drawn again
      made = true;
      details.append(...this.content(item, list, items, details.id));
    }
    return details;
  }

  content(item, list, items, id) {
    const { asOf } = this.page.view();
    const sourceCells = new Map();
    const rows = items.map((entry) => {
      const cell = h("td", { class: "item-sources", dataset: { label: "sources" } }, h("div", {}, "…"));
      sourceCells.set(entry[list.key], cell);
      return h("tr", { dataset: { key: entry[list.key] } },
        h("th", { scope: "row", dataset: { label: fieldName(list.key) } }, h("div", {}, entry[list.key])),
        list.columns.map((column) => h("td", { dataset: { label: fieldName(column), column } },
          h("div", {}, valueNode(entry[column], this.page.record.sourcesOf(item.subject), column)))),
        cell);
    });
    const table = items.length
      ? h("table", { class: "item-table", "aria-busy": "true" },
        h("caption", {}, `${capitalised(fieldName(list.field))} on ${formatLongDay(asOf)}, each with the sources `
          + "of the events that made it"),
        h("thead", {}, h("tr", {}, [list.key, ...list.columns, "sources"].map((name) => h("th", { scope: "col" },
          fieldName(name))))),
        h("tbody", {}, rows))
      : h("p", { class: "empty" }, `No ${fieldName(list.field)} recorded by then.`);
    if (items.length) this.fillSources(item.subject, list, sourceCells, table);
    return [table, list.compare ? this.compareForm(item, list, id) : []].flat();
  }

  /** Each item's sources: those of the events that made it, from a comparison with no draft before. */
  async fillSources(subject, list, cells, table) {
    const { asOf, knownAt } = this.page.view();
    const asked = `${subject} ${list.field} ${asOf} ${knownAt} ${this.page.record.lastPosition}`;
    if (!this.causes.has(asked)) {
      this.causes.set(asked, compareDrafts(subject, { day: BEGINNING }, { day: asOf }, knownAtParam(knownAt))
        .then(async (answer) => {
          const events = await this.eventsOf(answer.added.flatMap((entry) => entry.caused_by));
          return new Map(answer.added.map((entry) => [entry.key, entry.caused_by.map((id) => events.get(id))
            .filter(Boolean)]));
        }));
    }
    try {
      const causes = await this.causes.get(asked);
      for (const [key, cell] of cells) cell.replaceChildren(h("div", {}, sourcesOf(causes.get(key) ?? [])));
    } catch {
      this.causes.delete(asked);
      for (const cell of cells.values()) cell.replaceChildren(h("div", { class: "empty" }, "not read"));
    }
    table.setAttribute("aria-busy", "false");
  }

  /** Events by id: from the page's record, the rest asked of the service. */
  async eventsOf(ids) {
    const found = new Map();
    const missing = [];
    for (const id of new Set(ids)) {
      const event = this.page.record.get(id);
      if (event) found.set(id, event); else missing.push(id);
    }
    if (missing.length) for (const event of await eventsById(missing)) found.set(event.event_id, event);
    return found;
  }

  compareForm(item, list, id) {
    const revision = Number.isInteger(item.state.revision) ? item.state.revision : null;
    const { asOf } = this.page.view();
    const from = h("input", { type: "text", id: `${id}-from`, value: revision ? String(revision - 1) : "0",
      autocomplete: "off", spellcheck: "false", "aria-describedby": `${id}-help ${id}-problem` });
    const to = h("input", { type: "text", id: `${id}-to`, value: revision ? String(revision) : asOf,
      autocomplete: "off", spellcheck: "false", "aria-describedby": `${id}-help ${id}-problem` });
    const problem = h("p", { id: `${id}-problem`, class: "field-problem", "aria-live": "polite" });
    const result = h("div", { class: "compare-result", "aria-live": "polite" });
    const form = h("form", { class: "compare-form", novalidate: true, onsubmit: (event) => {
      event.preventDefault();
      this.compare(item.subject, list, from.value, to.value, problem, result);
    } },
    h("h4", {}, `Compare two drafts of its ${fieldName(list.field)}`),
    h("div", { class: "compare-ends" },
      h("span", { class: "compare-end" }, h("label", { for: from.id }, "From draft"), from),
      h("span", { class: "compare-end" }, h("label", { for: to.id }, "To draft"), to),
      h("button", { type: "submit" }, "Compare drafts")),
    h("p", { id: `${id}-help`, class: "help" }, "Each a revision number (0 is the draft first proposed; revision r is "
      + "the draft just before revision r+1) or a day such as 2025-11-24."),
    problem);
    return [form, result];
  }

  async compare(subject, list, fromText, toText, problem, result) {
    const ends = [fromText, toText].map(readEnd);
    const wrong = ["From draft", "To draft"].filter((_, index) => ends[index] == null);
    if (wrong.length) {
      problem.textContent = `${wrong.join(" and ")}: give a revision number (such as 1) or a day (such as 2025-11-24).`;
      return;
    }
    problem.textContent = "";
    result.setAttribute("aria-busy", "true");
    try {
      const answer = await compareDrafts(subject, ends[0], ends[1], knownAtParam(this.page.view().knownAt));
      const events = await this.eventsOf(GROUPS.flatMap(([group]) => answer[group].flatMap((entry) => entry.caused_by)));
      result.replaceChildren(...comparison(answer, list, events));
    } catch (error) {
      result.replaceChildren(h("p", { class: "problem", role: "alert" }, `Parley could not compare them: ${error.message}`));
    }
    result.setAttribute("aria-busy", "false");
  }
}

function readEnd(text) {
  const value = String(text).trim();
  if (/^\d{1,6}$/.test(value)) return { revision: Number(value) };
  return isDay(value) ? { day: value } : null;
}

function capitalised(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function sourcesOf(events) {
  const named = new Map();
  for (const event of events) for (const source of event.sources) if (!named.has(source.name)) named.set(source.name, source);
  return named.size ? joined([...named.values()].map(sourceName)) : [h("span", { class: "empty" }, "none")];
}

function draftWords(draft) {
  const moment = formatMoment(instant(draft.as_of));
  return draft.revision != null ? `revision ${draft.revision} (${moment})` : moment;
}

/** A comparison as groups of items, each item with what changed and the events that caused it. */
function comparison(answer, list, events) {
  const named = (entry) => {
    const item = entry.after ?? entry.item ?? entry.before ?? {};
    const label = [item.number != null ? plain(item.number) : null, plain(item.text)].filter(Boolean).join(". ");
    return [h("strong", {}, label || entry.key), label ? h("span", { class: "slug" }, ` ${entry.key}`) : null];
  };
  const causes = (entry) => (entry.caused_by.length
    ? h("p", { class: "caused-by" }, "Caused by ", joined(entry.caused_by.map((id) => events.get(id)).filter(Boolean)
      .map((event) => h("span", { class: "cause" }, h("em", {}, typeName(event.type)), `, ${describeOccurred(event)} (`,
        joined(event.sources.map(sourceName)), ")"))))
    : null);
  const entryNode = (group, entry) => h("li", { dataset: { key: entry.key, group } },
    named(entry),
    group === "merged" ? ` merged into ${entry.into}` : null,
    entry.changes?.length ? h("ul", { class: "field-changes" }, entry.changes.map((change) => h("li", {},
      h("strong", {}, fieldName(change.field)), ": ", h("span", { class: "before" }, valueNode(change.before, new Map(),
        change.field)), " → ", h("span", { class: "after" }, valueNode(change.after, new Map(), change.field))))) : null,
    causes(entry));
  const shown = GROUPS.filter(([group]) => answer[group].length);
  return [
    h("p", { class: "help" }, `From ${draftWords(answer.from)} to ${draftWords(answer.to)}: `
      + `${answer.causes} event${answer.causes === 1 ? "" : "s"} between them.`),
    ...(shown.length ? shown.map(([group, words]) => h("section", { class: "compared", dataset: { group } },
      h("h5", {}, `${words} (${answer[group].length})`),
      h("ul", {}, answer[group].map((entry) => entryNode(group, entry)))))
      : [h("p", {}, `Neither draft holds any ${fieldName(list.field)}.`)]),
  ];
}
