import { send } from "./api.js";
import { escapeHtml, formatInstant } from "./format.js";
import { html, setTitle, table, tableBox } from "./ui.js";

// The reader's key lives in this module while the page is open: never stored, never in the address bar.
let key = null;

const example = `{ "id": "<delivery id>", "event": "shift",
  "data": { "actor": "us", "topic": "…", "kind": "full-flop", "at": "2025-08-26",
            "from": { … }, "to": { … }, "provisional": true, "attribution": "anonymous-officials" } }`;

/** Webhooks: how deliveries look, and, with a key, the reader's subscriptions, their deliveries and a form to add one. */
export async function showWebhooks(main, reg) {
  setTitle("Webhooks");
  main.innerHTML = html`
    <h1>Webhooks</h1>
    <p class="question">Shifts pushed to your URL as they are recorded, for systems that cannot keep
      <a href="shifts/stream">the live stream</a> open.</p>
    <section aria-labelledby="how-heading">
      <h2 id="how-heading">What your URL receives</h2>
      <p>A <code>POST</code> for every shift that passes your filters:</p>
      <pre><code>${escapeHtml(example)}</code></pre>
      <ul>
        <li><code>Positions-Delivery</code> is the delivery's id: the same on every retry, so you can drop duplicates.</li>
        <li><code>Positions-Signature</code> is <code>sha256=</code> and the hex HMAC-SHA256 of the raw body, keyed with your secret:
          compute it and compare before you trust the body.</li>
        <li>Answer 2xx within 10 s (unless the operator sets another timeout). Anything else is tried again after 1 s, 5 s, 30 s, 2 min, 10 min, 1 h and 6 h;
          deliveries survive restarts of the service. Redirects are not followed.</li>
        <li>The service calls only the hosts its operator lists in <code>Positions:Webhooks:AllowedHosts</code>.</li>
      </ul>
    </section>
    <section aria-labelledby="yours-heading">
      <h2 id="yours-heading">Your subscriptions</h2>
      <form id="key-form" class="inline-form">
        <label for="api-key">API key</label>
        <input type="password" id="api-key" autocomplete="off" required aria-describedby="key-help">
        <button type="submit">Show</button>
      </form>
      <p class="help" id="key-help">Subscriptions need a key, to read them too. It stays in this page, goes only to this
        service, and is forgotten when you leave.</p>
      <p class="error" role="alert" id="key-error"></p>
      <div id="subscriptions"></div>
      <div id="deliveries"></div>
    </section>
    <section aria-labelledby="subscribe-heading" id="subscribe" hidden>
      <h2 id="subscribe-heading">Subscribe a URL</h2>
      <form id="subscribe-form" class="stacked-form" novalidate>
        <label for="sub-url">URL</label>
        <input type="url" id="sub-url" name="url" required placeholder="https://hooks.example.org/positions">
        <label for="sub-secret">Secret (16 to 256 characters)</label>
        <input type="password" id="sub-secret" name="secret" required minlength="16" autocomplete="new-password">
        <label for="sub-actor">Only this actor (optional)</label>
        <select id="sub-actor" name="actor"><option value="">Any actor</option>${reg.actors.map(a =>
          html`<option value="${escapeHtml(a.id)}">${escapeHtml(a.name)}</option>`).join("")}</select>
        <label for="sub-topic">Only this topic (optional)</label>
        <select id="sub-topic" name="topic"><option value="">Any topic</option>${reg.topics.map(t =>
          html`<option value="${escapeHtml(t.id)}">${escapeHtml(t.title)}</option>`).join("")}</select>
        <label for="sub-kind">Only this kind (optional)</label>
        <select id="sub-kind" name="kind"><option value="">Full-flops and half-flips</option>
          <option value="full-flop">Full-flops</option><option value="half-flip">Half-flips</option></select>
        <label for="sub-firm">Attribution (optional)</label>
        <select id="sub-firm" name="firm"><option value="">Firm and provisional</option>
          <option value="true">Firm only</option><option value="false">Provisional only</option></select>
        <button type="submit">Subscribe</button>
        <div role="alert" id="subscribe-error"></div>
      </form>
    </section>`;

  main.querySelector("#key-form").addEventListener("submit", async event => {
    event.preventDefault();
    key = main.querySelector("#api-key").value.trim();
    await showSubscriptions(main);
  });
  main.querySelector("#subscribe-form").addEventListener("submit", async event => {
    event.preventDefault();
    const form = new FormData(event.target);
    const body = { url: form.get("url"), secret: form.get("secret") };
    for (const field of ["actor", "topic", "kind"]) if (form.get(field)) body[field] = form.get(field);
    if (form.get("firm")) body.firm = form.get("firm") === "true";
    const error = main.querySelector("#subscribe-error");
    try {
      await send("POST", "subscriptions", key, body);
      error.innerHTML = "";
      event.target.reset();
      await showSubscriptions(main);
    } catch (problem) {
      error.innerHTML = problemHtml(problem);
    }
  });
  if (key) await showSubscriptions(main);
}

