// The panels the service answers: every subject's state on the as-of date (with the subjects
// expected then) and what changed between two dates. Answers can arrive out of order:
// only the latest question's is shown.

import { allStates, changesBetween, expectations } from "./api.js";
import { endOfDay, formatDay, formatLongDay, isDay, knownAtParam, knownAtWords } from "./dates.js";
import { changesList, h, stateCard } from "./render.js";

const $ = (id) => document.getElementById(id);
const CARD_PAGE = 30;  // cards drawn at a time, until "show every subject"
const CHANGES_PAGE = 100;  // subjects whose changes a large record shows
const ANSWERS_KEPT = 8;  // views whose states are kept (a page of a large record's is about 1 MB)

/** An API problem in the reader's words. */
export function inWords(error) {
  if (error.status == null) return "Parley could not be reached. Check the connection, then reload the page.";
  if (error.status >= 500) return "Parley could not answer just now. Try again in a moment.";
  return `Parley could not answer that question: ${error.message}`;
}

export function fail(error) {
  const problem = $("problem");
  problem.textContent = inWords(error);
  problem.hidden = false;
}

/** Puts `nodes` in `parent` in this order, moving only what is out of place; others are removed. */
function inOrder(parent, nodes) {
  const keep = new Set(nodes);
  for (const child of [...parent.childNodes]) if (!keep.has(child)) child.remove();
  let at = parent.firstChild;
  for (const node of nodes) {
    if (node === at) at = at.nextSibling;
    else parent.insertBefore(node, at);
  }
}

function clearProblem() {
  $("problem").hidden = true;
}

/**
 * `page` gives what the panels read of the page: `view()`, `record`, `titleOf`, `knownAtMs()`,
 * `visibleSubjects()` (a set, or null when nothing is filtered), `onExpected(list, asOfDay)`,
 * `items` (the item lists' sections of a card, items.js) and `names` (names leading to their cards, people.js).
 */
export class Panels {
  constructor(page) {
    this.page = page;
    this.statesAsked = 0;
    this.changesAsked = 0;
    this.subjects = [];  // the states last answered
    this.expected = { list: [], asOf: null };
    this.cardLimit = CARD_PAGE;
    this.drawn = new Map();  // subject → its card last drawn and what it was drawn from
    this.answers = new Map();  // a view's states and expectations, as asked (answer())
  }

  reading() {
    const view = this.page.view();
    return { sources: view.sources, publishedBy: view.publishedBy };  // SPEC §9, asked of the API
  }

  async loadStates({ draw = true } = {}) {
    const { page } = this;
    const view = page.view();
    const asked = ++this.statesAsked;
    const cards = $("state-cards");
    cards.setAttribute("aria-busy", "true");
    try {
      const [subjects, expected] = await this.answer(view.asOf);
      if (asked !== this.statesAsked) return;
      this.expected = { list: expected, asOf: view.asOf };
      this.more = Boolean(subjects.more);  // more subjects than asked for follow
      this.subjects = subjects;
      await page.onSubjects?.(subjects);  // a large record: their events in the window, before drawing
      if (asked !== this.statesAsked) return;
      page.onExpected(expected, view.asOf);
      $("states-date").textContent = formatLongDay(view.asOf);
      $("states-known").textContent = this.knownWords();
      if (draw) {
        page.onStates?.();
        this.renderCards();
      }
      Object.assign(cards.dataset, { asOf: view.asOf, knownAt: view.knownAt });  // what is shown
      cards.setAttribute("aria-busy", "false");
      clearProblem();
      const next = page.nextDay?.();  // where a step the same way goes: asked now, drawn at once then
      if (next) this.answer(next).catch(() => {});
    } catch (error) {
      if (asked === this.statesAsked) fail(error);
    }
  }

  /** The states and what is expected on `asOf` at the view's known-at and reading, asked once while
   * the log stays where it is (an event arriving moves it): a day gone back to, or one asked ahead,
   * is drawn without waiting on the service. A large record: a page of subjects (more on request)
   * and the first page of what is expected. */
  answer(asOf) {
    const { page } = this;
    const view = page.view();
    const reading = { ...this.reading(), ...(page.windowed ? { limit: page.subjectLimit() } : {}) };
    const key = JSON.stringify([asOf, view.knownAt, reading, page.record.lastPosition]);
    let answer = this.answers.get(key);
    if (!answer) {
      const knownAt = knownAtParam(view.knownAt);
      answer = Promise.all([allStates(asOf, knownAt, reading), expectations(asOf, knownAt, reading)]);
      answer.catch(() => this.answers.delete(key));  // asked again next time
    }
    this.answers.delete(key);  // the latest asked last, the first forgotten
    this.answers.set(key, answer);
    if (this.answers.size > ANSWERS_KEPT) this.answers.delete(this.answers.keys().next().value);
    return answer;
  }

