import { get, getAll } from "./api.js";
import { attributionLabel, escapeHtml, formatDay, formatInstant, formatSaid, scoreLabel, stanceBy, stanceLabel, stances, toDate } from "./format.js";
import { narrowWidth, quietMarks, widestText } from "./chart.js";
import { writeState, urlFor } from "./state.js";
import { downloads, html, legend, setTitle, stamp, table, tableBox, timeControl } from "./ui.js";

const columns = [
  { key: "saidAt", label: "Said", html: r => escapeHtml(formatSaid(r.saidAt, r.saidAtPrecision)) },
  { key: "stance", label: "Stance", html: r => html`<span class="chip" style="--c:${stanceBy[r.stance]?.colour}">${escapeHtml(stanceLabel(r.stance))}</span>` },
  { key: "shift", label: "Shift", html: r => r.shift && r.shift !== "no-flip" ? html`<b>${escapeHtml(r.shift)}</b>` : escapeHtml(r.shift ?? "") },
  { key: "speaker", label: "Speaker" },
  { key: "text", label: "Quote or summary", html: r => r.quote ? html`<q>${escapeHtml(r.quote)}</q>` : escapeHtml(r.summary ?? "") },
  { key: "conditions", label: "Conditions" },
  { key: "outlet", label: "Source", html: r => sourceHtml(r) },
  { key: "status", label: "Status" },
];

const csvColumns = [
  { key: "statementId" }, { key: "saidAt" }, { key: "saidAtPrecision" }, { key: "stance" }, { key: "score" }, { key: "shift" },
  { key: "speaker" }, { key: "quote" }, { key: "summary" }, { key: "conditions" }, { key: "outlet" }, { key: "url" },
  { key: "publishedAt" }, { key: "attribution" }, { key: "status" }, { key: "recordedAt" },
];

function sourceHtml(r) {
  const outlet = r.url ? html`<a href="${escapeHtml(r.url)}" rel="noopener">${escapeHtml(r.outlet)}</a>` : escapeHtml(r.outlet);
  return html`${outlet}, ${escapeHtml(formatDay(r.publishedAt))} <span class="muted">(${escapeHtml(attributionLabel(r.attribution))})</span>`;
}

export async function showTimeline(main, state, reg) {
  const actor = reg.actor.get(state.actor);
  const topic = reg.topic.get(state.topic);
  const actorName = actor?.name ?? state.actor;
  const topicTitle = topic?.title ?? state.topic;
  setTitle(`${actorName} on ${topicTitle}`, "stance timeline");
  main.innerHTML = html`
    <nav class="crumbs" aria-label="Breadcrumb"><a href="./">Recent shifts</a> ›
      <a href="${urlFor({ topic: state.topic })}">All actors on this topic</a></nav>
    <h1><span class="actor-name">${escapeHtml(actorName)}</span> <span class="on">on</span> ${escapeHtml(topicTitle)}</h1>
    ${topic?.question ? html`<p class="question">${escapeHtml(topic.question)}</p>` : ""}
    <p class="headline" id="headline"></p>
    <form class="controls" aria-label="Time" onsubmit="return false">
      <div class="control" id="asof-control"></div>
      <div class="control" id="knownat-control"></div>
      <label class="check"><input type="checkbox" id="marks" ${state.marks ? "checked" : ""}> Mark retracted and corrected statements</label>
    </form>
    <p class="stamp" id="stamp" aria-live="polite"></p>
    <figure class="chart-figure">
      <figcaption class="sr-only">Stance score over time, one marker per statement</figcaption>
      ${legend()}
      <div class="chart" id="chart"></div>
      <div class="detail" id="statement-detail" role="region" aria-label="Statement" aria-live="polite" hidden></div>
    </figure>
    <div id="conditions"></div>
    <section aria-labelledby="statements-heading">
      <div class="section-head"><h2 id="statements-heading">Statements</h2><div class="downloads" id="downloads"></div></div>
      ${tableBox("Statements table")}
    </section>`;

  // The sliders step statement by statement: through every saidAt, and every moment the record changed.
  const known = await getAll("statements", { actor: state.actor, topic: state.topic });
  const revisionTimes = await Promise.all(known.filter(s => s.revision > 1).map(s =>
    get(`statements/${encodeURIComponent(s.statementId)}`).then(d => d.revisions.map(r => r.recordedAt))));
  const asOfSteps = known.map(s => s.saidAt.slice(0, 10));
  const knownAtSteps = [...known.map(s => s.recordedAt), ...revisionTimes.flat()];

  const redraw = () => draw(state, reg, actorName, topicTitle);
  timeControl(main.querySelector("#asof-control"), {
    id: "asof", label: "As of (world time)", fieldType: "date", steps: asOfSteps, value: state.asOf, format: formatDay,
    help: "What had been said by then. Steps from statement to statement.",
    onChange: v => { state.asOf = v; writeState(state); redraw(); },
  });
  timeControl(main.querySelector("#knownat-control"), {
    id: "knownat", label: "As known at (record time)", fieldType: "text", steps: knownAtSteps, value: state.knownAt, format: formatInstant,
    help: "What this service had recorded by then, before later reports and corrections.",
    onChange: v => { state.knownAt = v; writeState(state); redraw(); },
  });
  main.querySelector("#marks").addEventListener("change", e => { state.marks = e.target.checked ? "revisions" : null; writeState(state); redraw(); });
  await redraw();
}

