// The kinds of subject as this service declares them (SPEC §10; the same words as GET /catalog),
// written into the page as it is served: each kind's label, plural, colour, description, summary
// fields and title, each event type's label and sentence, and the fields that hold fuzzy dates.
// The page names no kind itself: a kind added with PARLEY_KINDS_EXTRA shows with its own words
// and colour.

const COLOUR = /^#[0-9a-f]{3,8}$/i;

function served() {
  try {
    const body = JSON.parse(document.getElementById("parley-kinds")?.textContent ?? "");
    return { kinds: Array.isArray(body.kinds) ? body.kinds : [], dateFields: body.date_fields ?? [] };
  } catch {
    return { kinds: [], dateFields: [] };  // a page served without its words: subjects by their addresses
  }
}

const declared = served();

/** The declared kinds, in the order declared, by name. */
export const KINDS = new Map(declared.kinds.map((kind) => [kind.kind, kind]));

/** Fields whose values are fuzzy dates, shown in words wherever they appear. */
export const DATE_FIELDS = new Set(["occurred", ...declared.dateFields]);

/** Each event type's words, and the kind it belongs to when only one kind has it. */
const TYPES = new Map();
for (const kind of KINDS.values()) {
  for (const [type, words] of Object.entries(kind.events ?? {})) {
    const known = TYPES.get(type);
    TYPES.set(type, known ? { ...known, kind: null } : { ...words, kind: kind.kind });
  }
}

export const kindOf = (subject) => String(subject).split("/")[0];

/** A kind's place in the declared order; an undeclared kind after every declared one. */
export function kindOrder(kind) {
  const at = [...KINDS.keys()].indexOf(kind);
  return at < 0 ? KINDS.size : at;
}

/** An event type's label and sentence, and its kind (null for the types every kind records). */
export const typeWords = (type) => TYPES.get(type) ?? null;

/** A kind's declared label; its name where it is not declared here. */
export const kindLabel = (kind) => KINDS.get(kind)?.label ?? kind;

/** The kinds' colours as CSS custom properties on their class (`kind-<name>`): `--stroke` for
 * lines and borders, `--fill` a light tint of it for areas, so no colour is named in the CSS. */
export function installColours() {
  const rules = [...KINDS.values()].filter((kind) => COLOUR.test(kind.colour ?? "") && /^[a-z][a-z0-9_]*$/.test(kind.kind))
    .map((kind) => `.kind-${kind.kind} { --stroke: ${kind.colour}; --fill: color-mix(in srgb, ${kind.colour} 15%, #fff); }`);
  const style = document.createElement("style");
  style.id = "kind-colours";
  style.textContent = rules.join("\n");
  document.head.append(style);
}
