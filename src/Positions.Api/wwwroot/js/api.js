// The pages read the service's public JSON endpoints; the webhooks page alone sends a key, which the reader types.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
  }
}

export async function get(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value != null && value !== "") query.set(key, value);
  const url = query.size ? `${path}?${query}` : path;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/** A whole list, following next cursors (the registries and one topic's statements are small). */
export async function getAll(path, params = {}) {
  const items = [];
  let after = null;
  do {
    const page = await get(path, { ...params, limit: 1000, after });
    items.push(...page.items);
    after = page.next;
  } while (after);
  return items;
}

let cachedRegistries;
/** Actors and topics by id, for names and titles. */
export function registries() {
  cachedRegistries ??= Promise.all([getAll("actors"), getAll("topics")]).then(([actors, topics]) => ({
    actors, topics,
    actor: new Map(actors.map(a => [a.id, a])),
    topic: new Map(topics.map(t => [t.id, t])),
  }));
  return cachedRegistries;
}

/** A request with the reader's API key (the webhooks page): the body as JSON, the answer's JSON or null. */
export async function send(method, path, key, body) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${key}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json().catch(() => null);
  if (!response.ok) throw Object.assign(new ApiError(response.status, answer), { errors: answer?.errors ?? null });
  return answer;
}
