// Finding and filtering: words over subjects, people, names, parties, places and quotes, and
// filters by kind and by source. Find asks the service (`GET /search`), which knows every spelling
// of a person in every script ("Єрмак" finds the head the sources call "Andrey Yermak"); until its
// answer comes, and when it cannot answer, the words are looked for in the events the page holds.

import { endOfDay, instant, latestOf } from "./dates.js";
import { kindOf } from "./kinds.js";
import { names } from "./words.js";

/** Lower case, accents and punctuation dropped: "Kyiv-Independent" finds "kyiv independent". */
export const folded = (text) => String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
  .toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();

const haystacks = new WeakMap();

/** Everything a reader might search an event by, folded once. */
function haystack(event, title) {
  let text = haystacks.get(event);
  if (text == null) {
    text = " " + folded([event.subject, title ?? "", event.type, ...names(event.data), event.note ?? "",
      ...event.sources.flatMap((source) => [source.name, source.quote ?? ""])].join(" "));
    haystacks.set(event, text);
  }
  return text;
}

export const isFiltering = (view) => Boolean(view.query.trim() || view.kinds.size || view.sources.length || view.publishedBy);

/** When an event was certainly public (ms), as the API reads it (SPEC §9): the latest instant of
 * its earliest `published` date, its recorded time when no source gives one, null when never. */
export function publishedAt(event) {
  const dated = event.sources.filter((source) => source.published).map((source) => latestOf(source.published));
  if (!dated.length) return instant(event.recorded_at);
  const certain = dated.filter((moment) => moment != null);
  return certain.length ? Math.min(...certain) : null;
}

/** A test for events: of a chosen kind, citing a chosen source, and holding what is searched as a
 * phrase from the start of a word ("umer" finds Umerov, "marco rubio" the two names together). */
export function matcher(view, titleOf, found = null) {
  const phrase = folded(view.query) ? ` ${folded(view.query)}` : "";
  const hits = found?.query === view.query.trim() ? found.events : null;
  const sources = new Set(view.sources.map(folded));
  const publishedBy = view.publishedBy ? endOfDay(view.publishedBy) : null;
  return (event) => {
    if (publishedBy != null && !(publishedAt(event) <= publishedBy)) return false;
    if (view.kinds.size && !view.kinds.has(kindOf(event.subject))) return false;
    if (sources.size && !event.sources.some((source) => sources.has(folded(source.name)))) return false;
    if (!phrase) return true;
    return hits ? hits.has(event.event_id) : haystack(event, titleOf(event.subject)).includes(phrase);
  };
}

/** Every source name cited, once each (as rules compare names), in alphabetical order. */
export function sourceNames(events) {
  const given = new Set();
  for (const event of events) for (const source of event.sources) given.add(source.name);
  const names = new Map();
  for (const name of given) if (!names.has(folded(name))) names.set(folded(name), name);
  return [...names.values()].sort((a, b) => a.localeCompare(b));
}
