// The actor network: who acts on whom, edges green for cooperation and red for conflict.

import * as api from "./api.js";
import { chart, tooltip } from "./charts.js";
import { quadLabel, relationColour } from "./codes.js";
import { field, formValues, h, loading, num, replace, withQuery } from "./dom.js";
import { navigate } from "./main.js";

/** Render the network of the dates and minimum count in the query string. */
export async function render(main, _params, query, signal) {
  const filters = { since: query.get("since") ?? "", until: query.get("until") ?? "", min_count: query.get("min_count") ?? "", limit: query.get("limit") ?? "" };
  document.title = "Network · eventwire";
  const body = h("div", {}, loading());
  replace(
    main,
    h("h1", {}, "Actor network"),
    networkForm(filters),
    h("ul", { class: "legend", "aria-label": "Legend" }, h("li", {}, h("span", { class: "swatch coop" }), " cooperation (QuadClass 1–2)"), h("li", {}, h("span", { class: "swatch conflict" }), " conflict (QuadClass 3–4)"), h("li", {}, "node size: events; click a node or edge for its timeline")),
    body,
  );
  const data = await api.get("/api/network", filters, { signal });
  const nodes = data.nodes ?? [];
  const edges = data.edges ?? [];
  if (!nodes.length) {
    replace(body, h("p", { class: "muted" }, "No interactions for this choice."));
    return;
  }
  const container = h("div", { class: "chart tall", id: "network-chart", role: "img", "aria-label": `Network of ${nodes.length} actors and ${edges.length} relations` });
  replace(body, container, edgeTable(edges));
  const instance = await chart(container);
  instance.setOption(options(nodes, edges));
  instance.on("click", (p) => openTimeline(p));
  container.dataset.nodes = String(nodes.length);
  container.dataset.edges = String(edges.length);
}

function networkForm(filters) {
  const form = h(
    "form",
    { class: "filters", "aria-label": "Filter the network" },
    h(
      "div",
      { class: "field-grid" },
      field("Since", h("input", { name: "since", type: "date", value: filters.since })),
      field("Until", h("input", { name: "until", type: "date", value: filters.until })),
      field("Min. events per edge", h("input", { name: "min_count", type: "number", min: 1, value: filters.min_count, placeholder: "1" })),
      field("Max. edges", h("input", { name: "limit", type: "number", min: 1, value: filters.limit, placeholder: "all" })),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Show network")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    navigate(withQuery("/network", formValues(form)));
  });
  return form;
}

function options(nodes, edges) {
  const most = Math.max(...nodes.map((n) => n.count ?? 1), 1);
  const heaviest = Math.max(...edges.map((e) => e.count ?? 1), 1);
  return {
    animationDurationUpdate: 300,
    tooltip: { formatter: describe },
    series: [
      {
        type: "graph",
        layout: "force",
        roam: true,
        draggable: true,
        force: { repulsion: 260, edgeLength: [80, 180], gravity: 0.08 },
        label: { show: true, position: "right", fontSize: 12 },
        edgeSymbol: ["none", "arrow"],
        edgeSymbolSize: 8,
        emphasis: { focus: "adjacency", lineStyle: { width: 4 } },
        data: nodes.map((n) => ({ id: n.id, name: n.id, value: n.count, label: { formatter: n.id }, symbolSize: 10 + 30 * Math.sqrt((n.count ?? 1) / most), fullName: n.label, itemStyle: { color: "#4a6fa5" } })),
        links: edges.map((e) => ({
          source: e.source,
          target: e.target,
          value: e.count,
          goldstein: e.goldstein_mean,
          quad: e.quad_class,
          lineStyle: { color: relationColour(e.quad_class, e.goldstein_mean), width: 1 + 5 * Math.sqrt((e.count ?? 1) / heaviest), opacity: 0.8, curveness: 0.15 },
        })),
      },
    ],
  };
}

function describe(p) {
  if (p.dataType === "edge") {
    const d = p.data;
    return tooltip(`${d.source} → ${d.target}`, [`${d.value} event${d.value === 1 ? "" : "s"}`, `Goldstein mean ${num(d.goldstein, 2)}`, `mostly ${quadLabel(d.quad)}`]);
  }
  return tooltip(p.data.id, [p.data.fullName ?? "", `${p.data.value} event${p.data.value === 1 ? "" : "s"}`]);
}

function openTimeline(p) {
  if (p.dataType === "edge") navigate(withQuery("/timelines", { source: p.data.source, target: p.data.target }));
  else if (p.dataType === "node") navigate(withQuery("/timelines", { actor: p.data.id }));
}

function edgeTable(edges) {
  return h(
    "details",
    { class: "data-table" },
    h("summary", {}, `The ${edges.length} relations as a table`),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, ["source", "target", "events", "Goldstein mean", "QuadClass"].map((c) => h("th", { scope: "col" }, c)))),
      h(
        "tbody",
        {},
        edges.map((e) =>
          h(
            "tr",
            {},
            h("td", {}, e.source),
            h("td", {}, e.target),
            h("td", { class: "num" }, e.count),
            h("td", { class: "num" }, num(e.goldstein_mean, 2)),
            h("td", {}, h("a", { href: withQuery("/timelines", { source: e.source, target: e.target }), "data-nav": true }, quadLabel(e.quad_class))),
          ),
        ),
      ),
    ),
  );
}