let drawing = 0;
async function draw(state, reg, actorName, topicTitle) {
  const ticket = ++drawing;
  const time = { asOf: state.asOf, knownAt: state.knownAt };
  const [timeline, listed, positions] = await Promise.all([
    get(`actors/${encodeURIComponent(state.actor)}/positions/${encodeURIComponent(state.topic)}`, time),
    getAll("statements", { actor: state.actor, topic: state.topic, to: state.asOf, knownAt: state.knownAt }),
    get(`actors/${encodeURIComponent(state.actor)}/positions`, time),
  ]);
  const corrected = new Set();
  if (state.marks) {
    const details = await Promise.all(listed.filter(s => s.revision > 1).map(s => get(`statements/${encodeURIComponent(s.statementId)}`)));
    const knownAtMs = state.knownAt ? new Date(state.knownAt).getTime() : Infinity;
    for (const d of details)
      if (d.revisions.some(r => r.kind === "corrected" && new Date(r.recordedAt).getTime() <= knownAtMs)) corrected.add(d.statementId);
  }
  if (ticket !== drawing) return;

  const byId = new Map(listed.map(s => [s.statementId, s]));
  const counting = timeline.history.map(h => row(byId.get(h.statementId), h, corrected));
  const retracted = state.marks ? listed.filter(s => s.retracted).map(s => row(s, { ...s, shift: null }, corrected)) : [];
  const rows = [...counting, ...retracted].sort((a, b) => toDate(a.saidAt) - toDate(b.saidAt));

  const main = document.querySelector("main");
  main.querySelector("#stamp").innerHTML = stamp(positions.asOf, positions.knownAt, { asOfRequested: state.asOf, knownAtRequested: state.knownAt });
  main.querySelector("#headline").innerHTML = headline(timeline.current);
  const end = state.asOf ? toDate(state.asOf) : new Date(positions.asOf);
  renderChart(main.querySelector("#chart"), counting, retracted, end, !!state.marks);
  main.querySelector("#conditions").innerHTML = conditionsNote(counting, end) + provisionalNote(counting, end);
  main.querySelector("#table").innerHTML = table(
    `Statements by ${actorName} on ${topicTitle}, as shown in the chart`, columns, rows);
  downloads(main.querySelector("#downloads"), `positions-${state.actor}-${state.topic}`, csvColumns, rows);
}

function row(s, h, corrected) {
  const status = s?.retracted ? "retracted" : corrected.has(h.statementId) ? "corrected" : "counts";
  return {
    statementId: h.statementId, saidAt: h.saidAt, saidAtPrecision: s?.saidAtPrecision ?? "day", stance: h.stance,
    score: h.score, shift: h.shift, conditions: h.conditions ?? [], speaker: s ? speakerText(s.speaker) : "",
    quote: s?.quote ?? null, summary: s?.summary ?? null, outlet: s?.source.outlet ?? "", url: s?.source.url ?? null,
    publishedAt: s?.source.publishedAt ?? null, attribution: s?.source.attribution ?? null, status,
    recordedAt: s?.recordedAt ?? null, rowClass: status === "counts" ? "" : status,
    firm: firmAttributions.has(h.attribution),
  };
}

