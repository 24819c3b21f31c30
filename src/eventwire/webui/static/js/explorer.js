// The event explorer: filters kept in the page's query string, a sortable table, and cursor paging.

import * as api from "./api.js";
import { CAMEO_ROOTS, CORRECTIONS, MODES, PLOVER_TYPES, QUAD_CLASSES, REVIEWED, quadLabel } from "./codes.js";
import { field, formValues, h, loading, names, num, replace, select, withQuery } from "./dom.js";
import { navigate } from "./main.js";
import { showError } from "./notices.js";

const PAGE_SIZE = 50;
const FILTERS = ["since", "until", "actor", "country", "code", "root", "plover", "quad_class", "mode", "min_confidence", "corrected", "machine", "include_wrong"];
const SORTABLE = { date: "Date", goldstein: "Goldstein", mentions: "Mentions", confidence: "Confidence" };

/** Render the explorer for the filters and sort order in the query string. */
export async function render(main, _params, query, signal) {
  const filters = Object.fromEntries(FILTERS.filter((k) => query.get(k)).map((k) => [k, query.get(k)]));
  const sort = SORTABLE[query.get("sort")] ? query.get("sort") : "date";
  const order = query.get("order") === "asc" ? "asc" : "desc";
  // A page size in the address (?limit=) lets a link ask for short pages; the API caps it anyway.
  const limit = Number.parseInt(query.get("limit"), 10) > 0 ? Number.parseInt(query.get("limit"), 10) : PAGE_SIZE;
  const state = { filters, sort, order, limit };
  const tbody = h("tbody");
  const status = h("p", { class: "status", role: "status" });
  const more = h("button", { type: "button", class: "load-more", hidden: true }, "Load more");
  document.title = "Events · eventwire";
  replace(
    main,
    h("h1", {}, "Events"),
    filterForm(state),
    h("div", { class: "table-wrap" }, h("table", { class: "events", id: "events-table" }, h("caption", { class: "visually-hidden" }, "Events matching the filters"), header(state), tbody)),
    status,
    more,
  );
  const pager = { cursor: null, shown: 0 };
  more.addEventListener("click", () => loadPage(state, pager, { tbody, status, more }, signal));
  status.replaceChildren(loading());
  await loadPage(state, pager, { tbody, status, more }, signal);
}

async function loadPage(state, pager, { tbody, status, more }, signal) {
  more.disabled = true;
  try {
    const params = { ...state.filters, sort: state.sort, order: state.order, limit: state.limit, cursor: pager.cursor };
    const page = await api.get("/api/events", params, { signal });
    tbody.append(...page.items.map(row));
    pager.shown += page.items.length;
    pager.cursor = page.next_cursor;
    more.hidden = !page.next_cursor;
    status.textContent = pager.shown ? `${pager.shown} event${pager.shown === 1 ? "" : "s"} shown${page.next_cursor ? "; more available" : ""}.` : "No events match these filters.";
  } catch (error) {
    if (error.name === "AbortError") return;
    status.textContent = "The events could not be loaded.";
    showError(error);
  } finally {
    more.disabled = false;
  }
}

function filterForm({ filters, sort, order, limit }) {
  const input = (name, type, extra = {}) => h("input", { name, type, value: filters[name] ?? "", ...extra });
  const actor = input("actor", "text", { list: "actor-options", placeholder: "ISRGOV, RUS…", autocomplete: "off", spellcheck: "false" });
  const options = h("datalist", { id: "actor-options" });
  actor.addEventListener("input", debounce(() => suggestActors(actor.value, options), 250));
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": "Filter events" },
    h(
      "div",
      { class: "field-grid" },
      field("Since", input("since", "date")),
      field("Until", input("until", "date")),
      field("Actor", actor),
      options,
      field("Country", input("country", "text", { placeholder: "ISO3, e.g. UKR", maxlength: 3, size: 4, spellcheck: "false" })),
      field("CAMEO code", input("code", "text", { placeholder: "e.g. 04 or 0411", inputmode: "numeric", pattern: "[0-9]{2,4}", size: 5 })),
      field("CAMEO root", select("root", [["", "Any"], ...CAMEO_ROOTS.map(([c, n]) => [c, `${c} ${n}`])], filters.root)),
      field("PLOVER type", select("plover", [["", "Any"], ...PLOVER_TYPES.map((t) => [t, t])], filters.plover)),
      field("QuadClass", select("quad_class", [["", "Any"], ...QUAD_CLASSES.map(([q, n]) => [q, `${q} ${n}`])], filters.quad_class)),
      field("Mode", select("mode", [["", "Any"], ...MODES], filters.mode)),
      field("Min. confidence", input("min_confidence", "number", { min: 0, max: 1, step: 0.05, placeholder: "0–1" })),
    ),
    h(
      "div",
      { class: "field-grid wide" },
      field("Reviewed", select("corrected", REVIEWED, filters.corrected)),
      field("Corrections", select("corrections", CORRECTIONS, correctionMode(filters))),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Apply filters"), h("a", { href: "/", "data-nav": true, class: "button" }, "Clear")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const { corrections, ...values } = formValues(form);
    // The API takes one flag per way of applying corrections.
    if (corrections) values[corrections] = "true";
    if (values.actor) values.actor = values.actor.toUpperCase();
    if (values.country) values.country = values.country.toUpperCase();
    navigate(withQuery("/", { ...values, sort, order, limit: pageSize(limit) }));
  });
  return form;
}

