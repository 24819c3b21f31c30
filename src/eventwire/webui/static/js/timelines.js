// Actor and dyad timelines: events per period by QuadClass, with the Goldstein sum or mean on a second axis.

import * as api from "./api.js";
import { chart, tooltip } from "./charts.js";
import { QUAD_CLASSES, QUAD_COLOURS } from "./codes.js";
import { field, formValues, h, loading, num, replace, select, withQuery } from "./dom.js";
import { navigate } from "./main.js";

const INTERVALS = [["day", "Day"], ["week", "Week"], ["month", "Month"]];
const MEASURES = [["sum", "Goldstein sum"], ["mean", "Goldstein mean"]];

/** Render the timeline the query string asks for: ?actor=CODE, or ?source=A&target=B. */
export async function render(main, _params, query, signal) {
  const choice = {
    actor: (query.get("actor") ?? "").toUpperCase(),
    source: (query.get("source") ?? "").toUpperCase(),
    target: (query.get("target") ?? "").toUpperCase(),
    since: query.get("since") ?? "",
    until: query.get("until") ?? "",
    interval: INTERVALS.some(([v]) => v === query.get("interval")) ? query.get("interval") : "month",
    measure: query.get("measure") === "mean" ? "mean" : "sum",
  };
  document.title = "Timelines · eventwire";
  const body = h("div", { class: "timeline-body" });
  replace(main, h("h1", {}, "Timelines"), timelineForm(choice), body);
  if (choice.source && choice.target) return drawDyad(body, choice, signal);
  if (choice.actor) return drawActor(body, choice, signal);
  return topActors(body, signal);
}

function timelineForm(choice) {
  const text = (name, placeholder) => h("input", { name, type: "text", value: choice[name], placeholder, spellcheck: "false", autocomplete: "off" });
  const form = h(
    "form",
    { class: "filters", "aria-label": "Choose a timeline" },
    h(
      "div",
      { class: "field-grid" },
      field("Actor", text("actor", "e.g. RUSGOV"), "One actor's events, as source or target."),
      field("or dyad: source", text("source", "e.g. ISRGOV")),
      field("target", text("target", "e.g. RUSGOV")),
      field("Since", h("input", { name: "since", type: "date", value: choice.since })),
      field("Until", h("input", { name: "until", type: "date", value: choice.until })),
      field("Interval", select("interval", INTERVALS, choice.interval)),
      field("Line", select("measure", MEASURES, choice.measure)),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Show timeline")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const values = formValues(form);
    // A dyad, when both ends are given, wins over a single actor.
    if (values.source && values.target) delete values.actor;
    navigate(withQuery("/timelines", values));
  });
  return form;
}

async function drawActor(body, choice, signal) {
  replace(body, loading());
  const data = await api.get(`/api/actors/${encodeURIComponent(choice.actor)}/timeline`, { interval: choice.interval, since: choice.since, until: choice.until }, { signal });
  await draw(body, `Events involving ${choice.actor}`, data.series ?? [], choice);
}

async function drawDyad(body, choice, signal) {
  replace(body, loading());
  const params = { source: choice.source, target: choice.target, interval: choice.interval, since: choice.since, until: choice.until };
  const data = await api.get("/api/dyads", params, { signal });
  await draw(body, `${choice.source} → ${choice.target}`, data.series ?? [], choice);
}

async function draw(body, title, series, choice) {
  const container = h("div", { class: "chart", id: "timeline-chart", role: "img", "aria-label": `${title}: events per ${choice.interval} by QuadClass and Goldstein ${choice.measure}` });
  replace(body, h("h2", {}, title), series.length ? container : h("p", { class: "muted" }, "No events for this choice."), series.length ? dataTable(series, choice) : null);
  if (!series.length) return;
  const instance = await chart(container);
  instance.setOption(options(series, choice));
  container.dataset.points = String(series.length);
}

function options(series, { measure }) {
  const key = measure === "mean" ? "goldstein_mean" : "goldstein_sum";
  const periods = series.map((p) => p.period);
  const bars = QUAD_CLASSES.map(([quad, label]) => ({
    name: `${quad} ${label}`,
    type: "bar",
    stack: "quad",
    barMaxWidth: 48,
    data: series.map((p) => p[`quad${quad}`] ?? 0),
    itemStyle: { color: QUAD_COLOURS[quad] },
    emphasis: { focus: "series" },
  }));
  const line = { name: `Goldstein ${measure}`, type: "line", yAxisIndex: 1, data: series.map((p) => round(p[key])), itemStyle: { color: "#1f3b73" }, symbolSize: 6 };
  return {
    animation: false,
    aria: { enabled: true },
    grid: { left: 50, right: 60, top: 50, bottom: 70 },
    legend: { top: 0 },
    tooltip: { trigger: "axis", formatter: (items) => tooltip(items[0]?.axisValue ?? "", items.map((i) => `${i.seriesName}: ${i.value ?? "–"}`)) },
    xAxis: { type: "category", data: periods },
    yAxis: [
      { type: "value", name: "events", minInterval: 1 },
      { type: "value", name: `Goldstein ${measure}`, splitLine: { show: false } },
    ],
    dataZoom: periods.length > 30 ? [{ type: "slider", bottom: 10 }] : [],
    series: [...bars, line],
  };
}

function round(value) {
  return typeof value === "number" ? Math.round(value * 100) / 100 : null;
}

function dataTable(series, { interval }) {
  return h(
    "details",
    { class: "data-table" },
    h("summary", {}, "The numbers as a table"),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, [interval, "events", "Goldstein sum", "Goldstein mean", "Q1", "Q2", "Q3", "Q4"].map((c) => h("th", { scope: "col" }, c)))),
      h(
        "tbody",
        {},
        series.map((p) =>
          h("tr", {}, h("td", {}, p.period), [p.count, num(p.goldstein_sum), num(p.goldstein_mean, 2), p.quad1, p.quad2, p.quad3, p.quad4].map((v) => h("td", { class: "num" }, v ?? 0))),
        ),
      ),
    ),
  );
}

async function topActors(body, signal) {
  replace(body, loading());
  const { items } = await api.get("/api/actors", { limit: 30 }, { signal });
  replace(
    body,
    h("h2", {}, "Actors with the most events"),
    items.length
      ? h("ul", { class: "chips" }, items.map((a) => h("li", {}, h("a", { href: withQuery("/timelines", { actor: a.code }), "data-nav": true }, h("code", {}, a.code), ` ${a.name ?? ""} (${a.count})`))))
      : h("p", { class: "muted" }, "No actors stored yet."),
  );
}
