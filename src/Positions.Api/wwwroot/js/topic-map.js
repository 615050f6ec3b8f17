import { get, getAll } from "./api.js";
import { escapeHtml, formatDay, formatInstant, scoreLabel, stanceBy, stanceLabel, stances } from "./format.js";
import { narrowWidth, quietMarks, widestText } from "./chart.js";
import { urlFor, writeState } from "./state.js";
import { downloads, html, legend, setTitle, stamp, table, tableBox, timeControl } from "./ui.js";

const columns = [
  { key: "actorName", label: "Actor", html: r => html`<a href="${urlFor({ actor: r.actor, topic: r.topic, asOf: r.asOf, knownAt: r.knownAt })}">${escapeHtml(r.actorName)}</a>` },
  { key: "stance", label: "Stance", html: r => html`<span class="chip" style="--c:${stanceBy[r.stance]?.colour}">${escapeHtml(stanceLabel(r.stance))}</span>` },
  { key: "since", label: "Since", html: r => escapeHtml(formatDay(r.since)) },
  { key: "conditions", label: "Conditions" },
];
const csvColumns = [{ key: "actor" }, { key: "actorName" }, { key: "stance" }, { key: "score" }, { key: "since" }, { key: "conditions" }, { key: "statementId" }];

export async function showTopicMap(main, state, reg) {
  const topic = reg.topic.get(state.topic);
  const title = topic?.title ?? state.topic;
  setTitle(title, "who stands where");
  main.innerHTML = html`
    <nav class="crumbs" aria-label="Breadcrumb"><a href="./">Recent shifts</a> › Topic</nav>
    <h1>${escapeHtml(title)}</h1>
    ${topic?.question ? html`<p class="question">${escapeHtml(topic.question)}</p>` : ""}
    <form class="controls" aria-label="Time" onsubmit="return false">
      <div class="control" id="asof-control"></div>
      <div class="control" id="knownat-control"></div>
    </form>
    <p class="stamp" id="stamp" aria-live="polite"></p>
    <figure class="chart-figure">
      <figcaption class="sr-only">Each actor's stance on the topic, strongest support first</figcaption>
      ${legend()}
      <div class="chart" id="chart"></div>
    </figure>
    <section aria-labelledby="positions-heading">
      <div class="section-head"><h2 id="positions-heading">Who stands where</h2><div class="downloads" id="downloads"></div></div>
      ${tableBox("Positions table")}
    </section>
    <section aria-labelledby="series-heading">
      <h2 id="series-heading">Over time</h2>
      <p class="muted" id="series-note"></p>
      <figure class="chart-figure">
        <figcaption class="sr-only">Each actor's stance at the end of every month, one row per actor</figcaption>
        <div class="chart" id="series"></div>
      </figure>
    </section>`;

  const known = await getAll("statements", { topic: state.topic });
  const redraw = () => draw(state, reg, title);
  timeControl(main.querySelector("#asof-control"), {
    id: "asof", label: "As of (world time)", fieldType: "date", steps: known.map(s => s.saidAt.slice(0, 10)), value: state.asOf,
    format: formatDay, help: "What had been said by then. Steps from statement to statement.",
    onChange: v => { state.asOf = v; writeState(state); redraw(); },
  });
  timeControl(main.querySelector("#knownat-control"), {
    id: "knownat", label: "As known at (record time)", fieldType: "text", steps: known.map(s => s.recordedAt), value: state.knownAt,
    format: formatInstant, help: "What this service had recorded by then.",
    onChange: v => { state.knownAt = v; writeState(state); redraw(); },
  });
  await redraw();
}

let drawing = 0;
async function draw(state, reg, title) {
  const ticket = ++drawing;
  const answer = await get(`topics/${encodeURIComponent(state.topic)}/positions`, { asOf: state.asOf, knownAt: state.knownAt });
  if (ticket !== drawing) return;
  const rows = answer.positions
    .map(p => ({ ...p, topic: state.topic, actorName: reg.actor.get(p.actor)?.name ?? p.actor, asOf: state.asOf, knownAt: state.knownAt }))
    .sort((a, b) => b.score - a.score || a.actorName.localeCompare(b.actorName));
  const main = document.querySelector("main");
  main.querySelector("#stamp").innerHTML = stamp(answer.asOf, answer.knownAt, { asOfRequested: state.asOf, knownAtRequested: state.knownAt });
  renderChart(main.querySelector("#chart"), rows);
  main.querySelector("#table").innerHTML = table(`Every actor's stance on ${title}, strongest support first`, columns, rows);
  downloads(main.querySelector("#downloads"), `positions-topic-${state.topic}`, csvColumns, rows);
  await drawSeries(main, state, reg, answer.asOf, ticket);
}