const speakerText = sp => sp.role ? `${sp.name}, ${sp.role}` : sp.name;

/** The actor's own words; anonymous officials and reports are not (API.md, "provisional"). */
const firmAttributions = new Set(["on-record", "official-statement", "spokesperson"]);

function headline(current) {
  if (!current) return "No statement on this topic counts at this time.";
  let text = html`<span class="chip big" style="--c:${stanceBy[current.stance]?.colour}">${escapeHtml(stanceLabel(current.stance))}</span>
    since ${escapeHtml(formatDay(current.since))}`;
  if (current.lastShift)
    text += html` — a <b>${escapeHtml(current.lastShift.kind)}</b> from ${escapeHtml(stanceLabel(current.lastShift.from).toLowerCase())}`;
  if (current.conditions.length) text += html`, on condition: ${escapeHtml(current.conditions.join("; "))}`;
  if (current.provisional)
    text += html` <span class="provisional-note">(provisional: it rests on ${escapeHtml(current.attribution.replace("-", " "))}, not the actor's own words)</span>`;
  return text;
}

/** Runs of one stance and one set of conditions: the spans where each condition holds. */
function runs(points, end) {
  const out = [];
  for (const p of points) {
    const last = out.at(-1);
    const key = `${p.score}|${p.conditions.join("\u0001")}`;
    if (last && last.key === key) { last.firm ||= p.firm; continue; }
    if (last) last.to = toDate(p.saidAt);
    out.push({ key, from: toDate(p.saidAt), to: end, score: p.score, conditions: p.conditions, since: p.saidAt, firm: p.firm });
  }
  return out;
}

function provisionalNote(points, end) {
  if (!runs(points, end).some(r => !r.firm)) return "";
  return html`<p class="provisional-key"><svg width="36" height="10" aria-hidden="true"><line x1="0" y1="5" x2="36" y2="5"
    stroke="#1f2937" stroke-width="2.5" stroke-dasharray="6,4"/></svg> Dashed stretches are <b>provisional</b>: no statement in
    them is on the record, an official statement or a spokesperson's; they rest on anonymous officials or on reports.</p>`;
}

function conditionsNote(points, end) {
  const conditional = runs(points, end).filter(r => r.conditions.length);
  if (!conditional.length) return "";
  return html`<div class="conditions"><h2>Conditions</h2><ul>${conditional.map(r => html`<li>
    <span class="condition-swatch" aria-hidden="true"></span>From ${escapeHtml(formatDay(r.since))}:
    ${escapeHtml(scoreLabel(r.score).toLowerCase())} on condition that ${escapeHtml(r.conditions.join("; "))}</li>`).join("")}</ul></div>`;
}

