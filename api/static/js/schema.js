// Form controls made from an event type's data schema (GET /catalog's `data_schema`, JSON Schema
// as pydantic writes it): text, long text, numbers, yes/no, choices, fuzzy dates read back in
// words, lists one a line, repeated groups (members, participants), and for any field the
// sources may report differently, its disputed form: two or more values, each with the sources
// that give it (SPEC §1). Every control carries `data-path` (`data.new_head`,
// `data.point_count.disputed.1.value`), the path the API's problems name, so a problem is
// shown at its field.

import { DATE_FIELDS } from "./kinds.js";
import { dateReading } from "./dates.js";
import { h } from "./render.js";
import { fieldName } from "./words.js";

let made = 0;  // ids for labels and problem lines
const nextId = (stem) => `${stem}-${++made}`;
const LONG_TEXT = 200;  // longer limits are quotes, reasons, summaries: a text area

const deref = (node, defs) => {
  let found = node;
  for (let hops = 0; found?.$ref && hops < 20; hops += 1) found = defs[found.$ref.split("/").pop()];
  return found ?? {};
};

const capitalised = (text) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
const isDisputedShape = (node) => node?.type === "object" && node.properties?.disputed != null;

/** What a schema node asks for: its plain form, whether it may be left out (null) and whether
 * it may be disputed. */
export function reading(node, defs) {
  let current = node;
  let nullable = false;
  let disputable = false;
  if (current.anyOf) {
    const kept = current.anyOf.filter((option) => option.type !== "null");
    nullable = kept.length < current.anyOf.length;
    current = kept.length === 1 ? kept[0] : { oneOf: kept };
  }
  if (current.oneOf) {
    const plain = current.oneOf.filter((option) => !isDisputedShape(deref(option, defs)));
    disputable = plain.length < current.oneOf.length;
    current = plain[0] ?? {};
  }
  return { plain: deref(current, defs), nullable, disputable, default: node.default };
}

/** The fields of an object schema, as controls; `prefix` is their path. */
export function objectFields(schema, defs, prefix, context) {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, node]) =>
    field(name, node, defs, `${prefix}.${name}`, { ...context, required: required.has(name) }));
}

/**
 * One field: its label, its control(s) and its problem line. Returns `{ element, read(), write(value),
 * path }`; `read()` is undefined when the field is left out.
 * `context.sourceNames()` lists the event's sources' names, for a disputed value's alternatives.
 */
export function field(name, node, defs, path, context) {
  const { plain, nullable, disputable, default: fallback } = reading(node, defs);
  const optional = !context.required;
  const label = `${capitalised((node.title ?? fieldName(name)).toLowerCase())}${optional ? " (optional)" : ""}`;  // "Proposed by"
  const description = node.description ? capitalised(node.description) : null;  // "Other spellings and scripts"
  const single = control(name, plain, defs, path, { ...context, label, optional: optional || nullable, fallback, description });
  if (!disputable) return single;
  return disputableField(name, plain, defs, path, single, { ...context, label, fallback });
}

/** The control for a plain value: a field with its label and problem line. */
function control(name, plain, defs, path, context) {
  if (plain.type === "array") return plain.items && deref(plain.items, defs).type === "object"
    ? groupList(name, deref(plain.items, defs), defs, path, context)
    : lineList(name, path, context);
  if (plain.type === "object") return group(name, plain, defs, path, context);
  return scalar(name, plain, path, context);
}

