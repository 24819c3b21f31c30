// The map of located events over a world outline shipped with the package (no tile server: works offline).

import * as api from "./api.js";
import { chart, echarts, tooltip } from "./charts.js";
import { QUAD_CLASSES, QUAD_COLOURS, quadLabel } from "./codes.js";
import { field, formValues, h, loading, names, replace, select, withQuery } from "./dom.js";
import { navigate } from "./main.js";

const WORLD_URL = "/static/data/world-110m.geojson";
const PAGE_SIZE = 200;
const MAX_PAGES = 10;
let worldLoaded = null;

/** Render the map of the events the query string selects. */
export async function render(main, _params, query, signal) {
  const filters = Object.fromEntries(["since", "until", "actor", "quad_class"].filter((k) => query.get(k)).map((k) => [k, query.get(k)]));
  document.title = "Map · eventwire";
  const status = h("p", { class: "status", role: "status" }, loading());
  const container = h("div", { class: "chart tall", id: "map-chart", role: "img", "aria-label": "World map of located events" });
  replace(main, h("h1", {}, "Map of events"), mapForm(filters), quadLegend(), container, status);
  const [events] = await Promise.all([locatedEvents(filters, signal), registerWorld()]);
  const instance = await chart(container);
  instance.setOption(options(events));
  instance.on("click", (p) => p.data?.id && navigate(`/events/${encodeURIComponent(p.data.id)}`));
  container.dataset.points = String(events.length);
  status.textContent = events.length ? `${events.length} located event${events.length === 1 ? "" : "s"}; click one to open it.` : "No located events for this choice.";
}

async function locatedEvents(filters, signal) {
  const events = [];
  let cursor = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const data = await api.get("/api/events", { ...filters, bbox: "-180,-90,180,90", limit: PAGE_SIZE, cursor }, { signal });
    events.push(...data.items.filter((e) => typeof e.lat === "number" && typeof e.lon === "number"));
    cursor = data.next_cursor;
    if (!cursor) break;
  }
  return events;
}

/** Register the world outline with the chart library once per page load. */
function registerWorld() {
  worldLoaded ??= Promise.all([echarts(), fetch(WORLD_URL).then((r) => r.json())]).then(([lib, world]) => lib.registerMap("world", world));
  return worldLoaded;
}

function mapForm(filters) {
  const form = h(
    "form",
    { class: "filters", "aria-label": "Filter the map" },
    h(
      "div",
      { class: "field-grid" },
      field("Since", h("input", { name: "since", type: "date", value: filters.since ?? "" })),
      field("Until", h("input", { name: "until", type: "date", value: filters.until ?? "" })),
      field("Actor", h("input", { name: "actor", type: "text", value: filters.actor ?? "", spellcheck: "false" })),
      field("QuadClass", select("quad_class", [["", "Any"], ...QUAD_CLASSES.map(([q, n]) => [q, `${q} ${n}`])], filters.quad_class)),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Show events")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const values = formValues(form);
    if (values.actor) values.actor = values.actor.toUpperCase();
    navigate(withQuery("/map", values));
  });
  return form;
}

function quadLegend() {
  return h("ul", { class: "legend", "aria-label": "Legend" }, QUAD_CLASSES.map(([q, label]) => h("li", {}, h("span", { class: `swatch quad-${q}` }), ` ${label}`)));
}

function options(events) {
  const most = Math.max(...events.map((e) => e.num_mentions ?? 1), 1);
  return {
    animation: false,
    tooltip: { formatter: describe },
    geo: {
      map: "world",
      roam: true,
      zoom: 1.15,
      itemStyle: { areaColor: "#eef1f5", borderColor: "#9aa5b1", borderWidth: 0.5 },
      emphasis: { disabled: true },
      select: { disabled: true },
      label: { show: false },
    },
    series: [
      {
        type: "scatter",
        coordinateSystem: "geo",
        data: events.map((e) => ({ id: e.id, name: e.place_name ?? "", value: [e.lon, e.lat, e.num_mentions ?? 1], event: e, itemStyle: { color: QUAD_COLOURS[e.quad_class] ?? "#555", opacity: 0.85, borderColor: "#fff", borderWidth: 1 } })),
        symbolSize: (value) => 7 + 13 * Math.sqrt((value[2] ?? 1) / most),
        cursor: "pointer",
      },
    ],
  };
}

function describe(p) {
  const e = p.data?.event;
  if (!e) return "";
  return tooltip(`${e.code} ${e.code_name ?? ""}`, [`${names(e.source_names?.length ? e.source_names : e.source)} → ${names(e.target_names?.length ? e.target_names : e.target)}`, `${e.date ?? ""} · ${e.place_name ?? ""}`, quadLabel(e.quad_class), `${e.num_mentions ?? 1} mention(s)`]);
}