/** Which of CORRECTIONS the filters ask for. */
function correctionMode(filters) {
  if (filters.machine === "true") return "machine";
  return filters.include_wrong === "true" ? "include_wrong" : "";
}

async function suggestActors(text, datalist) {
  if (text.trim().length < 2) return;
  try {
    const { items } = await api.get("/api/actors", { q: text.trim(), limit: 15 });
    replace(datalist, items.map((a) => h("option", { value: a.code }, `${a.name ?? a.code} (${a.count})`)));
  } catch {
    // suggestions are a convenience: the filter works without them
  }
}

function header({ filters, sort, order, limit }) {
  const sortable = (key) => {
    const active = sort === key;
    const next = active && order === "desc" ? "asc" : "desc";
    const arrow = active ? (order === "desc" ? " ▼" : " ▲") : "";
    return h(
      "th",
      { scope: "col", "aria-sort": active ? (order === "desc" ? "descending" : "ascending") : "none", class: "sortable" },
      h("a", { href: withQuery("/", { ...filters, sort: key, order: next, limit: pageSize(limit) }), "data-nav": true, "data-sort": key }, SORTABLE[key], h("span", { "aria-hidden": "true" }, arrow)),
    );
  };
  const plain = (label) => h("th", { scope: "col" }, label);
  return h(
    "thead",
    {},
    h("tr", {}, sortable("date"), plain("Source"), plain("Event"), plain("Target"), plain("QuadClass"), sortable("goldstein"), sortable("mentions"), sortable("confidence"), plain("Place"), plain("Status")),
  );
}

function row(event) {
  const href = `/events/${encodeURIComponent(event.id)}`;
  const tr = h(
    "tr",
    { "data-id": event.id, class: event.corrected ? "corrected" : null },
    h("td", { class: "nowrap" }, event.date ?? "–"),
    h("td", { title: names(event.source) }, names(event.source_names?.length ? event.source_names : event.source)),
    h("td", {}, h("a", { href, "data-nav": true, class: "event-link" }, h("code", {}, event.code), " ", event.code_name ?? "")),
    h("td", { title: names(event.target) }, names(event.target_names?.length ? event.target_names : event.target)),
    h("td", {}, quadBadge(event.quad_class)),
    h("td", { class: "num" }, num(event.goldstein)),
    h("td", { class: "num" }, event.num_mentions ?? "–"),
    h("td", { class: "num" }, num(event.confidence, 2)),
    h("td", {}, event.place_name ?? "–"),
    h("td", {}, statusBadge(event)),
  );
  tr.addEventListener("click", (e) => {
    if (!e.target.closest("a")) navigate(href);
  });
  return tr;
}

/** A coloured badge naming a QuadClass. */
export function quadBadge(quad) {
  if (!quad) return "–";
  return h("span", { class: `badge quad quad-${quad}` }, `${quad} ${quadLabel(quad)}`);
}

/** A badge saying whether an analyst corrected the event, and how. */
export function statusBadge(event) {
  if (!event.corrected) return "";
  return h("span", { class: `badge verdict verdict-${event.verdict ?? "fixed"}` }, `corrected${event.verdict ? `: ${event.verdict}` : ""}`);
}

/** The page size to keep in links: none when it is the default. */
function pageSize(limit) {
  return limit === PAGE_SIZE ? "" : limit;
}

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
