// Every view's state lives in the address bar, so a view can be shared and cited.
const keys = ["view", "actor", "topic", "asOf", "knownAt", "marks"];

export function readState() {
  const params = new URLSearchParams(location.search);
  return Object.fromEntries(keys.map(k => [k, params.get(k) || null]));
}

export function urlFor(state) {
  const params = new URLSearchParams();
  for (const k of keys) if (state[k]) params.set(k, state[k]);
  return params.size ? `?${params}` : location.pathname;
}

export function writeState(state) {
  const url = urlFor(state);
  if (url !== location.search && !(url === location.pathname && !location.search)) history.pushState(null, "", url);
}