function renderChart(el, points, retracted, asOfEnd, marks) {
  const Plot = window.Plot;
  el.replaceChildren();
  hideDetail();
  if (!points.length && !retracted.length) {
    el.innerHTML = `<p class="empty">No statement by this actor on this topic counts at this time.</p>`;
    return;
  }
  const all = [...points, ...retracted];
  const dates = all.map(p => toDate(p.saidAt));
  const first = new Date(Math.min(...dates)), last = new Date(Math.max(...dates));
  const span = Math.max(last - first, 30 * 864e5);
  // Show the line beyond the last statement, but not years of unchanged line.
  const end = new Date(Math.max(last.getTime() + span * 0.18, Math.min(asOfEnd.getTime(), last.getTime() + span * 0.3)));
  const start = new Date(first.getTime() - span * 0.06);
  // One horizontal stretch per run, dashed where the run is provisional, joined by the steps between runs.
  const stretches = runs(points, end).map((r, i) => ({ ...r, i }));
  const stretchPoints = stretches.flatMap(r => [{ date: r.from, score: r.score, i: r.i, firm: r.firm }, { date: r.to, score: r.score, i: r.i, firm: r.firm }]);
  const steps = stretches.slice(1).map((r, i) => ({ date: r.from, from: stretches[i].score, to: r.score }));
  const withData = p => ({ ...p, date: toDate(p.saidAt) });
  const dots = points.map(withData), crossed = retracted.map(withData);
  const shifts = dots.filter(p => p.shift === "full-flop" || p.shift === "half-flip");
  const conditional = runs(points, end).filter(r => r.conditions.length);
  const width = Math.max(el.clientWidth, 320);
  const narrow = width < narrowWidth;
  // On a phone "Strongly supports" takes two lines, so the plot keeps most of the width.
  const yLabel = narrow ? score => scoreLabel(score).replace(" ", "\n") : scoreLabel;
  const scores = [-2, -1, 0, 1, 2];
  // Plot draws a y label 9 px (tick and padding) left of the frame; the margin holds the widest label whole.
  const marginLeft = widestText(scores.map(yLabel), el, 13) + 9 + 6, marginRight = 24;
  // About one month-and-year label per 90 px, so the x labels never run into each other.
  const xTicks = Math.max(2, Math.floor((width - marginLeft - marginRight) / 90));

  const chart = Plot.plot({
    width, height: narrow ? 320 : 380, marginLeft, marginRight, marginTop: 34, marginBottom: 40,
    style: { fontSize: "13px", fontFamily: "inherit", color: "#1f2937", overflow: "visible" },
    x: { type: "utc", domain: [start, end], label: null, ticks: xTicks, tickFormat: "%b %Y" },
    y: { domain: [-2.6, 2.6], ticks: scores, tickFormat: yLabel, label: null, grid: true },
    color: { domain: stances.map(s => s.stance), range: stances.map(s => s.colour) },
    marks: [
      Plot.ruleY([0], { stroke: "#9ca3af" }),
      Plot.rect(conditional, { x1: "from", x2: "to", y1: d => d.score - 0.28, y2: d => d.score + 0.28, fill: "#f5e7a8", fillOpacity: 0.7, className: "condition-band" }),
      Plot.text(conditional, { x: "from", y: d => d.score - 0.28, text: () => "conditional", dy: 10, dx: 4, textAnchor: "start", fontSize: 11, fill: "#6b5a00" }),
      Plot.ruleX(shifts, { x: "date", stroke: "#374151", strokeDasharray: "3,3", strokeOpacity: 0.6 }),
      Plot.link(steps, { x1: "date", x2: "date", y1: "from", y2: "to", stroke: "#1f2937", strokeWidth: 2.5 }),
      Plot.line(stretchPoints.filter(p => p.firm), { x: "date", y: "score", z: "i", stroke: "#1f2937", strokeWidth: 2.5, className: "firm-run" }),
      Plot.line(stretchPoints.filter(p => !p.firm), { x: "date", y: "score", z: "i", stroke: "#1f2937", strokeWidth: 2.5, strokeDasharray: "6,4", className: "provisional-run" }),
      Plot.text(shifts, { x: "date", y: "score", text: "shift", dy: -20, fontWeight: 700, fontSize: 13, fill: "#111827", stroke: "white", strokeWidth: 4, paintOrder: "stroke", className: "shift-label" }),
      Plot.dot(crossed, { x: "date", y: "score", r: 7, fill: "white", stroke: "stance", strokeWidth: 2, strokeDasharray: "2,2", className: "statement-marker retracted-marker" }),
      Plot.dot(marks ? dots.filter(d => d.status === "corrected") : [], { x: "date", y: "score", r: 12, stroke: "#111827", strokeWidth: 2 }),
      Plot.dot(dots, { x: "date", y: "score", r: 7.5, fill: "stance", stroke: "white", strokeWidth: 2, className: "statement-marker counting-marker" }),
    ],
  });
  el.append(chart);
  const figure = el.closest("figure");
  attachMarkers(el.querySelectorAll(".retracted-marker circle"), crossed, figure);
  attachMarkers(el.querySelectorAll(".counting-marker circle"), dots, figure);
  quietMarks(chart); // after attachMarkers: the focusable markers must stay audible
}

