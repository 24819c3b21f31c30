// Text with highlighted spans (actors, triggers, quotes, places, dates), built from character offsets.

import { h } from "./dom.js";

/**
 * Cut a text at every span boundary: [{text, spans}] where spans are those covering the piece.
 * Spans are {start, end, kind, label?, href?} with offsets into the text; bad offsets are clipped or skipped.
 */
export function segments(text, spans) {
  const valid = spans
    .filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.end > s.start)
    .map((s) => ({ ...s, start: Math.max(0, s.start), end: Math.min(text.length, s.end) }))
    .filter((s) => s.end > s.start);
  const cuts = new Set([0, text.length]);
  for (const s of valid) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const pieces = [];
  for (let i = 0; i < points.length - 1; i++) {
    const [from, to] = [points[i], points[i + 1]];
    const covering = valid.filter((s) => s.start <= from && s.end >= to);
    pieces.push({ text: text.slice(from, to), spans: covering, start: from });
  }
  return pieces;
}

/** A fragment of the text with each highlighted piece in an element styled by its kinds (text is never parsed as HTML). */
export function highlighted(text, spans) {
  const fragment = document.createDocumentFragment();
  for (const piece of segments(text, spans)) {
    fragment.append(piece.spans.length ? pieceElement(piece) : document.createTextNode(piece.text));
  }
  return fragment;
}

function pieceElement({ text, spans, start }) {
  const kinds = [...new Set(spans.map((s) => s.kind))];
  const label = spans.map((s) => s.label).filter(Boolean).join(" · ");
  const link = spans.find((s) => s.href);
  const attrs = {
    class: ["hl", ...kinds.map((k) => `hl-${k}`)].join(" "),
    "data-kind": kinds.join(" "),
    "data-start": start,
    "data-mentions": spans.filter((s) => s.id !== undefined && s.id !== null).map((s) => s.id).join(" ") || null,
    title: label || null,
  };
  if (link) return h("a", { ...attrs, href: link.href, "data-nav": true }, text);
  return h("span", attrs, text);
}

/** The legend of the highlight kinds shown, as a list with a sample of each style. */
export function legend(kinds) {
  return h(
    "ul",
    { class: "legend", "aria-label": "Legend" },
    kinds.map(([kind, label, count]) =>
      h("li", {}, h("span", { class: `hl hl-${kind}`, "aria-hidden": "true" }, "Abc"), ` ${label}`, count === undefined ? null : h("span", { class: "count" }, ` (${count})`)),
    ),
  );
}
