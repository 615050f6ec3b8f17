import { get } from "./api.js";
import { escapeHtml, formatSaid, stanceBy, stanceLabel } from "./format.js";
import { urlFor } from "./state.js";
import { downloads, html, setTitle, stamp, table, tableBox } from "./ui.js";

const columns = [
  { key: "at", label: "When", html: r => escapeHtml(formatSaid(r.at, r.precision)) },
  { key: "actorName", label: "Actor", html: r => html`<a href="${urlFor({ actor: r.actor, topic: r.topic })}">${escapeHtml(r.actorName)}</a>` },
  { key: "topicTitle", label: "Topic", html: r => html`<a href="${urlFor({ topic: r.topic })}">${escapeHtml(r.topicTitle)}</a>` },
  { key: "kind", label: "Shift", html: r => html`<b>${escapeHtml(r.kind)}</b>` },
  { key: "from", label: "From", html: r => chip(r.from) },
  { key: "to", label: "To", html: r => chip(r.to) },
];
const csvColumns = [{ key: "at" }, { key: "actor" }, { key: "actorName" }, { key: "topic" }, { key: "topicTitle" }, { key: "kind" }, { key: "from" }, { key: "fromSaidAt" }, { key: "to" }, { key: "statementId" }];
const chip = stance => html`<span class="chip" style="--c:${stanceBy[stance]?.colour}">${escapeHtml(stanceLabel(stance))}</span>`;

let live = null;

/** Closes the live feed of the landing page, when the reader leaves it. */
export function stopLive() {
  live?.close();
  live = null;
}

/** GET /shifts/stream: each shift a write makes or changes, newest on top (the browser reconnects with Last-Event-ID). */
function followLive(list, reg) {
  stopLive();
  live = new EventSource("shifts/stream");
  live.addEventListener("shift", event => {
    const s = JSON.parse(event.data);
    const item = document.createElement("li");
    item.innerHTML = html`<a href="${urlFor({ actor: s.actor, topic: s.topic })}">${escapeHtml(reg.actor.get(s.actor)?.name ?? s.actor)}
      on ${escapeHtml(reg.topic.get(s.topic)?.title ?? s.topic)}</a>: ${escapeHtml(s.kind)}, ${chip(s.from.stance)} → ${chip(s.to.stance)}
      (${escapeHtml(formatSaid(s.at))})${s.provisional ? " <span class=\"muted\">provisional</span>" : ""}`;
    list.prepend(item);
  });
}

