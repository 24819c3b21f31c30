// One event: what was coded, the sentences that report it with their spans highlighted, and the correction loop.

import * as api from "./api.js";
import { h, loading, names, num, replace, withQuery } from "./dom.js";
import { quadBadge, statusBadge } from "./explorer.js";
import { highlighted, legend } from "./highlight.js";
import { correctionForm } from "./corrections.js";

/** Render the event page for an event id. */
export async function render(main, { id }, _query, signal) {
  replace(main, loading());
  const data = await api.get(`/api/events/${encodeURIComponent(id)}`, {}, { signal });
  const reload = () => render(main, { id }, _query, undefined);
  const { event, mentions = [], corrections = [] } = data;
  document.title = `${event.code} ${event.code_name ?? ""} · eventwire`;
  replace(
    main,
    h("p", { class: "breadcrumb" }, h("a", { href: "/", "data-nav": true }, "Events"), " › ", event.id),
    summary(event),
    h(
      "section",
      { "aria-labelledby": "mentions-title" },
      h("h2", { id: "mentions-title" }, `Mentions (${mentions.length})`),
      legend([
        ["trigger", "Event trigger"],
        ["source", "Source actor"],
        ["target", "Target actor"],
      ]),
      h("ol", { class: "mentions" }, mentions.map(mentionItem)),
    ),
    h(
      "div",
      { class: "two-col" },
      correctionsSection(corrections),
      h("section", { "aria-labelledby": "correct-title", class: "card" }, h("h2", { id: "correct-title" }, "Correct this event"), correctionForm(event, reload)),
    ),
  );
}

function summary(event) {
  const dyad = `${event.source?.join("+") || ""}/${event.target?.join("+") || ""}`;
  return h(
    "section",
    { class: "event-summary card", "aria-labelledby": "event-title" },
    h("h1", { id: "event-title" }, h("code", {}, event.code), " ", event.code_name ?? "", " ", statusBadge(event)),
    h("p", { class: "dyad" }, actorList(event.source, event.source_names), h("span", { class: "arrow", "aria-label": "acts on" }, " → "), actorList(event.target, event.target_names)),
    h(
      "dl",
      { class: "facts" },
      fact("Date", event.date ?? "–"),
      fact("QuadClass", quadBadge(event.quad_class)),
      fact("Goldstein", num(event.goldstein)),
      fact("CAMEO root", event.root ?? "–"),
      fact("PLOVER", event.plover ?? "–"),
      fact("Confidence", num(event.confidence, 2)),
      fact("Mentions · sources · articles", `${event.num_mentions ?? "–"} · ${event.num_sources ?? "–"} · ${event.num_articles ?? "–"}`),
      fact("Place", event.place_name ? `${event.place_name}${event.lat != null ? ` (${num(event.lat, 2)}, ${num(event.lon, 2)})` : ""}` : "–"),
    ),
    machineCoding(event),
    h(
      "p",
      { class: "links" },
      event.source?.length && event.target?.length
        ? h("a", { href: withQuery("/timelines", { source: event.source[0], target: event.target[0] }), "data-nav": true }, `Timeline of this dyad (${dyad})`)
        : null,
    ),
  );
}

/** What the machine coded, when an analyst's fix changed it. */
function machineCoding(event) {
  const m = event.machine;
  if (!m || !event.corrected) return null;
  const same = m.code === event.code && names(m.source) === names(event.source) && names(m.target) === names(event.target) && m.date === event.date;
  if (same) return null;
  return h("p", { class: "muted machine" }, "Machine coding: ", h("code", {}, m.code ?? "–"), ` ${names(m.source)} → ${names(m.target)}, ${m.date ?? "no date"}`);
}

function fact(term, value) {
  return [h("dt", {}, term), h("dd", {}, value)];
}

function actorList(codes = [], labels = []) {
  if (!codes.length) return h("span", { class: "muted" }, "(none)");
  return codes.map((code, i) => [i ? ", " : "", h("span", { class: "actor" }, labels?.[i] && labels[i] !== code ? `${labels[i]} ` : "", h("code", {}, code))]);
}

function mentionItem(mention) {
  const offset = mention.sentence_start ?? 0;
  const span = (kind, start, end, label) =>
    Number.isInteger(start) && Number.isInteger(end) ? { kind, start: start - offset, end: end - offset, label } : null;
  const spans = [
    span("source", mention.source_start, mention.source_end, "source"),
    span("target", mention.target_start, mention.target_end, "target"),
    span("trigger", mention.trigger_start, mention.trigger_end, `trigger ${mention.code ?? ""}`),
  ].filter(Boolean);
  const articleHref = `/articles/${encodeURIComponent(mention.article_id)}#mention-${encodeURIComponent(mention.id)}`;
  return h(
    "li",
    { class: "mention card", "data-id": mention.id },
    h("blockquote", { class: "sentence" }, highlighted(mention.sentence_text ?? "", spans)),
    h(
      "p",
      { class: "meta" },
      h("a", { href: articleHref, "data-nav": true }, mention.article_title || mention.article_id),
      ` · sentence ${mention.sentence_idx ?? "–"} · code `,
      h("code", {}, mention.code ?? "–"),
      ` · confidence ${num(mention.confidence, 2)}`,
      mention.rule ? [" · rule ", h("code", {}, mention.rule)] : null,
      modeText(mention.modes),
    ),
  );
}

function modeText(modes) {
  if (!modes || typeof modes !== "object") return null;
  const set = Object.entries(modes).filter(([, v]) => v && v !== "asserted").map(([k, v]) => (v === true ? k : `${k}: ${v}`));
  return set.length ? ` · ${set.join(", ")}` : null;
}

function correctionsSection(corrections) {
  return h(
    "section",
    { "aria-labelledby": "history-title", class: "card" },
    h("h2", { id: "history-title" }, "Corrections"),
    corrections.length
      ? h("ol", { class: "corrections" }, corrections.map(correctionItem))
      : h("p", { class: "muted" }, "No analyst has reviewed this event yet."),
  );
}

function correctionItem(c) {
  const was = (value) => (value !== undefined && value !== null ? ` (was ${Array.isArray(value) ? names(value) : value})` : "");
  const changes = [
    c.code ? ["code ", h("code", {}, c.code), was(c.machine_code)] : null,
    c.source ? `source ${names(c.source)}${was(c.machine_source)}` : null,
    c.target ? `target ${names(c.target)}${was(c.machine_target)}` : null,
    (c.date ?? c.event_date) ? `date ${c.date ?? c.event_date}${was(c.machine_date)}` : null,
  ].filter(Boolean);
  return h(
    "li",
    { class: "correction" },
    h("span", { class: `badge verdict verdict-${c.verdict}` }, c.verdict ?? "?"),
    " by ",
    h("strong", {}, c.author ?? "?"),
    c.created_at ? h("span", { class: "muted" }, ` on ${String(c.created_at).slice(0, 16).replace("T", " ")}`) : null,
    changes.length ? h("div", {}, changes.map((x, i) => [i ? "; " : "", x])) : null,
    c.note ? h("div", { class: "note" }, c.note) : null,
  );
}