/** A labelled input for one value, with a problem line (and a reading, for dates). */
function scalar(name, plain, path, { label, optional, fallback, description = null }) {
  const id = nextId("field");
  const problemId = `${id}-problem`;
  const described = [problemId];
  let input;
  let reader = null;
  let read;
  let write;
  if (plain.enum) {
    input = h("select", { id }, optional ? h("option", { value: "" }, "not said") : null,
      plain.enum.map((value) => h("option", { value }, String(value).replaceAll("_", " "))));
    read = () => (input.value === "" ? undefined : input.value);
    write = (value) => { input.value = value ?? ""; };
  } else if (plain.type === "boolean") {
    if (optional && fallback == null) {
      input = h("select", { id }, h("option", { value: "" }, "not said"), h("option", { value: "true" }, "yes"),
        h("option", { value: "false" }, "no"));
      read = () => (input.value === "" ? undefined : input.value === "true");
      write = (value) => { input.value = value == null ? "" : String(Boolean(value)); };
    } else {
      input = h("input", { id, type: "checkbox" });
      input.checked = Boolean(fallback);
      read = () => input.checked;
      write = (value) => { input.checked = Boolean(value); };
    }
  } else {
    const long = (plain.maxLength ?? 0) > LONG_TEXT;
    const numeric = plain.type === "integer" || plain.type === "number";
    input = long ? h("textarea", { id, rows: 3 })
      : h("input", { id, type: "text", inputmode: numeric ? "numeric" : null, autocomplete: "off", spellcheck: numeric ? "false" : null });
    if (DATE_FIELDS.has(name) || plain.format === "fuzzy-date") {
      reader = h("p", { id: `${id}-reading`, class: "help date-reading", "aria-live": "polite" });
      described.unshift(reader.id);
      input.addEventListener("input", () => { reader.textContent = dateReading(input.value).words; });
    }
    read = () => {
      const text = input.value.trim();
      if (!text) return optional ? undefined : "";
      if (numeric) return /^-?\d+$/.test(text) ? Number(text) : text;  // the service says what is wrong
      return reader ? dateReading(text).value : input.value;
    };
    write = (value) => {
      input.value = value == null ? "" : String(value);
      if (reader) reader.textContent = dateReading(input.value).words;
    };
  }
  input.dataset.path = path;
  if (!optional) input.setAttribute("aria-required", "true");
  if (description) described.push(`${id}-help`);
  input.setAttribute("aria-describedby", described.join(" "));
  const checkbox = input.type === "checkbox";
  const labelNode = h("label", { for: id }, label);
  const element = h("div", { class: `form-field${checkbox ? " form-check" : ""}` },
    checkbox ? [input, " ", labelNode] : [labelNode, input],
    reader, description ? h("p", { id: `${id}-help`, class: "help" }, description) : null,
    h("p", { id: problemId, class: "field-problem", "aria-live": "polite" }));
  return { element, read, write, path, input };
}

/** A list of short texts, one a line (topics, aliases). */
function lineList(name, path, { label, optional, description = null }) {
  const id = nextId("field");
  const input = h("textarea", { id, rows: 3, "aria-describedby": `${id}-help ${id}-problem`, dataset: { path } });
  const lines = () => input.value.split("\n").map((line) => line.trim()).filter(Boolean);
  return {
    element: h("div", { class: "form-field" }, h("label", { for: id }, label), input,
      h("p", { id: `${id}-help`, class: "help" }, description ? `${description}: one a line.` : "One a line."),
      h("p", { id: `${id}-problem`, class: "field-problem", "aria-live": "polite" })),
    read: () => (optional && !lines().length ? undefined : lines()),
    write: (value) => { input.value = (value ?? []).join("\n"); },
    path,
    input,
  };
}

/** An object's fields in a group of their own. */
function group(name, schema, defs, path, context) {
  const fields = objectFields(schema, defs, path, context);
  return {
    element: h("fieldset", { class: "form-group", dataset: { path } }, h("legend", {}, context.label), fields.map((f) => f.element)),
    read: () => {
      const value = {};
      for (const [key, f] of Object.entries(schema.properties ?? {}).map(([key], index) => [key, fields[index]])) {
        const got = f.read();
        if (got !== undefined) value[key] = got;
      }
      return value;
    },
    write: (value) => fields.forEach((f, index) => f.write(value?.[Object.keys(schema.properties ?? {})[index]])),
    path,
  };
}

/** A list of groups (members, participants), each with its own fields; added and removed by buttons. */
function groupList(name, itemSchema, defs, path, context) {
  const items = [];
  const list = h("ol", { class: "form-items" });
  const noun = fieldName(name).replace(/s$/, "");
  const status = h("p", { class: "visually-hidden", "aria-live": "polite" });
  const renumber = () => items.forEach((item, index) => {
    item.legend.textContent = `${noun.charAt(0).toUpperCase()}${noun.slice(1)} ${index + 1}`;
    item.fields.forEach((f, at) => retarget(f, `${path}.${index}.${item.keys[at]}`));
  });
  const add = (value = null) => {
    const keys = Object.keys(itemSchema.properties ?? {});
    const fields = objectFields(itemSchema, defs, `${path}.${items.length}`, context);
    const legend = h("legend", {});
    const item = { legend, fields, keys };
    item.element = h("li", {}, h("fieldset", { class: "form-group" }, legend, fields.map((f) => f.element),
      h("button", { type: "button", class: "link-button", onclick: () => {
        items.splice(items.indexOf(item), 1);
        item.element.remove();
        renumber();
        status.textContent = `${legend.textContent} removed.`;
        addButton.focus();
      } }, `Remove this ${noun}`)));
    items.push(item);
    list.append(item.element);
    renumber();
    if (value) fields.forEach((f, index) => f.write(value[keys[index]]));
    return item;
  };
  const addButton = h("button", { type: "button", onclick: () => {
    const item = add();
    item.fields[0]?.input?.focus();
  } }, `Add a ${noun}`);
  const element = h("fieldset", { class: "form-group", dataset: { path } }, h("legend", {}, context.label), list,
    addButton, status, h("p", { class: "field-problem", "aria-live": "polite", dataset: { problemFor: path } }));
  return {
    element,
    read: () => {
      const values = items.map((item) => {
        const value = {};
        item.fields.forEach((f, index) => {
          const got = f.read();
          if (got !== undefined) value[item.keys[index]] = got;
        });
        return value;
      });
      return context.optional && !values.length ? undefined : values;
    },
    write: (value) => {
      items.splice(0).forEach((item) => item.element.remove());
      for (const item of value ?? []) add(item);
    },
    path,
  };
}

