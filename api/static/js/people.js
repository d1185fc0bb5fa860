// A person's card (SPEC §11): the name and every spelling the register holds, the offices held and
// the places other subjects give them on the as-of date, and the events that name them, listed
// (each leading to its event) and marked on the timeline. The names states hold lead here, and so
// do the people Find finds. The person is in the address (`person=`), so a card can be shared.

import { mentionsOf, stateOf } from "./api.js";
import { addressOf } from "./address.js";
import { describeOccurred, formatLongDay, knownAtParam } from "./dates.js";
import { KINDS, kindOf } from "./kinds.js";
import { inWords } from "./panels.js";
import { h } from "./render.js";
import { fieldName, typeName, when } from "./words.js";

const $ = (id) => document.getElementById(id);

/** Whether a subject is a record of the register (a person), as the service declares its kinds. */
export const isPerson = (subject) => Boolean(KINDS.get(kindOf(subject))?.register);

const plainClick = (event) => event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;

/**
 * `page` gives what the card reads of the page and does to it: `view()`, `titleOf(subject)`,
 * `open(subject)` and `close()` (the view's person, then `show()`), `selectEvent(id)`,
 * `onMentions(ids)` (to mark them on the timeline) and `addEvents(events)` (a large record may
 * not hold them yet).
 */
export class PersonCard {
  constructor(page) {
    this.page = page;
    this.asked = 0;
    $("who-close").addEventListener("click", () => page.close());
  }

  /** A link to a person's card: an address of its own, opened here without reloading. */
  link(subject, text) {
    return h("a", {
      href: addressOf({ ...this.page.view(), person: subject }), class: "person-link", dataset: { person: subject },
      onclick: (event) => {
        if (!plainClick(event)) return;  // a new tab or window opens the address
        event.preventDefault();
        this.page.open(subject);
      },
    }, text);
  }

  /** The links to cards under `root`, drawn for an earlier view, brought to the view now. */
  relink(root) {
    for (const link of root.querySelectorAll("a.person-link")) {
      link.href = addressOf({ ...this.page.view(), person: link.dataset.person });
    }
  }

  /** valueNode's `link` for a state: each name the register matches to one person leads to their card
   * (a name that matches two people leads to neither). */
  namesIn(item) {
    const people = item.people ?? {};
    return (text) => (typeof people[text] === "string" ? this.link(people[text], text) : null);
  }

  /** Under a person's own state card, the way to their card. */
  opener(item) {
    if (!isPerson(item.subject)) return null;
    const name = typeof item.state?.name === "string" ? item.state.name : item.subject;
    return h("p", { class: "card-opener" }, this.link(item.subject, `${name}: names, roles and mentions`));
  }

  /** The people among Find's hits, each leading to their card, with the spelling that matched. */
  found(hits) {
    // A register's records (the hits about a person, whichever field matched), each once.
    const people = [...new Map(hits.filter((hit) => isPerson(hit.subject)).map((hit) => [hit.subject, hit])).values()];
    const list = $("find-people");
    list.hidden = !people.length;
    list.replaceChildren(...(people.length ? [
      h("span", {}, "Found: "),
      h("ul", {}, people.map((hit) => h("li", {}, this.link(hit.subject, hit.name ?? hit.subject),
        hit.text && hit.text !== hit.name ? ` (${fieldName(hit.field.replace(/^data\./, ""))}: ${hit.text})` : null))),
    ] : []));
  }

  /** Shows the card of the view's person at its as-of date and known-at, or hides it. */
  async show({ focus = false } = {}) {
    const view = this.page.view();
    const section = $("who");
    const body = $("who-body");
    const asked = ++this.asked;
    if (!view.person) {
      section.hidden = true;
      $("who-close").hidden = true;  // no control is left in a hidden part of the page
      this.page.onMentions([]);
      return;
    }
    section.hidden = false;
    $("who-close").hidden = false;
    section.className = `who kind-${kindOf(view.person)}`;
    body.setAttribute("aria-busy", "true");
    if (focus) {
      section.scrollIntoView({ block: "start" });
      section.focus({ preventScroll: true });
    }
    const knownAt = knownAtParam(view.knownAt);
    try {
      const [answer, mentions] = await Promise.all([stateOf(view.person, view.asOf, knownAt),
        mentionsOf(view.person, view.asOf, knownAt).catch((error) => (error.status === 404 ? { events: [] } : Promise.reject(error)))]);
      if (asked !== this.asked) return;
      const events = mentions.events.map(({ mentions: _, ...event }) => event);
      this.page.addEvents(events);
      this.render(view, answer, mentions.events);
      this.page.onMentions(events.map((event) => event.event_id));
    } catch (error) {
      if (asked !== this.asked) return;
      $("who-heading").textContent = this.page.titleOf(view.person) ?? view.person;
      body.replaceChildren(h("p", { class: "problem", role: "alert" }, error.status === 404
        ? `No one is registered as ${view.person}, as far as the record knew then.` : inWords(error)));
      this.page.onMentions([]);
    }
    Object.assign(body.dataset, { person: view.person, asOf: view.asOf, knownAt: view.knownAt });
    body.setAttribute("aria-busy", "false");
  }