function attachMarkers(circles, data, figure) {
  circles.forEach((circle, i) => {
    const d = data[i];
    circle.setAttribute("tabindex", "0");
    circle.setAttribute("role", "button");
    circle.setAttribute("aria-haspopup", "dialog");
    circle.dataset.statementId = d.statementId;
    circle.setAttribute("aria-label", `${formatSaid(d.saidAt, d.saidAtPrecision)}: ${stanceLabel(d.stance)}${d.shift && d.shift !== "no-flip" ? `, ${d.shift}` : ""}${d.status !== "counts" ? `, ${d.status}` : ""}. ${d.speaker}`);
    const open = pin => showDetail(d, circle, figure, pin);
    circle.addEventListener("mouseenter", () => { if (!pinned) open(false); });
    circle.addEventListener("mouseleave", () => { if (!pinned) hideDetail(); });
    circle.addEventListener("click", e => { e.stopPropagation(); open(true); });
    circle.addEventListener("keydown", e => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(true); } });
  });
}

let pinned = null;
function showDetail(d, circle, figure, pin) {
  const panel = document.getElementById("statement-detail");
  if (!panel) return;
  if (pin) pinned = circle;
  const said = formatSaid(d.saidAt, d.saidAtPrecision);
  panel.innerHTML = html`
    <div class="detail-head"><span class="chip" style="--c:${stanceBy[d.stance]?.colour}">${escapeHtml(stanceLabel(d.stance))}</span>
      ${d.shift && d.shift !== "no-flip" ? html`<span class="shift-tag">${escapeHtml(d.shift)}</span>` : ""}
      ${d.status !== "counts" ? html`<span class="status-tag">${escapeHtml(d.status)}</span>` : ""}
      ${pin ? html`<button type="button" class="close" aria-label="Close statement">×</button>` : ""}</div>
    <p class="said">${escapeHtml(said)}</p>
    <p class="speaker">${escapeHtml(d.speaker)}</p>
    <blockquote>${d.quote ? html`“${escapeHtml(d.quote)}”` : escapeHtml(d.summary ?? "")}</blockquote>
    ${d.conditions.length ? html`<p class="cond">On condition: ${escapeHtml(d.conditions.join("; "))}</p>` : ""}
    <p class="source">Source: ${d.url ? html`<a href="${escapeHtml(d.url)}" rel="noopener">${escapeHtml(d.outlet)}</a>` : html`<b>${escapeHtml(d.outlet)}</b>`},
      ${escapeHtml(formatDay(d.publishedAt))} · ${escapeHtml(attributionLabel(d.attribution))}</p>
    <p class="links"><a href="statements/${encodeURIComponent(d.statementId)}">Statement record (JSON)</a></p>`;
  panel.hidden = false;
  const box = figure.getBoundingClientRect(), dot = circle.getBoundingClientRect();
  const x = dot.left - box.left + dot.width / 2, y = dot.top - box.top;
  const panelWidth = Math.min(360, box.width - 16);
  panel.style.width = `${panelWidth}px`;
  panel.style.left = `${Math.min(Math.max(8, x - panelWidth / 2), box.width - panelWidth - 8)}px`;
  // Never over the marker itself: below it in the upper half of the chart, above it in the lower half.
  const markerSize = dot.height;
  panel.style.top = `${y < box.height / 2 ? y + markerSize + 10 : y - panel.offsetHeight - 10}px`;
  panel.classList.toggle("pinned", !!pinned);
  panel.querySelector(".close")?.addEventListener("click", () => { const c = pinned; hideDetail(); c?.focus(); });
  if (pin) panel.setAttribute("aria-label", `Statement of ${said}`);
}

function hideDetail() {
  pinned = null;
  const panel = document.getElementById("statement-detail");
  if (panel) panel.hidden = true;
}

document.addEventListener("keydown", e => {
  if (e.key === "Escape" && pinned) { const c = pinned; hideDetail(); c.focus(); }
});
document.addEventListener("click", e => {
  if (pinned && !e.target.closest?.("#statement-detail")) hideDetail();
});
