// "Record an event" (SPEC §13): a write token entered once per tab, a subject (or a new one), an
// event type, and a form made from the type's data schema in GET /catalog. The service decides
// what is valid: its problems (problem+json) are shown at the fields they name, a rule's refusal
// at the field the rule concerns. A recorded event is handed to the page to show on its timeline.

import { send } from "./api.js";
import { dateReading, today } from "./dates.js";
import { KINDS, kindOf } from "./kinds.js";
import { RETRACTION } from "./record.js";
import { h } from "./render.js";
import { field, objectFields } from "./schema.js";
import { summary, typeName } from "./words.js";

const TOKEN = "parley-write-token";  // sessionStorage: this tab only
const TOP = new Set(["type", "subject", "occurred", "sources", "data", "note", "event_id"]);
const SOURCE = {  // a source (SPEC §1), as the form asks for it
  type: "object", required: ["name"],
  properties: {
    name: { type: "string", maxLength: 200, title: "Name (an outlet or a person)" },
    url: { type: "string", maxLength: 200, title: "Web address" },
    published: { type: "string", maxLength: 60, title: "Published", format: "fuzzy-date" },
    quote: { type: "string", maxLength: 10000, title: "Quote" },
  },
};
const WORDS = {  // the schema's messages a person reads at a field, where they are terse
  missing: "Required: give a value.",
  string_too_short: "Required: give a value.",
};

const $ = (id) => document.getElementById(id);
const sentence = (text) => {
  const trimmed = String(text).trim();
  return `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}${/[.!?]$/.test(trimmed) ? "" : "."}`;
};

/** A version 4 UUID, also where `crypto.randomUUID` is not offered (a page served over plain http). */
export function newEventId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const storedToken = () => sessionStorage.getItem(TOKEN) ?? "";

/** Keeps the write token for this tab; "" forgets it. */
export function keepToken(token) {
  if (token) sessionStorage.setItem(TOKEN, token);
  else sessionStorage.removeItem(TOKEN);
}

/** The path inside an event that a problem's path names: `body.<Type>.data.x` → `data.x`. */
export function eventPath(path) {
  const parts = String(path ?? "").split(".").filter(Boolean);
  if (parts[0] === "body") parts.shift();
  if (parts.length && !TOP.has(parts[0])) parts.shift();  // the event type pydantic's union names
  return parts.join(".");
}

export class RecordForm {
  /**
   * `subjectsOf(kind)`: the subjects of a kind the page knows, `[{ subject, title }]`;
   * `onRecorded(receipt, body)`: the service stored it; `submit(body, token)`: where a filled form
   * goes (POST /events unless another use of the form says, as a draft's proposal does).
   */
  constructor({ subjectsOf, onRecorded }) {
    Object.assign(this, { subjectsOf, onRecorded });
    this.form = null;  // made when first opened
    this.catalog = null;
    this.dataFields = [];
    this.watchers = [];
    this.pending = null;  // the body last sent and its event_id, reused if the answer was lost
    this.mode = null;  // another use of the form (a draft's proposal): { label, save(body) }
    $("record-fold").addEventListener("toggle", () => { if ($("record-fold").open) this.load(); });
    $("record-link").addEventListener("click", () => { $("record-fold").open = true; });
    if (location.hash === "#record") $("record-fold").open = true;
  }

  /** The form, made from its template the first time it is opened. */
  make() {
    if (this.form) return;
    $("record-fold").append($("record-template").content.cloneNode(true));
    this.form = $("event-form");
    this.wire();
  }

