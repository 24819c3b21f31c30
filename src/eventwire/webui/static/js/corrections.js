// The correction form: an analyst says an event is right or wrong, or fixes its code, actors or date.

import * as api from "./api.js";
import { field, h, replace } from "./dom.js";
import { notify, showError } from "./notices.js";

const AUTHOR_KEY = "eventwire.author";

/** A form that posts a correction of an event, then calls done() to show the event as corrected. */
export function correctionForm(event, done) {
  const message = h("p", { class: "form-message", role: "alert" });
  const fixes = fixFields(event);
  const author = h("input", { name: "author", type: "text", required: true, autocomplete: "name", value: localStorage.getItem(AUTHOR_KEY) ?? "" });
  const form = h(
    "form",
    { class: "correction-form", novalidate: true },
    h(
      "fieldset",
      { class: "verdicts" },
      h("legend", {}, "Verdict"),
      verdict("right", "Right: coded correctly (earlier fixes kept)"),
      verdict("wrong", "Wrong: not an event, or not this one"),
      verdict("fixed", "Fix it: change code, actors or date"),
      // Only a reviewed event has corrections to undo.
      event.corrected ? verdict("reset", "Reset: back to the machine coding") : null,
    ),
    fixes,
    field("Your name", author),
    field("Note", h("textarea", { name: "note", rows: 2 }), "Optional: why, or what the text says."),
    tokenHint(),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Submit correction")),
    message,
  );
  form.addEventListener("change", () => {
    const fixing = form.elements.verdict.value === "fixed";
    fixes.hidden = !fixing;
    fixes.disabled = !fixing;
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit(form, event, message, done);
  });
  return form;
}

function verdict(value, label) {
  const id = `verdict-${value}`;
  return h("div", { class: "radio" }, h("input", { type: "radio", name: "verdict", value, id, required: true }), h("label", { for: id }, label));
}

function fixFields(event) {
  const input = (name, value, extra = {}) => h("input", { name, type: "text", value: value ?? "", spellcheck: "false", ...extra });
  return h(
    "fieldset",
    { class: "fixes", hidden: true, disabled: true },
    h("legend", {}, "Corrected values (change what is wrong)"),
    field("CAMEO code", input("code", event.code, { inputmode: "numeric", pattern: "[0-9]{2,4}" })),
    field("Source actors", input("source", (event.source ?? []).join(" ")), "Codes separated by spaces or commas."),
    field("Target actors", input("target", (event.target ?? []).join(" "))),
    field("Date", input("date", event.date, { type: "date" })),
  );
}

function tokenHint() {
  const hint = h(
    "p",
    { class: "hint", hidden: Boolean(api.getToken()) },
    "No token is set for this tab: the server will refuse the correction. ",
    h("button", { type: "button", class: "link", onclick: () => document.getElementById("token-button").click() }, "Set token"),
  );
  window.addEventListener("eventwire:token", () => {
    hint.hidden = Boolean(api.getToken());
  });
  return hint;
}

/** The request body from the form, or an error message when it is incomplete. */
function payload(form, event) {
  const values = Object.fromEntries(new FormData(form));
  if (!values.verdict) return { error: "Choose a verdict." };
  const author = (values.author ?? "").trim();
  if (!author) return { error: "Give your name: corrections are signed." };
  const body = { verdict: values.verdict, author };
  if (values.note?.trim()) body.note = values.note.trim();
  if (values.verdict === "fixed") {
    const changed = fixes(values, event);
    if (!Object.keys(changed).length) return { error: "Change at least one value, or choose another verdict." };
    Object.assign(body, changed);
  }
  return { body };
}

/** The values the form changed: a fix sends only those, and the earlier fixes of the others stay in force. */
function fixes(values, event) {
  const codes = (text) => (text ?? "").toUpperCase().split(/[\s,;]+/).filter(Boolean);
  const same = (a, b) => a.join(" ") === (b ?? []).join(" ");
  const changed = {};
  if (values.code?.trim() && values.code.trim() !== event.code) changed.code = values.code.trim();
  if (!same(codes(values.source), event.source)) changed.source = codes(values.source);
  if (!same(codes(values.target), event.target)) changed.target = codes(values.target);
  if (values.date && values.date !== event.date) changed.date = values.date;
  return changed;
}

async function submit(form, event, message, done) {
  const { body, error } = payload(form, event);
  if (error) {
    replace(message, error);
    return;
  }
  localStorage.setItem(AUTHOR_KEY, body.author);
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  replace(message);
  try {
    await api.post(`/api/events/${encodeURIComponent(event.id)}/corrections`, body);
    await done();
    // The refusal that may have come before no longer applies.
    for (const old of document.querySelectorAll("#notices .notice.error")) old.remove();
    notify(`Correction saved: ${body.verdict}.`);
  } catch (err) {
    replace(message, h("strong", {}, `${err.title ?? "Error"}${err.status ? ` (${err.status})` : ""}: `), err.detail || err.message);
    showError(err);
  } finally {
    button.disabled = false;
  }
}