/** A field's controls moved to another path (a group renumbered): their `data-path`s follow. */
function retarget(f, path) {
  const old = f.path;
  f.path = path;
  const element = f.element;
  for (const node of [element, ...element.querySelectorAll("[data-path], [data-problem-for]")]) {
    for (const key of ["path", "problemFor"]) {
      const value = node.dataset?.[key];
      if (value != null && (value === old || value.startsWith(`${old}.`))) node.dataset[key] = path + value.slice(old.length);
    }
  }
}

/**
 * A field the sources may report differently: its plain control, and "Sources differ on this",
 * which shows two or more alternatives, each a value and the sources that give it.
 */
function disputableField(name, plain, defs, path, single, context) {
  const self = { path };  // moved when the group it is in is renumbered
  const id = nextId("disputed");
  const toggle = h("input", { type: "checkbox", id, "aria-controls": `${id}-alternatives` });
  const alternatives = [];
  const list = h("ol", { class: "alternatives", id: `${id}-alternatives` });
  const box = h("fieldset", { class: "form-group disputed-field", hidden: true },
    h("legend", {}, `${context.label}: what each source says`), list);
  const addAlternative = (value) => {
    const index = alternatives.length;
    const at = `${self.path}.disputed.${index}`;
    const valueField = scalar(name, plain, `${at}.value`, { label: `Value ${index + 1}`, optional: false, fallback: null });
    const sources = h("div", { class: "alternative-sources", role: "group", "aria-label": `Sources of value ${index + 1}`,
      dataset: { path: `${at}.sources` } });
    const alternative = { valueField, sources, chosen: new Set(value?.sources ?? []) };
    alternative.element = h("li", {}, valueField.element,
      h("p", { class: "help" }, `According to (sources of value ${index + 1}):`), sources,
      h("p", { class: "field-problem", "aria-live": "polite", dataset: { problemFor: `${at}.sources` } }));
    alternatives.push(alternative);
    list.append(alternative.element);
    if (value) valueField.write(value.value);
    drawSources(alternative);
    return alternative;
  };
  const drawSources = (alternative) => {
    const names = context.sourceNames();
    alternative.sources.replaceChildren(...(names.length ? names.map((sourceName) => {
      const boxId = nextId("source-of");
      const check = h("input", { type: "checkbox", id: boxId, value: sourceName,
        onchange: () => (check.checked ? alternative.chosen.add(sourceName) : alternative.chosen.delete(sourceName)) });
      check.checked = alternative.chosen.has(sourceName);
      return h("span", { class: "form-check" }, check, " ", h("label", { for: boxId }, sourceName));
    }) : [h("span", { class: "help" }, "Name the event's sources above first.")]));
  };
  const more = h("button", { type: "button", onclick: () => addAlternative().valueField.input?.focus() }, "Add another value");
  box.append(more);
  const show = (disputed) => {
    toggle.checked = disputed;
    box.hidden = !disputed;
    single.element.hidden = disputed;
    if (disputed) while (alternatives.length < 2) addAlternative();
  };
  toggle.addEventListener("change", () => show(toggle.checked));
  const element = h("div", { class: "form-disputable" }, single.element,
    h("div", { class: "form-check" }, toggle, " ", h("label", { for: id }, `Sources differ on ${context.label.replace(/ \(optional\)$/, "").toLowerCase()}`)),
    box);
  context.watchSources?.(() => alternatives.forEach(drawSources));
  return Object.assign(self, {
    element,
    read: () => (toggle.checked
      ? { disputed: alternatives.map((alternative) => ({ value: alternative.valueField.read(), sources: [...alternative.chosen] })) }
      : single.read()),
    write: (value) => {
      const disputed = value != null && typeof value === "object" && Array.isArray(value.disputed);
      alternatives.splice(0).forEach((alternative) => alternative.element.remove());
      if (disputed) value.disputed.forEach((alternative) => addAlternative(alternative));
      show(disputed);
      if (!disputed) single.write(value);
    },
    input: single.input,
  });
}