  render(view, answer, mentions) {
    const state = answer.state;
    const day = formatLongDay(view.asOf);
    $("who-heading").replaceChildren(typeof state?.name === "string" ? state.name : (this.page.titleOf(view.person) ?? view.person),
      h("span", { class: "slug" }, ` ${view.person}`));
    if (!state) {
      $("who-body").replaceChildren(h("p", { class: "help" }, `Not registered by ${day}, as far as the record knew then.`));
      return;
    }
    const merged = state.merged_into;
    $("who-body").replaceChildren(...[
      state.description ? h("p", { class: "person-description" }, state.description) : null,
      merged ? h("p", { class: "person-merged" }, "One person with ", this.link(merged, this.page.titleOf(merged) ?? merged),
        ": their roles and mentions are listed there too.") : null,
      h("div", { class: "person-facts" },
        part("Names", "person-names", h("ul", { class: "person-names" },
          h("li", {}, state.name, h("span", { class: "help" }, " (the name used)")),
          (state.aliases ?? []).map((alias) => h("li", {}, alias)))),
        part(`Offices on ${day}`, "person-offices", state.offices?.length
          ? h("ul", {}, state.offices.map((office) => h("li", {}, officeWords(office), `, since ${when(office.since)}`)))
          : h("p", { class: "help" }, "None held on this date, as far as the record knows."),
        state.former_offices?.length ? [h("p", { class: "help" }, "Earlier:"), h("ul", {}, state.former_offices.map((office) =>
          h("li", {}, officeWords(office), `, from ${when(office.since)} to ${when(office.until)}`)))] : null),
        part(`Roles on ${day}`, "person-roles", state.roles?.length
          ? h("ul", {}, state.roles.map((role) => h("li", { dataset: { subject: role.subject } }, `${fieldName(role.role)} of `,
            h("a", { href: `#state-${role.subject.replace("/", "-")}` }, this.page.titleOf(role.subject) ?? role.subject),
            `, since ${when(role.since)}`)))
          : h("p", { class: "help" }, "No subject gives them a place on this date."))),
      part(`Named in ${mentions.length} event${mentions.length === 1 ? "" : "s"} by ${day}`, "person-mentions", mentions.length
        ? h("ol", { class: "person-mentions" }, mentions.map((event) => this.mention(event)))
        : h("p", { class: "help" }, "No event names them by this date."),
      mentions.length ? h("p", { class: "help" }, "Marked with a ring on the timeline.") : null),
    ].filter(Boolean));
  }

  mention(event) {
    const view = this.page.view();
    const names = event.mentions.map((named) => `“${named.name}” (${fieldName(named.field.replace(/\[\]/g, ""))})`);
    return h("li", { dataset: { eventId: event.event_id } },
      h("a", {
        href: addressOf({ ...view, selected: event.event_id }),
        onclick: (click) => {
          if (!plainClick(click)) return;
          click.preventDefault();
          this.page.selectEvent(event.event_id);
        },
      }, `${typeName(event.type)}: ${this.page.titleOf(event.subject) ?? event.subject}`),
      `, ${describeOccurred(event)}; named ${names.join(", ")}`,
      event.retracted_at && isKnownBy(event.retracted_at, view) ? h("span", { class: "badge badge-retracted" }, " retracted") : null);
  }
}

const isKnownBy = (moment, view) => !view.knownAt || Date.parse(moment) <= Date.parse(knownAtParam(view.knownAt));

function part(title, id, ...content) {
  return h("section", { class: "person-part", "aria-labelledby": id }, h("h3", { id }, title), content);
}

function officeWords(office) {
  return office.organisation ? `${office.office}, ${office.organisation}` : office.office;
}
