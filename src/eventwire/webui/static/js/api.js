// The JSON API client: every page reads its data through here, and every error becomes an ApiError.

const TOKEN_KEY = "eventwire.token";

/** An API error with the problem+json fields the server sends (title, detail, status). */
export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title || `HTTP ${status}`;
    this.detail = detail || "";
  }
}

/** The token analysts entered for this tab, or null. */
export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Remember a token for this tab only (an empty value forgets it). */
export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** GET an API path with query parameters (empty ones dropped) and return its JSON. */
export async function get(path, params = {}, { signal } = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") query.set(key, value);
  }
  const text = query.toString();
  return request(text ? `${path}?${text}` : path, { signal });
}

/** POST JSON to an API path, with the tab's token when there is one, and return the JSON reply. */
export async function post(path, body) {
  const headers = { "Content-Type": "application/json" };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  return request(path, { method: "POST", headers, body: JSON.stringify(body) });
}

async function request(url, init) {
  let response;
  try {
    response = await fetch(url, { ...init, headers: { Accept: "application/json", ...(init.headers ?? {}) } });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "Network error", "The server could not be reached.");
  }
  if (!response.ok) throw await problem(response);
  if (response.status === 204) return null;
  return response.json();
}

/** The error a failed response describes: problem+json, FastAPI's validation list, or the status alone. */
async function problem(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: the status line says enough
  }
  const title = (body && typeof body.title === "string" && body.title) || response.statusText;
  return new ApiError(response.status, title, detailText(body?.detail));
}

function detailText(detail) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    // Request validation errors: one line per field.
    return detail.map((d) => `${(d.loc ?? []).filter((p) => p !== "query" && p !== "body").join(".")}: ${d.msg}`).join("; ");
  }
  return detail ? JSON.stringify(detail) : "";
}