  /** How the states were read, in words: as the record stood when, according to whom. */
  knownWords() {
    const view = this.page.view();
    return (view.knownAt ? `As the record stood at ${knownAtWords(view.knownAt)}.` : "As the record stands now.")
      + (view.sources.length ? ` According to ${view.sources.join(" and ")}: disputed values as it gave them.` : "")
      + (view.publishedBy ? ` Only what was published by ${formatLongDay(view.publishedBy)}.` : "");
  }

  renderCards() {
    const { page } = this;
    const cards = $("state-cards");
    const visible = page.visibleSubjects();
    const subjects = visible ? this.subjects.filter((item) => visible.has(item.subject)) : this.subjects;
    const asOf = endOfDay(page.view().asOf);
    const counted = (subject) => {
      const count = page.record.certainBy(subject, asOf, page.knownAtMs());
      return `${count} event${count === 1 ? "" : "s"} by ${formatDay(asOf)}`;
    };
    if (!subjects.length) {
      this.drawn.clear();
      cards.replaceChildren(h("p", {}, this.subjects.length ? "No subject on this date matches what you are looking for."
        : "No subject existed yet on this date, as far as the record knew."));
    } else {
      const shown = subjects.slice(0, this.cardLimit);
      inOrder(cards, shown.map((item) => this.card(item, counted(item.subject))));
      const drawn = new Set(shown.map((item) => item.subject));
      for (const subject of this.drawn.keys()) if (!drawn.has(subject)) this.drawn.delete(subject);
    }
    const more = $("more-cards");
    const further = this.page.windowed && this.more;  // a large record: the next page of subjects
    more.hidden = subjects.length <= this.cardLimit && !further;
    more.textContent = subjects.length > this.cardLimit ? `Show every subject (${subjects.length}${further ? "+" : ""})`
      : "Show more subjects";
  }

  /** A subject's card: the one drawn before when what it shows is the same (a day later most
   * subjects are unchanged), with its count and its links to people brought to the view; else a new one. */
  card(item, counted) {
    const { page } = this;
    const drawn = this.drawn.get(item.subject);
    // What the card is drawn from: the state (not the moments it was read at), the title, the
    // sources its events name (more events, maybe more sources) and, with an item list open, the
    // view it lists the items at.
    const { as_of: _, known_at: __, ...drawnFrom } = item;
    const key = JSON.stringify([drawnFrom, page.titleOf(item.subject), page.record.bySubject.get(item.subject)?.length ?? 0,
      drawn?.card.querySelector("details.items[open]") ? [page.view().asOf, page.view().knownAt] : null]);
    if (drawn?.key === key) {
      drawn.card.querySelector(".card-count").textContent = counted;
      page.names?.relink(drawn.card);
      return drawn.card;
    }
    const card = stateCard(item, page.record.sourcesOf(item.subject), { title: page.titleOf(item.subject), counted,
      lists: page.items?.sections(item) ?? [], link: page.names?.namesIn(item), opener: page.names?.opener(item) });
    this.drawn.set(item.subject, { key, card });
    return card;
  }

  showEveryCard() {
    const drawn = this.subjects.length <= this.cardLimit;  // every card of the subjects in is drawn
    this.cardLimit = Infinity;
    if (drawn && this.page.windowed && this.more) {
      this.page.onMoreSubjects?.();
      return;
    }
    this.renderCards();
  }

  /** `drawAfter`: a promise the answer waits for before it is drawn (the record, for titles). */
  async loadChanges({ drawAfter = null } = {}) {
    const { page } = this;
    const view = page.view();
    const from = $("changes-from").dataset.value;
    const to = $("changes-to").dataset.value;
    const result = $("changes-result");
    if (!isDay(from) || !isDay(to)) return;
    if (from > to) {  // said here, in words, rather than asked of the service
      result.replaceChildren(h("p", { class: "problem", role: "alert" },
        `“From” (${formatLongDay(from)}) is after “To” (${formatLongDay(to)}): choose a From date on or before the To date.`));
      delete result.dataset.from;
      return;
    }
    const asked = ++this.changesAsked;
    try {
      const subjects = await changesBetween(from, to, knownAtParam(view.knownAt),
        { ...this.reading(), ...(page.windowed ? { limit: CHANGES_PAGE } : {}) });
      await drawAfter;
      if (asked !== this.changesAsked) return;
      result.replaceChildren(
        h("p", { class: "help" }, `From the end of ${formatLongDay(from)} to the end of ${formatLongDay(to)}, `
          + (view.knownAt ? `as the record stood at ${knownAtWords(view.knownAt)}.` : "as the record stands now.")),
        ...[changesList(subjects, (subject) => page.record.sourcesOf(subject), page.titleOf)].flat());
      Object.assign(result.dataset, { from, to });
    } catch (error) {
      if (asked === this.changesAsked) result.replaceChildren(h("p", { class: "problem", role: "alert" }, inWords(error)));
    }
  }
}