/** The heat strip: actors × months, from the start of the year before asOf to asOf, one read (/topics/{id}/series). */
async function drawSeries(main, state, reg, asOf, ticket) {
  const to = asOf.slice(0, 10), from = `${Number(to.slice(0, 4)) - 1}-01-01`;
  const series = await get(`topics/${encodeURIComponent(state.topic)}/series`, { from, to, step: "month", knownAt: state.knownAt });
  if (ticket !== drawing) return;
  const cells = series.actors.flatMap(a => a.scores.map((score, i) => ({
    actor: reg.actor.get(a.actor)?.name ?? a.actor, step: series.steps[i], score, provisional: a.provisional[i],
  }))).filter(c => c.score !== null);
  main.querySelector("#series-note").textContent =
    `Each actor's stance at the end of every month from ${formatDay(from)}; paler cells are provisional (no statement in that run is the actor's own words).`;
  renderSeries(main.querySelector("#series"), series.steps, cells);
}

function renderSeries(el, steps, cells) {
  const Plot = window.Plot;
  el.replaceChildren();
  if (!cells.length) { el.innerHTML = `<p class="empty">No actor held a position on this topic in this time.</p>`; return; }
  const actors = [...new Set(cells.map(c => c.actor))].sort((a, b) => a.localeCompare(b));
  const width = Math.max(el.clientWidth, 320);
  const chart = Plot.plot({
    width, height: 40 + actors.length * 26, marginLeft: widestText(actors, el, 13) + 12, marginBottom: 30,
    style: { fontSize: "13px", fontFamily: "inherit", color: "#1f2937" },
    x: { domain: steps, label: null, tickFormat: d => d.slice(5, 7) === "01" ? d.slice(0, 4) : "", tickSize: 0 },
    y: { domain: actors, label: null, tickSize: 0 },
    marks: [
      Plot.cell(cells, {
        x: "step", y: "actor", inset: 1,
        fill: c => stances.find(s => s.score === c.score)?.colour, fillOpacity: c => c.provisional ? 0.45 : 1,
        title: c => `${c.actor}, end of ${c.step}: ${scoreLabel(c.score)}${c.provisional ? " (provisional)" : ""}`,
        className: "series-cell",
      }),
    ],
  });
  el.append(chart);
  quietMarks(chart);
}

function renderChart(el, rows) {
  const Plot = window.Plot;
  el.replaceChildren();
  if (!rows.length) { el.innerHTML = `<p class="empty">No actor holds a position on this topic at this time.</p>`; return; }
  const width = Math.max(el.clientWidth, 320);
  const since = d => `since ${formatDay(d.since)}`;
  const layout = width < narrowWidth ? narrowLayout(rows, since) : wideLayout(rows, since, el);
  const chart = Plot.plot({
    width, ...layout.plot,
    style: { fontSize: "13px", fontFamily: "inherit", color: "#1f2937" },
    y: { domain: rows.map(r => r.actorName), label: null, tickSize: 0, ...layout.y },
    color: { domain: stances.map(s => s.stance), range: stances.map(s => s.colour) },
    marks: [
      Plot.barX(rows, { x1: 0, x2: d => d.score === 0 ? 0.04 : d.score, y: "actorName", fill: "stance", ...layout.bar, className: "stance-bar" }),
      Plot.ruleX([0], { stroke: "#6b7280" }),
      ...layout.labels,
    ],
  });
  // Nothing in this chart is operable: one image, named with what it shows; the table below has the same in full.
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-label", `Stances: ${rows.map(r => `${r.actorName} ${stanceLabel(r.stance).toLowerCase()} ${since(r)}`).join("; ")}`);
  el.append(quietMarks(chart));
}

/** Names on the left, dates on the right of each bar, the stance names along the top. */
function wideLayout(rows, since, el) {
  return {
    plot: {
      height: 70 + rows.length * 40, marginTop: 30,
      marginLeft: Math.min(260, widestText(rows.map(r => r.actorName), el, 13) + 24),
      marginRight: widestText(rows.map(since), el, 12) + 8 + 12,
      x: { domain: [-2.2, 2.2], ticks: [-2, -1, 0, 1, 2], tickFormat: scoreLabel, label: null, grid: true, axis: "top" },
    },
    y: {},
    bar: { insetTop: 8, insetBottom: 8 },
    labels: [window.Plot.text(rows, { x: d => d.score, y: "actorName", text: since, dx: 8, textAnchor: "start", fill: "#374151", fontSize: 12 })],
  };
}

/**
 * On a phone the five stance names cannot share one line: the top axis shows scores from −2 to +2 under an
 * "opposes ← → supports" label, and each actor's name and date sit above its bar, which gets the full width.
 */
function narrowLayout(rows, since) {
  return {
    plot: {
      height: 64 + rows.length * 56, marginTop: 46, marginLeft: 8, marginRight: 8,
      x: { domain: [-2.2, 2.2], ticks: [-2, -1, 0, 1, 2], tickFormat: d => (d > 0 ? `+${d}` : d < 0 ? `−${-d}` : "0"),
        label: "← opposes · supports →", labelAnchor: "center", labelArrow: "none", grid: true, axis: "top" },
    },
    y: { axis: null },
    bar: { insetTop: 26, insetBottom: 6 },
    labels: [window.Plot.text(rows, { x: -2.2, y: "actorName", text: d => `${d.actorName} · ${since(d)}`, dy: -12, textAnchor: "start",
      fontWeight: 600, fill: "#1f2937", fontSize: 13, stroke: "white", strokeWidth: 4, paintOrder: "stroke" })],
  };
}
