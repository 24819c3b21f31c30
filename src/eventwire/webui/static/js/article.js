// The article reader: the stored text with actors, event triggers, quotes, places and dates highlighted.

import * as api from "./api.js";
import { h, loading, num, replace } from "./dom.js";
import { highlighted, legend } from "./highlight.js";

/** Render the reader for an article id; a #mention-ID hash scrolls to that trigger. */
export async function render(main, { id }, _query, signal) {
  replace(main, loading());
  const data = await api.get(`/api/articles/${encodeURIComponent(id)}`, {}, { signal });
  const { article } = data;
  const layers = spanLayers(data);
  document.title = `${article.title || article.id} · eventwire`;
  replace(
    main,
    h("p", { class: "breadcrumb" }, h("a", { href: "/articles", "data-nav": true }, "Articles"), " › ", article.id),
    h("h1", { class: "article-title" }, article.title || "(untitled)"),
    h(
      "p",
      { class: "meta" },
      article.pub_date ?? "date unknown",
      article.outlet ? ` · ${article.outlet}` : "",
      article.url ? [" · ", h("a", { href: article.url, rel: "noopener noreferrer nofollow", target: "_blank" }, "original")] : null,
    ),
    legend(layers.map(([kind, label, spans]) => [kind, label, spans.length])),
    h(
      "div",
      { class: "reader" },
      h("article", { class: "article-text", "aria-label": "Article text" }, highlighted(article.text ?? "", layers.flatMap(([, , spans]) => spans))),
      eventList(data.mentions ?? []),
    ),
  );
  scrollToMention(main);
}

/** The highlight layers of an article: [kind, legend label, spans]. Quotes come first so that others sit on top. */
function spanLayers({ actors = [], mentions = [], quotes = [], places = [], dates = [] }) {
  return [
    ["quote", "Quote", quotes.map((q) => ({ kind: "quote", start: q.start, end: q.end, label: `${q.kind ?? ""} quote${q.speaker_code ? ` by ${q.speaker_code}` : q.speaker_text ? ` by ${q.speaker_text}` : ""}` }))],
    ["actor", "Actor", actors.map((a) => ({ kind: "actor", start: a.start, end: a.end, label: a.code ? `${a.code}${a.name ? ` ${a.name}` : ""}` : "uncoded actor" }))],
    [
      "trigger",
      "Event trigger (links to the event)",
      mentions.map((m) => ({
        kind: "trigger",
        start: m.start,
        end: m.end,
        label: `${m.code ?? ""} ${m.code_name ?? ""}`.trim(),
        href: m.event_id ? `/events/${encodeURIComponent(m.event_id)}` : null,
        id: m.id,
      })),
    ],
    ["place", "Place", places.map((p) => ({ kind: "place", start: p.start, end: p.end, label: `${p.name ?? ""}${p.role ? ` (${p.role})` : ""}${p.lat != null ? ` ${num(p.lat, 2)}, ${num(p.lon, 2)}` : ""}` }))],
    ["date", "Date", dates.map((d) => ({ kind: "date", start: d.start, end: d.end, label: d.value ? `date ${d.value}` : "date" }))],
  ];
}

/** The article's event mentions in text order, each linking to its event. */
function eventList(mentions) {
  const sorted = [...mentions].sort((a, b) => a.start - b.start);
  return h(
    "aside",
    { class: "card side", "aria-labelledby": "side-title" },
    h("h2", { id: "side-title" }, `Event mentions (${mentions.length})`),
    sorted.length
      ? h(
          "ol",
          {},
          sorted.map((m) =>
            h("li", {}, m.event_id ? h("a", { href: `/events/${encodeURIComponent(m.event_id)}`, "data-nav": true }, h("code", {}, m.code), ` ${m.code_name ?? ""}`) : [h("code", {}, m.code), ` ${m.code_name ?? ""}`]),
          ),
        )
      : h("p", { class: "muted" }, "No event was coded in this article."),
  );
}

function scrollToMention(main) {
  const match = location.hash.match(/^#mention-(.+)$/);
  if (!match) return;
  let wanted;
  try {
    wanted = decodeURIComponent(match[1]);
  } catch {
    return; // a malformed address (#mention-%E0) names no mention: show the article unscrolled
  }
  const piece = [...main.querySelectorAll(".hl-trigger")].find((el) => el.dataset.mentions?.split(" ").includes(wanted));
  if (piece) {
    piece.classList.add("focused");
    piece.scrollIntoView({ block: "center" });
  }
}
