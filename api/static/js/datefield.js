// A typed date field. What is typed is committed on Enter, on leaving the field, or as soon as
// it reads as a finished date — never on each keystroke, so typing a year does not visit the
// years 0002, 0020 and 0202 on the way. A date is shown in words ("24 November 2025") with the
// ISO form in its tooltip; what cannot be read is said in words beside the field, in a line
// kept for it, so nothing below moves.

import { formatLongDay, isDay, looksComplete, parseDay, parseMoment } from "./dates.js";

export class DateField {
  /**
   * `input`: a text input; `onCommit(value)` hears each new value ("" when emptied and `optional`).
   * `moment`: also takes a time ("Known at"). The field's problem line is the element named by
   * its `data-problem` attribute.
   */
  constructor(input, { onCommit, optional = false, moment = false, example = "24 November 2025" }) {
    Object.assign(this, { input, onCommit, optional, moment, example });
    this.value = "";
    this.problem = document.getElementById(input.dataset.problem);
    input.autocomplete = "off";
    input.spellcheck = false;
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        this.commit({ finished: true });
        if (this.input.form && !this.input.hasAttribute("aria-invalid")) this.input.form.requestSubmit();
      } else if (event.key === "Escape") {
        this.show(this.value);
      }
    });
    input.addEventListener("blur", () => this.commit({ finished: true }));
    input.addEventListener("input", () => {
      this.say("");
      if (!this.moment && looksComplete(input.value)) this.commit({ finished: false });
    });
  }

  read(text) {
    return this.moment ? parseMoment(text) : parseDay(text);
  }

  /** Reads the field; a readable value that differs is committed; an unreadable one, when the
   * user is done with the field, is explained. */
  commit({ finished }) {
    const text = this.input.value.trim();
    if (!text && this.optional) {
      if (this.value !== "") this.changed("");
      return;
    }
    const value = this.read(text);
    if (value == null) {
      if (finished) {
        this.input.setAttribute("aria-invalid", "true");
        this.say(`“${text}” is not a date Parley can read. Type a day such as ${this.example}`
          + `${this.moment ? ", or a day and a time such as 24 November 2025 14:30 (UTC)" : " or 2025-11-24"}`
          + "; years run from 1000 to 2999.");
      }
      return;
    }
    this.input.removeAttribute("aria-invalid");
    if (value !== this.value) this.changed(value);
    if (finished) this.show(this.value, { typing: false });
  }

  changed(value) {
    this.value = value;
    this.input.dataset.value = value;
    this.onCommit(value);
  }

  /** Shows a value (a day, or for "Known at" a day or a moment) in words, the ISO form on hover. */
  show(value, { typing = true } = {}) {
    this.value = value ?? "";
    this.input.dataset.value = this.value;
    this.input.removeAttribute("aria-invalid");
    this.say("");
    // While the user types a date that reads as the one shown, their text is left as it is.
    if (typing && document.activeElement === this.input && this.input.value && this.read(this.input.value) === this.value) return;
    this.input.value = !this.value ? "" : isDay(this.value) ? formatLongDay(this.value)
      : this.moment ? `${formatLongDay(this.value.slice(0, 10))} ${this.value.slice(11)}` : this.value;
    this.input.title = this.value ? `${this.moment && !isDay(this.value) ? `${this.value}Z` : this.value}` : "";
  }

  say(text) {
    if (this.problem) this.problem.textContent = text;
  }
}