async function showSubscriptions(main) {
  const el = main.querySelector("#subscriptions");
  const error = main.querySelector("#key-error");
  main.querySelector("#deliveries").innerHTML = "";
  let page;
  try {
    page = await send("GET", "subscriptions?limit=1000", key);
  } catch (problem) {
    error.textContent = problem.status === 401 ? "That key is not one this service knows." : problem.message;
    el.innerHTML = "";
    main.querySelector("#subscribe").hidden = true;
    return;
  }
  error.textContent = "";
  main.querySelector("#subscribe").hidden = false;
  const filters = s => [s.actor && `actor ${s.actor}`, s.topic && `topic ${s.topic}`, s.kind, s.firm === true ? "firm" : s.firm === false ? "provisional" : null]
    .filter(Boolean).join(", ") || "every shift";
  el.innerHTML = tableBox("Subscriptions", table("Subscriptions, oldest first", [
    { key: "url", label: "URL", html: s => html`<code>${escapeHtml(s.url)}</code>` },
    { key: "filters", label: "Receives", html: s => escapeHtml(filters(s)) },
    { key: "createdAt", label: "Since", html: s => escapeHtml(formatInstant(s.createdAt)) },
    { key: "createdBy", label: "By" },
    { key: "actions", label: "Actions", html: s => html`<button type="button" data-deliveries="${escapeHtml(s.id)}">Deliveries</button>
      <button type="button" data-delete="${escapeHtml(s.id)}" aria-label="Delete the subscription of ${escapeHtml(s.url)}">Delete</button>` },
  ], page.items), "subscriptions-table");
  for (const button of el.querySelectorAll("[data-deliveries]"))
    button.addEventListener("click", () => showDeliveries(main, button.dataset.deliveries));
  for (const button of el.querySelectorAll("[data-delete]"))
    button.addEventListener("click", async () => {
      await send("DELETE", `subscriptions/${encodeURIComponent(button.dataset.delete)}`, key).catch(problem => { error.textContent = problem.message; });
      await showSubscriptions(main);
    });
}

async function showDeliveries(main, id) {
  const el = main.querySelector("#deliveries");
  let page;
  try {
    page = await send("GET", `subscriptions/${encodeURIComponent(id)}/deliveries?limit=100`, key);
  } catch (problem) {
    el.innerHTML = html`<p class="error" role="alert">${escapeHtml(problem.message)}</p>`;
    return;
  }
  const attempt = a => a.status == null && a.error == null
    ? `#${a.number} ${formatInstant(a.at)}: cut short (the service stopped), made again`
    : `#${a.number} ${formatInstant(a.at)}: ${a.status ?? "no answer"}${a.error ? ` (${a.error})` : ""}`;
  el.innerHTML = html`<h3>Deliveries, newest first</h3>` + tableBox("Deliveries", table("The latest 100 deliveries and every attempt", [
    { key: "shift", label: "Shift", html: d => escapeHtml(`${d.body.data.actor} on ${d.body.data.topic}: ${d.body.data.kind}`) },
    { key: "state", label: "State" },
    { key: "createdAt", label: "Made", html: d => escapeHtml(formatInstant(d.createdAt)) },
    { key: "attempts", label: "Attempts", html: d => html`<ol class="attempts">${d.attempts.map(a => html`<li>${escapeHtml(attempt(a))}</li>`).join("")}</ol>` },
    { key: "id", label: "Delivery id", html: d => html`<code>${escapeHtml(d.id)}</code>` },
  ], page.items), "deliveries-table");
}

function problemHtml(problem) {
  const errors = Object.entries(problem.errors ?? {});
  return errors.length
    ? html`<p class="error">${escapeHtml(problem.message)}</p><ul class="error">${errors.map(([field, messages]) =>
      html`<li><b>${escapeHtml(field)}</b> ${escapeHtml(messages.join("; "))}</li>`).join("")}</ul>`
    : html`<p class="error">${escapeHtml(problem.message)}</p>`;
}