export async function showLanding(main, reg) {
  setTitle("Recent shifts");
  main.innerHTML = html`
    <h1>Recent shifts</h1>
    <p class="question">Where governments and officials changed their stance: full-flops reverse it, half-flips move or qualify it.</p>
    <div class="search" role="search">
      <label for="search">Find an actor or a topic</label>
      <input type="search" id="search" autocomplete="off" placeholder="e.g. United States, air defence" aria-controls="search-results">
      <ul id="search-results" class="results" aria-live="polite"></ul>
    </div>
    <p class="stamp" id="stamp"></p>
    <div id="cards" class="cards"></div>
    <section aria-labelledby="live-heading">
      <h2 id="live-heading">As it happens</h2>
      <p class="muted" id="live-note">New shifts appear here as they are recorded. Have them sent to your own URL
        with <a href="?view=webhooks">webhooks</a>.</p>
      <ul class="learned-shifts" id="live" aria-live="polite"></ul>
    </section>
    <section aria-labelledby="shifts-heading">
      <div class="section-head"><h2 id="shifts-heading">All shifts, newest first</h2><div class="downloads" id="downloads"></div></div>
      ${tableBox("Shifts table")}
    </section>
    <section aria-labelledby="topics-heading">
      <h2 id="topics-heading">Topics</h2>
      <ul class="topic-list">${reg.topics.map(t => html`<li><a href="${urlFor({ topic: t.id })}">${escapeHtml(t.title)}</a>
        <span class="muted">${escapeHtml(t.question ?? "")}</span></li>`).join("")}</ul>
    </section>
    <section aria-labelledby="learned-heading">
      <h2 id="learned-heading">What the record learned this week</h2>
      <div id="learned"><p class="loading" role="status">Loading…</p></div>
    </section>
    <section aria-labelledby="exports-heading">
      <h2 id="exports-heading">The whole record</h2>
      <p class="muted">Streamed from the service as it now knows it; add <code>knownAt</code> or the filters of the API to narrow them.</p>
      <ul class="exports">
        <li><a href="statements.ndjson" download>Every statement (NDJSON)</a> <span class="muted">each line importable with <code>POST /imports</code></span></li>
        <li><a href="positions.csv" download>Every position now (CSV)</a></li>
        <li><a href="shifts.csv" download>Every shift (CSV)</a></li>
        <li><a href="statements.plover.json" download>Every statement as PLOVER-style event records (JSON)</a></li>
      </ul>
    </section>`;

  const input = main.querySelector("#search");
  const results = main.querySelector("#search-results");
  input.addEventListener("input", () => {
    const q = input.value.trim().toLowerCase();
    if (!q) { results.innerHTML = ""; return; }
    const topics = reg.topics.filter(t => `${t.id} ${t.title} ${t.question ?? ""}`.toLowerCase().includes(q))
      .map(t => html`<li><a href="${urlFor({ topic: t.id })}"><span class="kind">Topic</span> ${escapeHtml(t.title)}</a></li>`);
    const actors = reg.actors.filter(a => `${a.id} ${a.name}`.toLowerCase().includes(q))
      .map(a => html`<li><a href="${urlFor({ actor: a.id })}"><span class="kind">${escapeHtml(a.kind)}</span> ${escapeHtml(a.name)}</a></li>`);
    const found = [...topics, ...actors].slice(0, 12);
    results.innerHTML = found.length ? found.join("") : `<li class="muted">Nothing matches.</li>`;
  });

  followLive(main.querySelector("#live"), reg);
  const fetchedAt = new Date().toISOString();
  const shifts = (await get("shifts", { limit: 200 })).items;
  const rows = shifts.map(s => ({
    at: s.at, precision: null, actor: s.actor, actorName: reg.actor.get(s.actor)?.name ?? s.actor, topic: s.topic,
    topicTitle: reg.topic.get(s.topic)?.title ?? s.topic, kind: s.kind, from: s.from.stance, fromSaidAt: s.from.saidAt,
    to: s.to.stance, statementId: s.to.statementId,
  }));
  main.querySelector("#stamp").innerHTML = stamp(fetchedAt, fetchedAt);
  main.querySelector("#cards").innerHTML = rows.slice(0, 6).map(r => html`
    <a class="card" href="${urlFor({ actor: r.actor, topic: r.topic })}">
      <span class="card-kind">${escapeHtml(r.kind)} · ${escapeHtml(formatSaid(r.at))}</span>
      <span class="card-title">${escapeHtml(r.actorName)}</span>
      <span class="card-topic">${escapeHtml(r.topicTitle)}</span>
      <span class="card-move">${chip(r.from)} <span aria-label="to">→</span> ${chip(r.to)}</span>
    </a>`).join("") || `<p class="empty">No shifts recorded yet.</p>`;
  main.querySelector("#table").innerHTML = table("Shifts as now known, newest first", columns, rows);
  downloads(main.querySelector("#downloads"), "positions-shifts", csvColumns, rows);
  await showLearned(main.querySelector("#learned"), reg, new Date(Date.now() - 7 * 864e5).toISOString());
}

/** GET /changes for the last seven days: how many revisions of each kind, and the shifts that came and went. */
async function showLearned(el, reg, since) {
  const changes = await get("changes", { since, limit: 1000 });
  const counts = {};
  for (const item of changes.items) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
  const kinds = ["recorded", "corrected", "retracted", "sourced"].filter(k => counts[k]);
  const shift = s => html`<li><a href="${urlFor({ actor: s.actor, topic: s.topic })}">${escapeHtml(reg.actor.get(s.actor)?.name ?? s.actor)}
    on ${escapeHtml(reg.topic.get(s.topic)?.title ?? s.topic)}</a>: ${escapeHtml(s.kind)}, ${chip(s.from.stance)} → ${chip(s.to.stance)}
    (${escapeHtml(formatSaid(s.at))})${s.provisional ? " <span class=\"muted\">provisional</span>" : ""}</li>`;
  el.innerHTML = html`
    <p>${kinds.length ? kinds.map(k => `${counts[k]}${changes.next ? "+" : ""} ${k}`).join(", ") : "Nothing recorded"} since
      ${escapeHtml(formatSaid(changes.since))}.</p>
    <h3>Shifts that appeared</h3>
    ${changes.shifts.appeared.length ? html`<ul class="learned-shifts" id="appeared">${changes.shifts.appeared.map(shift).join("")}</ul>` : `<p class="muted">None.</p>`}
    <h3>Shifts that vanished</h3>
    ${changes.shifts.vanished.length ? html`<ul class="learned-shifts" id="vanished">${changes.shifts.vanished.map(shift).join("")}</ul>` : `<p class="muted">None: no correction or retraction took a shift away.</p>`}`;
}
