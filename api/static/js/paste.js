// "Paste a report" (SPEC §13): a report's text, its outlet and publication date go to POST
// /drafts; the events the service proposes are shown beside the sentences they were read from,
// each can be edited in the form above, ticked, and the ticked ones confirmed as one batch. What
// was recorded is shown on the timeline, and each recorded event links back to its draft.

import { send } from "./api.js";
import { dateReading, plainDate } from "./dates.js";
import { eventPath, keepToken, storedToken } from "./form.js";
import { h } from "./render.js";
import { summary, titleIn, typeName } from "./words.js";

const $ = (id) => document.getElementById(id);
const EDITABLE = ["type", "subject", "occurred", "sources", "data", "note"];

/** JSON with its keys sorted and empty values left out: a form that leaves an empty list or text
 * out, or orders keys otherwise, has not edited the proposal. */
const isEmpty = (item) => item == null || item === "" || (Array.isArray(item) && !item.length);
const canonical = (value) => JSON.stringify(value ?? null, (_, item) => (item && typeof item === "object" && !Array.isArray(item)
  ? Object.fromEntries(Object.keys(item).sort().filter((key) => !isEmpty(item[key])).map((key) => [key, item[key]])) : item));

/** A path of a proposal in words: `data.point_count.disputed.0.sources` → "point count: the sources of value 1". */
const pathWords = (path) => path.replace(/^data\./, "")
  .replace(/\.disputed\.(\d+)\.(\w+)$/, (_, index, part) => `: the ${part === "sources" ? "sources" : part} of value ${Number(index) + 1}`)
  .replaceAll(".", " ").replaceAll("_", " ");

/** The `span` of a proposal counts code points (SPEC §13), not JavaScript's UTF-16 units. */
const sentenceOf = (text, [start, end]) => Array.from(text).slice(start, end).join("");

export class DraftPanel {
  /**
   * `form`: the page's RecordForm, where a proposal is edited; `titleOf(subject)`;
   * `onRecorded(receipts, draft)`: events were recorded from a draft; `onOpened(draft)`: a draft is shown.
   */
  constructor({ form, titleOf, onRecorded }) {
    Object.assign(this, { form, titleOf, onRecorded });
    this.draft = null;
    this.made = false;
    $("paste-fold").addEventListener("toggle", () => { if ($("paste-fold").open) this.make(); });
    $("paste-link")?.addEventListener("click", () => { $("paste-fold").open = true; });
    const asked = new URLSearchParams(location.search).get("draft");
    if (asked && /^[0-9a-f-]{36}$/i.test(asked)) this.open(asked);
    else if (location.hash === "#paste") $("paste-fold").open = true;
  }

