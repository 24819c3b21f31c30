// The page router: every path serves the same shell, and this module renders the page the path names.

import { getToken, setToken } from "./api.js";
import { h, replace } from "./dom.js";
import { showError, clearNotices, notify } from "./notices.js";

// Each page module exports render(main, params, query) and is loaded only when first visited.
const ROUTES = [
  [/^\/$/, "events", () => import("./explorer.js")],
  [/^\/events\/([^/]+)$/, "events", () => import("./event.js"), ["id"]],
  [/^\/articles$/, "articles", () => import("./articles.js")],
  [/^\/articles\/([^/]+)$/, "articles", () => import("./article.js"), ["id"]],
  [/^\/timelines$/, "timelines", () => import("./timelines.js")],
  [/^\/network$/, "network", () => import("./network.js")],
  [/^\/map$/, "map", () => import("./map.js")],
];

let current = null;

/** Go to a same-site path without reloading the page. */
export function navigate(path, { replaceState = false } = {}) {
  if (replaceState) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  render();
}

async function render() {
  const main = document.getElementById("main");
  const { pathname, search } = location;
  const route = ROUTES.find(([pattern]) => pattern.test(pathname));
  current?.abort();
  current = new AbortController();
  const signal = current.signal;
  clearNotices();
  markSection(route?.[1]);
  // Busy until the page has its data: assistive technology (and tests) can tell a page that is still loading.
  main.setAttribute("aria-busy", "true");
  try {
    await show(main, route, pathname, search, signal);
  } finally {
    if (!signal.aborted) main.setAttribute("aria-busy", "false");
  }
}

async function show(main, route, pathname, search, signal) {
  if (!route) {
    replace(main, h("h1", {}, "Page not found"), h("p", {}, h("a", { href: "/", "data-nav": true }, "Back to the events")));
    return;
  }
  const [pattern, , load, keys = []] = route;
  const match = pathname.match(pattern);
  const params = Object.fromEntries(keys.map((key, i) => [key, decodeURIComponent(match[i + 1])]));
  try {
    const page = await load();
    await page.render(main, params, new URLSearchParams(search), signal);
  } catch (error) {
    if (error.name === "AbortError") return;
    showError(error);
    // Placeholders left by the failed page would otherwise say "Loading…" forever.
    for (const placeholder of main.querySelectorAll(".loading")) placeholder.textContent = "This could not be loaded.";
  }
}

function markSection(section) {
  for (const link of document.querySelectorAll("nav a[data-section]")) {
    if (link.dataset.section === section) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

// Same-site links marked data-nav (and plain left clicks only) go through the router.
function onClick(event) {
  const link = event.target.closest("a[data-nav]");
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const url = new URL(link.href);
  if (url.origin !== location.origin) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
  document.getElementById("main").focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

function setupToken() {
  const button = document.getElementById("token-button");
  const dialog = document.getElementById("token-dialog");
  const input = document.getElementById("token-input");
  const show = () => {
    button.textContent = getToken() ? "Token set ✓" : "Set token";
    button.classList.toggle("has-token", Boolean(getToken()));
  };
  button.addEventListener("click", () => {
    input.value = getToken() ?? "";
    dialog.showModal();
    input.focus();
  });
  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "save") setToken(input.value.trim());
    if (dialog.returnValue === "forget") setToken("");
    if (dialog.returnValue === "save" || dialog.returnValue === "forget") {
      notify(getToken() ? "Token saved for this tab." : "Token forgotten.");
      window.dispatchEvent(new CustomEvent("eventwire:token"));
    }
    input.value = "";
    show();
  });
  show();
}

document.addEventListener("click", onClick);
window.addEventListener("popstate", render);
setupToken();
render();