  wire() {
    $("form-kind").addEventListener("change", () => this.kindChosen());
    $("form-subject").addEventListener("change", () => this.subjectChosen());
    $("form-type").addEventListener("change", () => this.typeChosen());
    $("form-slug").addEventListener("input", () => {
      $("form-slug-address").textContent = `${$("form-kind").value}/${$("form-slug").value.trim()}`;
    });
    $("form-occurred").addEventListener("input", () => {
      $("form-occurred-reading").textContent = dateReading($("form-occurred").value).words;
    });
    $("form-token-forget").addEventListener("click", () => {
      sessionStorage.removeItem(TOKEN);
      this.showToken();
      $("form-token").focus();
    });
    $("form-cancel").addEventListener("click", () => this.mode?.cancel?.());
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.sources = field("sources", { type: "array", items: SOURCE }, {}, "sources",
      { required: true, sourceNames: () => [], label: "Sources" });
    $("form-sources").replaceChildren(this.sources.element);
    this.sources.write([{}]);
    $("form-sources").addEventListener("input", (event) => {
      if (event.target.dataset.path?.endsWith(".name")) this.sourcesChanged();
    });
    $("form-sources").addEventListener("click", (event) => {
      if (event.target.closest("button")) queueMicrotask(() => this.sourcesChanged());
    });
    this.showToken();
  }

  /** The catalog's schemas, asked once, when the form is first opened. */
  async load() {
    this.make();
    if (this.catalog) return this.catalog;
    this.loading ??= fetch("/catalog", { headers: { Accept: "application/json" } }).then((response) => response.json());
    try {
      this.catalog = await this.loading;
    } catch {
      this.loading = null;
      this.say("The kinds and their forms could not be read: check the connection and open the form again.");
      return null;
    }
    $("form-kind").replaceChildren(...this.catalog.kinds.map((kind) => h("option", { value: kind.kind }, KINDS.get(kind.kind)?.label ?? kind.label)));
    this.kindChosen();
    this.form.dataset.ready = "true";
    return this.catalog;
  }

  kindOf(name) {
    return this.catalog?.kinds.find((kind) => kind.kind === name);
  }

  kindChosen(subject = null) {
    const kind = this.kindOf($("form-kind").value);
    const known = this.subjectsOf(kind.kind).sort((a, b) => (a.title ?? a.subject).localeCompare(b.title ?? b.subject));
    $("form-subject").replaceChildren(
      ...known.map((item) => h("option", { value: item.subject }, item.title ? `${item.title} (${item.subject})` : item.subject)),
      h("option", { value: "" }, `A new ${kind.label.toLowerCase()}…`));
    $("form-subject").value = subject ?? known[0]?.subject ?? "";
    this.subjectChosen();
  }

  subjectChosen() {
    const creating = $("form-subject").value === "";
    $("form-new-subject").hidden = !creating;
    // The control a problem with `subject` is shown at: the new address, or the choice.
    $("form-slug").dataset.path = creating ? "subject" : "";
    $("form-subject").dataset.path = creating ? "" : "subject";
    $("form-slug-address").textContent = `${$("form-kind").value}/${$("form-slug").value.trim()}`;
    const kind = this.kindOf($("form-kind").value);
    // The kind's own types first; those every kind records (statements, retractions) after them.
    const shared = (type) => this.catalog.kinds.every((other) => other.events.some((event) => event.type === type));
    const types = kind.events.filter((event) => kind.creates.includes(event.type) === creating)
      .sort((a, b) => shared(a.type) - shared(b.type));
    const chosen = $("form-type").value;
    $("form-type").replaceChildren(...types.map((event) => h("option", { value: event.type }, typeName(event.type))));
    if (types.some((event) => event.type === chosen)) $("form-type").value = chosen;
    this.typeChosen();
  }

  typeChosen() {
    const kind = this.kindOf($("form-kind").value);
    const type = kind.events.find((event) => event.type === $("form-type").value);
    const schema = type?.data_schema ?? { properties: {} };
    this.watchers = [];
    const context = { sourceNames: () => this.sourceNames(), watchSources: (redraw) => this.watchers.push(redraw) };
    this.dataFields = objectFields(schema, schema.$defs ?? {}, "data", context);
    this.dataKeys = Object.keys(schema.properties ?? {});
    $("form-data-legend").textContent = type ? `What the report says: ${typeName(type.type).toLowerCase()}` : "What the report says";
    $("form-data-fields").replaceChildren(...(this.dataFields.length ? this.dataFields.map((f) => f.element)
      : [h("p", { class: "help" }, "This event has no details to give: its date and sources say it.")]));
  }