  make() {
    if (this.made) return;
    this.made = true;
    $("paste-fold").append($("paste-template").content.cloneNode(true));
    $("paste-published").addEventListener("input", () => {
      $("paste-published-reading").textContent = dateReading($("paste-published").value).words;
    });
    $("paste-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.ask();
    });
    $("paste-confirm").addEventListener("click", () => this.confirm());
    this.showToken();
    this.listDrafts();
  }

  /** The drafts made before (newest first), each to be opened again: what was recorded links back. */
  async listDrafts() {
    const token = storedToken();
    if (!token) return;
    const answer = await send("GET", "/drafts", undefined, token).catch(() => null);
    const drafts = answer?.status === 200 ? answer.body.drafts.slice(0, 20) : [];
    $("drafts-earlier").hidden = !drafts.length;
    $("drafts-list").replaceChildren(...drafts.map((draft) => {
      const published = draft.source?.published ? `, published ${plainDate(draft.source.published).replace(/^on /, "")}` : "";
      const what = `${draft.source?.name ?? "a report"}${published}`;
      return h("li", {}, h("button", { type: "button", class: "link-button", onclick: () => this.open(draft.draft_id),
        "aria-label": `Open the draft of ${what}` }, what),
      ` — ${draft.proposals} proposal${draft.proposals === 1 ? "" : "s"}, ${draft.recorded} recorded; “${draft.excerpt.slice(0, 80)}…”`);
    }));
  }

  showToken() {
    $("paste-token-field").hidden = Boolean(storedToken());
  }

  token() {
    const typed = $("paste-token").value.trim();
    if (typed) {
      keepToken(typed);
      $("paste-token").value = "";
      this.form.showToken?.();
    }
    this.showToken();
    return storedToken();
  }

  /** Sends the report; the draft's proposals are shown, or the problems at their fields. */
  async ask() {
    this.clearProblems($("paste-form"));
    const token = this.token();
    if (!token) {
      $("paste-token-field").hidden = false;
      this.problemAt($("paste-token"), "Enter a write token to draft from a report.");
      return;
    }
    const source = { name: $("paste-outlet").value.trim(), published: dateReading($("paste-published").value).value };
    const url = $("paste-url").value.trim();
    if (url) source.url = url;
    const text = $("paste-text").value;
    $("paste-status").textContent = "Reading the report…";
    const button = $("paste-submit");
    button.disabled = true;
    let answer;
    try {
      answer = await send("POST", "/drafts", { text, source }, token);
    } catch {
      $("paste-status").textContent = "Parley could not be reached. Try again.";
      return;
    } finally {
      button.disabled = false;
    }
    if (answer.status !== 201) {
      $("paste-status").textContent = "";
      this.showFormProblems(answer);
      return;
    }
    this.show({ ...answer.body, text, source, recorded: {} });
    this.listDrafts();
    $("paste-status").textContent = `${answer.body.proposals.length} proposal${answer.body.proposals.length === 1 ? "" : "s"} drafted: nothing is recorded until you confirm.`;
    $("draft-heading").focus();
  }

  /** A stored draft, by its id (the address's `draft=`, or an event's link back to it). */
  async open(draftId) {
    $("paste-fold").open = true;
    this.make();
    if (this.draft?.draft_id === draftId) {
      $("draft-heading").focus();
      return;
    }
    const token = storedToken();
    if (!token) {
      $("paste-token-field").hidden = false;
      $("paste-status").textContent = "Enter a write token above to open the draft: drafts are read with one.";
      return;
    }
    const answer = await send("GET", `/drafts/${draftId}`, undefined, token).catch(() => null);
    if (answer?.status !== 200) {
      $("paste-status").textContent = answer ? `The draft could not be opened: ${answer.body?.detail ?? answer.status}.`
        : "Parley could not be reached.";
      return;
    }
    this.show(answer.body);
    $("draft-heading").focus();
  }

  show(draft) {
    this.draft = { ...draft, recorded: { ...(draft.recorded ?? {}) } };
    this.edits = new Map();
    this.problems = new Map();
    this.ticked = new Set();
    for (const receipt of Object.values(this.draft.recorded)) receipt.draft_id = draft.draft_id;
    this.onRecorded(Object.values(this.draft.recorded), this.draft, { select: false });
    this.render();
  }

  /** The proposals, grouped by the sentence each was read from. */
  render() {
    const { draft } = this;
    const sentences = new Map();
    for (const proposal of draft.proposals) {
      const key = proposal.span.join("-");
      if (!sentences.has(key)) sentences.set(key, { span: proposal.span, proposals: [] });
      sentences.get(key).proposals.push(proposal);
    }
    const published = draft.source.published ? `, published ${plainDate(draft.source.published).replace(/^on /, "")}` : "";
    $("draft-heading").textContent = `Proposals from ${draft.source.name}'s report${published}`;
    $("draft").hidden = false;
    $("draft").dataset.draftId = draft.draft_id;
    $("draft-empty").hidden = draft.proposals.length > 0;
    $("draft-sentences").replaceChildren(...[...sentences.values()].sort((a, b) => a.span[0] - b.span[0]).map((group) =>
      h("li", { class: "draft-sentence" },
        h("blockquote", { class: "draft-quote" }, sentenceOf(draft.text, group.span)),
        h("ul", { class: "proposals" }, group.proposals.map((proposal) => this.proposalItem(proposal))))));
  }

  /** What a new subject would be called, from the first proposal whose data name it. */
  proposedTitle(subject) {
    for (const proposal of this.draft.proposals) {
      const body = this.bodyOf(proposal);
      const title = body.subject === subject && titleIn(subject, body.data);
      if (title) return title;
    }
    return null;
  }

  /** The event a proposal will record, its edits applied. */
  bodyOf(proposal) {
    const body = Object.fromEntries(EDITABLE.filter((key) => proposal[key] !== undefined).map((key) => [key, proposal[key]]));
    for (const [key, value] of Object.entries(this.edits.get(proposal.proposal_id) ?? {})) {
      if (value == null) delete body[key];
      else body[key] = value;
    }
    return body;
  }

  proposalItem(proposal) {
    const id = proposal.proposal_id;
    const body = this.bodyOf(proposal);
    const recorded = this.draft.recorded[id];
    const edited = this.edits.has(id);
    const boxId = `tick-${this.draft.draft_id}-${id}`;
    const problem = this.problems.get(id);
    // A new subject is named as its proposed data would name it, else by its address.
    const title = this.titleOf(body.subject) ?? this.proposedTitle(body.subject);
    const name = `${typeName(body.type)}: ${title ?? body.subject}`;
    const people = Object.entries(proposal.people ?? {});
    const missing = proposal.missing?.filter((path) => !edited || !(path.split(".")[0] in (this.edits.get(id) ?? {}))) ?? [];
    return h("li", { class: `proposal${recorded ? " recorded" : ""}`, dataset: { proposalId: id, type: body.type, subject: body.subject,
      newSubject: String(Boolean(proposal.new_subject)), missing: String(missing.length) } },
      h("div", { class: "form-check proposal-tick" },
        h("input", { type: "checkbox", id: boxId, disabled: Boolean(recorded), checked: Boolean(recorded) || this.ticked?.has(id),
          "aria-describedby": `${boxId}-about ${boxId}-problem`,
          onchange: (event) => this.tick(id, event.target.checked) }),
        " ", h("label", { for: boxId }, name, proposal.new_subject && !this.titleOf(body.subject) ? (title ? ` (new: ${body.subject})` : " (new)") : "")),
      h("div", { id: `${boxId}-about`, class: "proposal-about" },
        h("p", { class: "proposal-summary" }, `${summary(body)}. Happened ${plainDate(body.occurred)}.`),
        h("p", { class: "help" }, `${Math.round((proposal.confidence ?? 0) * 100)} % sure: ${proposal.why ?? ""}`),
        people.length ? h("p", { class: "help" }, `Names matched in the register: ${people.map(([spelling, who]) =>
          `${spelling} (${typeof who === "string" ? who : "ambiguous"})`).join(", ")}.`) : null,
        edited ? h("p", { class: "help" }, h("strong", {}, "Edited"), " in the form.") : null,
        missing.length ? h("p", { class: "proposal-missing" },
          `To give before it can be recorded (edit it): ${missing.map(pathWords).join("; ")}.`) : null),
      h("p", { id: `${boxId}-problem`, class: "field-problem", "aria-live": "polite" }, problem?.message ?? ""),
      recorded
        ? h("p", { class: "proposal-recorded" }, "Recorded. ",
          h("button", { type: "button", class: "link-button", onclick: () => this.onRecorded([recorded], this.draft, { select: true }) },
            "Show it on the timeline"))
        : h("button", { type: "button", class: "proposal-edit", onclick: () => this.edit(proposal) },
          h("span", { "aria-hidden": "true" }, "Edit in the form"), h("span", { class: "visually-hidden" }, `Edit ${name} in the form`)));
  }

  tick(id, checked) {
    this.ticked ??= new Set();
    if (checked) this.ticked.add(id);
    else this.ticked.delete(id);
  }

  /** The proposal in the form above; saving it keeps the changes as the proposal's edits. */
  async edit(proposal) {
    const id = proposal.proposal_id;
    await this.form.fill(this.bodyOf(proposal));
    const problem = this.problems.get(id);
    if (problem) this.form.showProblems(problem.asked);
    const back = () => {
      this.form.use(null);
      this.form.clear();  // the proposal is not recorded from the form by mistake
      this.render();
      document.querySelector(`#draft [data-proposal-id="${CSS.escape(id)}"] .proposal-edit`)?.focus();
    };
    this.form.use({
      label: "Save to the proposal",
      save: (body) => {
        const edits = {};
        for (const key of EDITABLE) {
          if (canonical(body[key]) !== canonical(proposal[key])) edits[key] = body[key] ?? null;
        }
        if (Object.keys(edits).length) this.edits.set(id, edits);
        else this.edits.delete(id);
        this.problems.delete(id);
        this.tick(id, true);
        back();
      },
      cancel: back,
    });
    $("event-form").scrollIntoView({ block: "start" });
    $("form-kind").focus({ preventScroll: true });
  }

  /** The ticked proposals, with their edits, recorded as one batch; a refusal is shown at its proposal. */
  async confirm() {
    const chosen = this.draft.proposals.filter((proposal) => this.ticked?.has(proposal.proposal_id)
      && !this.draft.recorded[proposal.proposal_id]);
    this.problems.clear();
    if (!chosen.length) {
      $("draft-status").textContent = "Tick the proposals to record first.";
      return;
    }
    const token = this.token();
    if (!token) {
      $("draft-status").textContent = "Enter a write token (above) to record.";
      return;
    }
    const proposals = chosen.map((proposal) => {
      const edits = this.edits.get(proposal.proposal_id);
      return edits ? { proposal_id: proposal.proposal_id, edits } : { proposal_id: proposal.proposal_id };
    });
    $("draft-status").textContent = "Recording…";
    const button = $("paste-confirm");
    button.disabled = true;
    let answer;
    try {
      answer = await send("POST", `/drafts/${this.draft.draft_id}/confirm`, { proposals }, token);
    } catch {
      $("draft-status").textContent = "Parley could not be reached; confirm again: nothing is recorded twice.";
      return;
    } finally {
      button.disabled = false;
    }
    if (answer.status === 201 || answer.status === 200) {
      const receipts = answer.body.events.map((receipt) => ({ ...receipt, draft_id: this.draft.draft_id }));
      for (const receipt of receipts) this.draft.recorded[receipt.proposal_id] = receipt;
      this.render();
      $("draft-status").textContent = `Recorded ${receipts.length} event${receipts.length === 1 ? "" : "s"}: shown on the timeline.`;
      await this.onRecorded(receipts, this.draft, { select: true });
      return;
    }
    this.refused(answer, chosen);
  }

  /** A refused confirmation: nothing of it was recorded; the problem is shown at its proposal. */
  refused(answer, chosen) {
    const problem = answer.body ?? {};
    if (answer.status === 401) {
      $("paste-token-field").hidden = false;
      keepToken("");
      this.form.showToken?.();
    }
    const byIndex = (path) => chosen[Number(/^body\.proposals\.(\d+)/.exec(path ?? "")?.[1])]?.proposal_id;
    const errors = problem.errors ?? [];
    const at = problem.proposal_id ?? byIndex(errors[0]?.path) ?? null;
    if (at) {
      // Its own problems, at paths inside the event (`body.proposals.2.data.x` → `data.x`).
      const own = errors.filter((error) => byIndex(error.path) === at && !/^body\.proposals\.\d+$/.test(error.path))
        .map((error) => ({ path: eventPath(error.path.replace(/^body\.proposals\.\d+\./, "")), message: error.message, type: error.type }));
      const where = problem.field ? ` (at ${pathWords(problem.field)})` : "";
      const rule = problem.rule ? `Refused by the rule “${problem.rule}”${where}: ` : "";
      const message = own.length ? own.map((error) => `${pathWords(error.path)}: ${error.message}`).join("; ")
        : `${rule}${problem.detail ?? ""}`;
      // As the form shows it when the proposal is edited: each problem at its field.
      const asked = own.length ? { status: 422, errors: own } : { status: 409, rule: problem.rule, field: problem.field, detail: problem.detail };
      this.problems.set(at, { message, asked });
    }
    this.render();
    $("draft-status").textContent = `Nothing was recorded: ${at ? "a proposal was refused, as it says below" : problem.detail ?? `Parley answered ${answer.status}`}.`;
    const line = at && document.querySelector(`#draft [data-proposal-id="${CSS.escape(at)}"] .field-problem`);
    (line?.closest(".proposal")?.querySelector(".proposal-edit") ?? $("draft-status")).focus?.();
  }

  clearProblems(root) {
    for (const node of root.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
    for (const node of root.querySelectorAll(".field-problem")) node.textContent = "";
  }

  problemAt(control, message) {
    control.setAttribute("aria-invalid", "true");
    const line = control.closest(".form-field")?.querySelector(".field-problem");
    if (line) line.textContent = message;
    control.focus();
  }

  /** A refused report: each problem at its field (`body.text`, `body.source.published`). */
  showFormProblems(answer) {
    const controls = { text: "paste-text", "source.name": "paste-outlet", "source.url": "paste-url", "source.published": "paste-published" };
    if (answer.status === 401) {
      keepToken("");
      $("paste-token-field").hidden = false;
      this.problemAt($("paste-token"), `${answer.body?.detail ?? "The token was not accepted"}. Enter a valid write token.`);
      return;
    }
    const errors = answer.body?.errors?.length ? answer.body.errors : [{ path: "", message: answer.body?.detail ?? `Parley answered ${answer.status}` }];
    let first = null;
    for (const error of errors) {
      const path = String(error.path ?? "").replace(/^body\.?/, "");
      const key = Object.keys(controls).find((name) => path === name || path.startsWith(`${name}.`));
      const control = key ? $(controls[key]) : null;
      if (!control) {
        $("paste-status").textContent = error.message;
        continue;
      }
      const line = control.closest(".form-field").querySelector(".field-problem");
      line.textContent = line.textContent ? `${line.textContent} ${error.message}` : error.message;
      control.setAttribute("aria-invalid", "true");
      first ??= control;
    }
    first?.focus();
  }
}
