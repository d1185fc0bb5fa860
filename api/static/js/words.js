// Short, plain words for events and values, for timeline labels and screen readers.

import { plainDate } from "./dates.js";
import { DATE_FIELDS, KINDS, kindOf, typeWords } from "./kinds.js";

/** A disputed value reads as its alternatives; anything else as itself. */
export function plain(value) {
  if (value == null) return "";
  if (isDisputed(value)) return value.disputed.map((alternative) => plain(alternative.value)).join(" or ");
  if (Array.isArray(value)) return value.map(plain).join(", ");
  if (typeof value === "object") return value.name ?? JSON.stringify(value);
  return String(value);
}

export const isDisputed = (value) =>
  value != null && typeof value === "object" && !Array.isArray(value) && Array.isArray(value.disputed);

/** A fuzzy date (or a disputed one) in words: "on or before 30 Nov 2025". */
export function when(value) {
  if (isDisputed(value)) return value.disputed.map((alternative) => when(alternative.value)).join(" or ");
  return value == null ? "" : plainDate(String(value));
}

export { DATE_FIELDS };

export const fieldName = (name) => name.replaceAll("_", " ");

const LONGEST = 60;  // characters of one value in a line

/** A value in a sentence: a fuzzy date in words, a quote cut short, an enum's "_" as spaces. */
function filled(value, field) {
  if (DATE_FIELDS.has(field)) return when(value);
  const words = plain(value);
  return truncate(typeof value === "string" ? words.replaceAll(/(?<=\w)_(?=\w)/g, " ") : words, LONGEST);
}

const present = (value) => value != null && value !== "" && !(Array.isArray(value) && !value.length);

/**
 * A declared sentence with `data`'s values in it (SPEC §10): `{field}` is the field in words; a
 * part in `[…]` only when every field it names is present. Null when a field outside `[…]` is
 * missing (the sentence would not read).
 */
export function fillSentence(template, data) {
  const named = (part) => [...part.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
  // "from {starts}" reads "from 10 Oct 2025", not "from on 10 Oct 2025".
  const put = (part) => part.replace(/\{(\w+)\}/g, (_, field, at) => {
    const words = filled(data[field], field);
    return /\b(from|until|since|by|before|after|on)\s$/.test(part.slice(0, at)) ? words.replace(/^on /, "") : words;
  });
  let whole = true;
  const text = template.replace(/\[([^\]]*)\]|[^[]+/g, (part, optional) => {
    if (optional != null) return named(optional).every((field) => present(data[field])) ? put(optional) : "";
    if (!named(part).every((field) => present(data[field]))) whole = false;
    return put(part);
  });
  return whole ? text : null;
}

let lookup = () => null;  // an event by id, from the page's record: a retraction names what it withdraws

/** Lets the words name the report a retraction withdraws. */
export function readEventsFrom(find) {
  lookup = find;
}

const RETRACTION = "EventRetracted";

/** "Retracts “Head replaced by Rustem Umerov” (on or before 30 Nov 2025). Reason: misread" */
function retraction(data) {
  const target = lookup(data.event_id);
  const what = target ? `Retracts “${summary(target)}” (${typeName(target.type).toLowerCase()}, ${plainDate(target.occurred)})`
    : "Retracts an earlier report";
  return data.reason ? `${what}. Reason: ${plain(data.reason)}` : what;
}

/** Why an event was withdrawn, in words, from its retraction; null when not known. */
export function retractionReason(event) {
  const by = event.retracted_by && lookup(event.retracted_by);
  return by?.data?.reason ? plain(by.data.reason) : null;
}

/** One line saying what an event reports, in its type's declared sentence. */
export function summary(event) {
  if (event.type === RETRACTION) return retraction(event.data ?? {});
  const sentence = typeWords(event.type)?.sentence;
  return (sentence && fillSentence(sentence, event.data ?? {})) || typeWords(event.type)?.label || typeName(event.type);
}

/** A type in words: its kind's label and its own (a kind "Party" and its type "Head replaced"
 * read "Party head replaced"); a type every kind records, its label alone. */
export function typeName(type) {
  const words = typeWords(type);
  if (words?.label) {
    const kind = words.kind && KINDS.get(words.kind);
    return kind ? `${kind.label} ${words.label.charAt(0).toLowerCase()}${words.label.slice(1)}` : words.label;
  }
  const split = type.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();  // a type no kind here declares
  return split.charAt(0).toUpperCase() + split.slice(1);
}

/** What readers call a subject, by its kind's declared title, from its state or an event's data;
 * null when they do not name it. */
export function titleIn(subject, data) {
  const template = KINDS.get(kindOf(subject))?.title;
  if (!template || data == null) return null;
  const text = fillSentence(template, data);
  return text && text.trim() ? text : null;
}

export function truncate(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** Every string in an event's data, flattened: names, parties, places, titles, quotes. */
export function names(value) {
  if (value == null) return [];
  if (typeof value === "string" || typeof value === "number") return [String(value)];
  if (Array.isArray(value)) return value.flatMap(names);
  if (typeof value === "object") return Object.values(value).flatMap(names);
  return [];
}
