// DOM helpers. Text from the API only ever reaches the page as text nodes or attribute values, never as markup.

/** Create an element: attributes (on* handlers as functions), then children (strings become text nodes). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    setAttribute(el, name, value);
  }
  append(el, children);
  return el;
}

function setAttribute(el, name, value) {
  if (value === null || value === undefined || value === false) return;
  if (name.startsWith("on") && typeof value === "function") {
    el.addEventListener(name.slice(2).toLowerCase(), value);
  } else if (name === "dataset") {
    Object.assign(el.dataset, value);
  } else if (name === "href") {
    el.setAttribute("href", safeHref(value));
  } else if (value === true) {
    el.setAttribute(name, "");
  } else {
    el.setAttribute(name, String(value));
  }
}

/** Append children: nodes as they are, strings and numbers as text, arrays flattened, null skipped. */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replace an element's content. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A link target that cannot run script: same-site paths, or http(s) URLs. */
export function safeHref(value) {
  const text = String(value ?? "");
  // Browsers read a backslash as a slash, so "/\host" is another site, not a path of this one.
  if (text.startsWith("/\\")) return "#";
  if (text.startsWith("/") && !text.startsWith("//")) return text;
  try {
    const url = new URL(text, location.origin);
    if (url.protocol === "http:" || url.protocol === "https:") return url.href;
  } catch {
    // not a URL at all
  }
  return "#";
}

/** A number with a fixed count of decimals, or a dash when there is none. */
export function num(value, digits = 1) {
  return typeof value === "number" && Number.isFinite(value) ? value.toFixed(digits) : "–";
}

/** A list of actor codes or names as one string. */
export function names(list) {
  return Array.isArray(list) && list.length ? list.join(", ") : "–";
}

/** The path of the current page with new query parameters (empty ones dropped). */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") query.set(key, value);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** Values of a form as a plain object (empty strings dropped). */
export function formValues(form) {
  const values = {};
  for (const [key, value] of new FormData(form)) {
    if (typeof value === "string" && value.trim() !== "") values[key] = value.trim();
  }
  return values;
}

/** A labelled form field (input or select) in a wrapper. */
export function field(label, control, hint) {
  const id = control.id || `f-${control.name}`;
  control.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hint ? h("small", {}, hint) : null);
}

/** A select built from [value, label] pairs, with the current value chosen. */
export function select(name, options, current) {
  const el = h("select", { name });
  for (const [value, label] of options) {
    el.append(h("option", { value, selected: String(value) === String(current ?? "") }, label));
  }
  return el;
}

/** A loading placeholder announced to screen readers. */
export function loading(text = "Loading…") {
  return h("p", { class: "loading", role: "status" }, text);
}