  sourceNames() {
    return [...new Set((this.sources.read() ?? []).map((source) => source.name?.trim()).filter(Boolean))];
  }

  sourcesChanged() {
    for (const redraw of this.watchers) redraw();
  }

  showToken() {
    if (!this.form) return;
    const kept = Boolean(storedToken());
    $("form-token-status").textContent = kept ? "A write token is kept for this tab." : "";
    $("form-token-forget").hidden = !kept;
    $("form-token").placeholder = kept ? "kept for this tab" : "";
  }

  /** The event the form describes, as POST /events takes it. */
  body() {
    const creating = $("form-subject").value === "";
    const data = {};
    this.dataFields.forEach((f, index) => {
      const value = f.read();
      if (value !== undefined) data[this.dataKeys[index]] = value;
    });
    const sources = (this.sources.read() ?? []).map((source) => {
      const kept = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
      if (kept.published) kept.published = dateReading(kept.published).value;
      return kept;
    });
    const body = {
      type: $("form-type").value,
      subject: creating ? `${$("form-kind").value}/${$("form-slug").value.trim()}` : $("form-subject").value,
      occurred: dateReading($("form-occurred").value).value,
      sources,
      data,
    };
    const note = $("form-note").value.trim();
    if (note) body.note = note;
    return body;
  }

  /** Puts an event body in the form (a draft's proposal, to be edited). */
  async fill(body) {
    $("record-fold").open = true;
    if (!await this.load()) return;
    const kind = kindOf(body.subject);
    $("form-kind").value = kind;
    const known = this.subjectsOf(kind).some((item) => item.subject === body.subject);
    $("form-slug").value = known ? "" : String(body.subject).slice(kind.length + 1);
    this.kindChosen(known ? body.subject : "");
    if (![...$("form-type").options].some((option) => option.value === body.type)) {  // a new subject another proposal creates
      $("form-type").append(h("option", { value: body.type }, typeName(body.type)));
    }
    $("form-type").value = body.type;
    this.typeChosen();
    $("form-occurred").value = body.occurred ?? "";
    $("form-occurred-reading").textContent = dateReading($("form-occurred").value).words;
    this.sources.write(body.sources?.length ? body.sources : [{}]);
    this.sourcesChanged();
    this.dataFields.forEach((f, index) => f.write(body.data?.[this.dataKeys[index]]));
    $("form-note").value = body.note ?? "";
    this.clearProblems();
  }

  /** The form filled with the retraction of `event` (SPEC §1): today, its reason and sources to give. */
  async retract(event) {
    await this.fill({ type: RETRACTION, subject: event.subject, occurred: today(), sources: [{}],
      data: { event_id: event.event_id } });
    $("event-form").scrollIntoView({ block: "start" });
    const reason = this.form.querySelector('[data-path="data.reason"]');
    (reason ?? $("form-occurred")).focus({ preventScroll: true });
    this.say(`Retracting “${summary(event)}”: say why, and who reported it wrong.`);
  }

  /** Empties what the form says of an event (after a proposal was edited in it), keeping the
   * token, the kind and the subject. */
  clear() {
    if (!this.form) return;
    this.typeChosen();
    $("form-occurred").value = "";
    $("form-occurred-reading").textContent = "";
    this.sources.write([{}]);
    $("form-note").value = "";
    this.clearProblems();
  }

  /** Another use of the form, until `done`: its button says `label` and `save(body)` takes the body. */
  use(mode) {
    this.make();
    this.mode = mode;
    $("form-submit").textContent = mode ? mode.label : "Record the event";
    $("form-cancel").hidden = !mode;
  }

