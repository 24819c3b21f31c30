// Messages to the analyst: API errors with the server's own explanation, and confirmations.

import { h } from "./dom.js";

function region() {
  return document.getElementById("notices");
}

/** Show an error (an ApiError's title, status and detail, or any other error's message). */
export function showError(error) {
  const title = error.title ?? "Something went wrong";
  const status = error.status ? ` (${error.status})` : "";
  const detail = error.detail ?? error.message ?? "";
  region().append(
    h(
      "div",
      { class: "notice error", role: "alert" },
      h("strong", {}, `${title}${status}`),
      detail ? h("span", { class: "detail" }, detail) : null,
      closeButton(),
    ),
  );
}

/** Show a short confirmation. */
export function notify(text) {
  region().append(h("div", { class: "notice info", role: "status" }, h("span", {}, text), closeButton()));
}

/** Remove every message (a new page starts clean). */
export function clearNotices() {
  region().replaceChildren();
}

function closeButton() {
  return h("button", { type: "button", class: "close", "aria-label": "Dismiss", onclick: (e) => e.target.closest(".notice").remove() }, "×");
}
