// The answers first: the main subjects' state on the as-of date in a line or two each, and what
// is expected or overdue then. Which fields a subject shows comes from its kind's declaration
// (`summary_fields` in `GET /catalog`, SPEC §10); without a catalog, its first few plain fields.
// Other views (a card of who is who, the points of a proposal, drafts) add themselves as further parts of
// this section through `addPart`.

import { formatLongDay } from "./dates.js";
import { KINDS, kindOf } from "./kinds.js";
import { h, sourceName } from "./render.js";
import { fieldName, isDisputed, plain, when, DATE_FIELDS } from "./words.js";

const MAIN = 8;  // subjects the summary names: the most reported on
const FALLBACK_FIELDS = 3;

/** The kinds as `GET /catalog` declares them, by kind, as the page was served them. */
export async function loadCatalog() {
  return KINDS;
}

const isPlain = (value) => value != null && value !== "" && (typeof value !== "object" || isDisputed(value));

/** The fields of a state the summary shows: its kind's declared ones, else its first plain ones.
 * A field that only repeats the subject's title (its party, its title) is left out. */
function shownFields(item, kind, title) {
  const state = item.state ?? {};
  const declared = kind?.summary_fields;
  const names = declared ?? Object.keys(state).filter((name) => name !== "kind" && typeof state[name] !== "boolean"
    && isPlain(state[name]));
  const fields = names.filter((name) => isPlain(state[name]) && !(title && typeof state[name] === "string"
    && title.includes(state[name])));
  return declared ? fields : fields.slice(0, FALLBACK_FIELDS);
}

/** A value in a line: a disputed one as its alternatives, each with its sources. */
function inline(value, sources, field) {
  if (isDisputed(value)) {
    return h("span", { class: "disputed-inline" }, h("span", { class: "badge badge-disputed" }, "disputed"), " ",
      value.disputed.flatMap((alternative, index) => [index ? " or " : null,
        h("strong", {}, inline(alternative.value, sources, field)), " (",
        alternative.sources.flatMap((name, at) => [at ? ", " : null, sourceName(sources.get(name) ?? { name })]), ")"]));
  }
  if (DATE_FIELDS.has(field)) return h("span", { title: `as given: ${value}` }, when(value));
  return plain(value).replaceAll("_", " ");
}

/**
 * `page`: `record`, `titleOf`, `catalog()` (a map of kinds), `onShowExpected(item)`.
 */
export class Summary {
  constructor(page) {
    this.page = page;
    this.parts = [];
  }

  /** A further view in the summary (who is who, the points of a proposal…): `render({asOf, subjects})` → node or null. */
  addPart(part) {
    this.parts.push(part);
  }

  /** The subjects named: the most reported on, in the order of their kinds and then by name. */
  main(subjects) {
    const { record } = this.page;
    const size = (item) => record.bySubject.get(item.subject)?.length ?? 0;
    const kinds = [...this.page.catalog().keys()];
    const order = (item) => { const at = kinds.indexOf(kindOf(item.subject)); return at < 0 ? kinds.length : at; };
    return [...subjects].sort((a, b) => size(b) - size(a) || a.subject.localeCompare(b.subject)).slice(0, MAIN)
      .sort((a, b) => order(a) - order(b) || a.subject.localeCompare(b.subject));
  }

  render({ asOf, subjects, expected, knownWords }) {
    const { page } = this;
    const catalog = page.catalog();
    document.getElementById("summary-date").textContent = formatLongDay(asOf);
    document.getElementById("summary-date").title = asOf;
    document.getElementById("summary-known").textContent = knownWords;
    const existing = subjects.filter((item) => item.state != null);
    const main = this.main(existing);
    const list = document.getElementById("summary-subjects");
    list.replaceChildren(main.length ? h("ul", { class: "summary-list" }, main.map((item) => {
      const kind = catalog.get(kindOf(item.subject));
      const title = page.titleOf(item.subject);
      const sources = page.record.sourcesOf(item.subject);
      const fields = shownFields(item, kind, title);
      // The kind's colour is its declaration's (kinds.js), on its class.
      return h("li", { class: `summary-item kind-${kindOf(item.subject)}`, dataset: { subject: item.subject } },
        h("span", { class: "summary-name" }, title ?? item.subject,
          h("span", { class: "slug" }, ` ${kind?.label ?? kindOf(item.subject)}`)),
        fields.length ? h("span", { class: "summary-fields" }, fields.flatMap((name, index) => [index ? "; " : null,
          h("span", { dataset: { field: name } }, `${fieldName(name)}: `, inline(item.state[name], sources, name))])) : null);
    })) : h("p", {}, "No subject existed yet on this date, as far as the record knew."));
    if (existing.length > main.length) {
      list.append(h("p", { class: "help" }, `The ${main.length} most reported of ${existing.length} subjects; `,
        h("a", { href: "#states" }, "every subject's state"), " is below."));
    }
    list.setAttribute("aria-busy", "false");
    this.renderExpected(expected, asOf);
    for (const part of this.parts) {
      const node = part.render({ asOf, subjects });
      if (node) list.append(node);
    }
  }

  renderExpected(expected, asOf) {
    const { page } = this;
    const box = document.getElementById("summary-expected");
    const overdue = expected.filter((item) => item.overdue);
    const coming = expected.filter((item) => !item.overdue);
    const entry = (item) => h("li", { class: item.overdue ? "overdue" : "expected", dataset: { subject: item.subject } },
      h("button", { type: "button", class: "link-button", onclick: () => page.onShowExpected(item) },
        page.titleOf(item.subject) ?? item.subject),
      ` — planned `, h("span", { title: `as given: ${item.planned_for}` }, when(item.planned_for)),
      item.overdue ? `; not reported done by ${formatLongDay(asOf)}` : null);
    box.replaceChildren(...[
      h("h3", {}, expected.length ? "Expected or overdue" : "Nothing scheduled is outstanding"),
      overdue.length ? h("div", { class: "overdue-list" }, h("h4", {}, `⚠ Overdue (${overdue.length})`),
        h("ul", {}, overdue.map(entry))) : null,
      coming.length ? h("div", { class: "expected-list" }, h("h4", {}, `Expected (${coming.length})`),
        h("ul", {}, coming.map(entry))) : null,
    ].filter(Boolean));
  }
}
