// The article list: search by words and publication dates, newest first, with cursor paging.

import * as api from "./api.js";
import { field, formValues, h, loading, replace, withQuery } from "./dom.js";
import { navigate } from "./main.js";
import { showError } from "./notices.js";

const PAGE_SIZE = 50;

/** Render the list of stored articles for the search in the query string. */
export async function render(main, _params, query, signal) {
  const filters = { q: query.get("q") ?? "", since: query.get("since") ?? "", until: query.get("until") ?? "" };
  const list = h("ul", { class: "article-list" });
  const status = h("p", { class: "status", role: "status" }, loading());
  const more = h("button", { type: "button", class: "load-more", hidden: true }, "Load more");
  document.title = "Articles · eventwire";
  replace(main, h("h1", {}, "Articles"), searchForm(filters), list, status, more);
  const pager = { cursor: null, shown: 0 };
  const load = async () => {
    more.disabled = true;
    try {
      const page = await api.get("/api/articles", { ...filters, limit: PAGE_SIZE, cursor: pager.cursor }, { signal });
      list.append(...page.items.map(item));
      pager.shown += page.items.length;
      pager.cursor = page.next_cursor;
      more.hidden = !page.next_cursor;
      status.textContent = pager.shown ? `${pager.shown} article${pager.shown === 1 ? "" : "s"} shown.` : "No articles match.";
    } catch (error) {
      if (error.name !== "AbortError") showError(error);
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener("click", load);
  await load();
}

function searchForm(filters) {
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": "Search articles" },
    h(
      "div",
      { class: "field-grid" },
      field("Words", h("input", { name: "q", type: "search", value: filters.q })),
      field("Since", h("input", { name: "since", type: "date", value: filters.since })),
      field("Until", h("input", { name: "until", type: "date", value: filters.until })),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Search")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    navigate(withQuery("/articles", formValues(form)));
  });
  return form;
}

function item(article) {
  return h(
    "li",
    { class: "card" },
    h("a", { href: `/articles/${encodeURIComponent(article.id)}`, "data-nav": true, class: "title" }, article.title || article.id),
    h("p", { class: "meta" }, article.pub_date ?? "date unknown", article.outlet ? ` · ${article.outlet}` : "", ` · ${article.n_events ?? 0} event mention${article.n_events === 1 ? "" : "s"}`),
  );
}