  async submit() {
    const typed = $("form-token").value.trim();
    if (typed) {
      sessionStorage.setItem(TOKEN, typed);
      $("form-token").value = "";
      this.showToken();
    }
    const body = this.body();
    this.clearProblems();
    if (this.mode) {
      this.mode.save(body);
      return;
    }
    const token = storedToken();
    if (!token) {
      this.showProblems({ status: 401, detail: "Enter a write token to record events." });
      return;
    }
    const key = JSON.stringify(body);
    if (this.pending?.key !== key) this.pending = { key, id: newEventId() };
    const button = $("form-submit");
    button.disabled = true;
    this.say("Recording…");
    let answer;
    try {
      answer = await send("POST", "/events", { event_id: this.pending.id, ...body }, token);
    } catch {
      this.say("Parley could not be reached; nothing is known to be recorded. Send it again: it will not be recorded twice.");
      return;
    } finally {
      button.disabled = false;
    }
    this.pending = null;
    if (answer.status === 201 || answer.status === 200) {
      this.say(`Recorded: ${typeName(body.type)}, ${body.subject}. It is shown on the timeline.`);
      await this.onRecorded(answer.body, body);
      this.recorded(body);
      return;
    }
    this.showProblems(answer.body ?? { status: answer.status, detail: `Parley answered ${answer.status}.` });
  }

  /** After a success: the subject is one the page knows, the details are cleared for the next event. */
  recorded(body) {
    if ($("form-subject").value === "") {
      $("form-slug").value = "";
      this.kindChosen(body.subject);
    } else {
      this.typeChosen();
    }
    $("form-note").value = "";
  }

  say(text) {
    $("form-status").textContent = text;
  }

  clearProblems() {
    for (const node of this.form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
    for (const node of this.form.querySelectorAll(".field-problem")) node.textContent = "";
    $("form-problem").hidden = true;
    $("form-problem").replaceChildren();
  }

  /** A problem+json answer shown at its fields, with a summary above them; focus goes to the first. */
  showProblems(problem) {
    this.clearProblems();
    const found = [];
    if (problem.status === 401) {
      sessionStorage.removeItem(TOKEN);
      this.showToken();
      found.push({ path: "token", message: `${sentence(problem.detail ?? "the token was not accepted")} Enter a valid write token.` });
    } else if (Array.isArray(problem.errors) && problem.errors.length) {
      for (const error of problem.errors) {
        found.push({ path: eventPath(error.path), message: WORDS[error.type] ?? String(error.message).replace(/^Value error, /, "") });
      }
    } else {
      const rule = problem.rule ? ` (the rule “${problem.rule}”)` : "";
      found.push({ path: problem.field ?? "", message: sentence(`${problem.detail}${rule}`) });
    }
    const unplaced = [];
    let first = null;
    for (const item of found) {
      const place = this.place(item.path);
      if (!place) {
        unplaced.push(item.message);
        continue;
      }
      place.line.textContent = place.line.textContent ? `${place.line.textContent} ${item.message}` : item.message;
      place.control.setAttribute("aria-invalid", "true");
      first ??= place.control;
    }
    const lead = problem.rule ? `Not recorded: it breaks the rule “${problem.rule}”.`
      : `Not recorded: ${found.length === 1 ? "one problem" : `${found.length} problems`}${unplaced.length === found.length ? "" : ", shown at the fields below"}.`;
    $("form-problem").replaceChildren(h("p", {}, lead), ...(unplaced.length ? [h("ul", {}, unplaced.map((text) => h("li", {}, text)))] : []));
    $("form-problem").hidden = false;
    this.say("");
    (first ?? $("form-problem")).focus();
  }

  /** The control a path names, or the nearest enclosing one, and its problem line. */
  place(path) {
    if (path === "token") return { control: $("form-token"), line: $("form-token-problem") };
    for (let parts = path.split(".").filter(Boolean); parts.length; parts = parts.slice(0, -1)) {
      const at = parts.join(".");
      const control = this.form.querySelector(`[data-path="${CSS.escape(at)}"]`);
      if (!control || control.closest("[hidden]")) continue;
      const line = this.form.querySelector(`[data-problem-for="${CSS.escape(at)}"]`)
        ?? control.closest(".form-field")?.querySelector(".field-problem");
      if (line) return { control: control.matches("input, select, textarea, button") ? control : control.querySelector("input, select, textarea") ?? control, line };
    }
    return null;
  }
}
