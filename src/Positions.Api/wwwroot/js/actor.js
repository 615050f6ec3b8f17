import { get } from "./api.js";
import { escapeHtml, formatDay, stanceBy, stanceLabel } from "./format.js";
import { urlFor } from "./state.js";
import { downloads, html, setTitle, stamp, table, tableBox } from "./ui.js";

const csvColumns = [{ key: "topic" }, { key: "topicTitle" }, { key: "stance" }, { key: "score" }, { key: "since" }, { key: "conditions" }, { key: "lastShift" }];

export async function showActor(main, state, reg) {
  const name = reg.actor.get(state.actor)?.name ?? state.actor;
  setTitle(name, "positions");
  const time = { asOf: state.asOf, knownAt: state.knownAt };
  const [answer, ladder] = await Promise.all([
    get(`actors/${encodeURIComponent(state.actor)}/positions`, time),
    get(`actors/${encodeURIComponent(state.actor)}/commitments`, time),
  ]);
  const amount = rung => rung ? `${rung.quantity ?? "unstated"} (${formatDay(rung.at)})` : "—";
  const commitmentRows = ladder.items.map(i => ({
    ...i, topicTitle: reg.topic.get(i.topic)?.title ?? i.topic, pledgedText: amount(i.pledged), deliveredText: amount(i.delivered),
    outstandingText: i.outstanding ?? (i.daysOutstanding !== null ? "unstated" : "—"),
    daysText: i.daysOutstanding ?? "—",
  }));
  const commitmentColumns = [
    { key: "topicTitle", label: "Topic" },
    { key: "item", label: "Item" },
    { key: "pledgedText", label: "Pledged" },
    { key: "deliveredText", label: "Delivered" },
    { key: "outstandingText", label: "Outstanding" },
    { key: "daysText", label: "Days outstanding" },
  ];
  const rows = answer.positions.map(p => ({
    ...p, topicTitle: reg.topic.get(p.topic)?.title ?? p.topic, lastShift: p.lastShift?.kind ?? null,
  }));
  const columns = [
    { key: "topicTitle", label: "Topic", html: r => html`<a href="${urlFor({ ...state, topic: r.topic })}">${escapeHtml(r.topicTitle)}</a>` },
    { key: "stance", label: "Stance", html: r => html`<span class="chip" style="--c:${stanceBy[r.stance]?.colour}">${escapeHtml(stanceLabel(r.stance))}</span>` },
    { key: "since", label: "Since", html: r => escapeHtml(formatDay(r.since)) },
    { key: "lastShift", label: "Last shift" },
    { key: "conditions", label: "Conditions" },
  ];
  main.innerHTML = html`
    <nav class="crumbs" aria-label="Breadcrumb"><a href="./">Recent shifts</a> › Actor</nav>
    <h1>${escapeHtml(name)}</h1>
    <p class="stamp">${stamp(answer.asOf, answer.knownAt, { asOfRequested: state.asOf, knownAtRequested: state.knownAt })}</p>
    <section aria-labelledby="positions-heading">
      <div class="section-head"><h2 id="positions-heading">Positions</h2><div class="downloads" id="downloads"></div></div>
      ${tableBox("Positions table", table(`Every position of ${name}; open a topic for its timeline`, columns, rows))}
    </section>
    <section aria-labelledby="commitments-heading">
      <h2 id="commitments-heading">Words, pledges, deliveries</h2>
      ${commitmentRows.length
        ? tableBox("Commitments table", table(`What ${name} pledged and delivered, item by item`, commitmentColumns, commitmentRows), "commitments")
        : html`<p class="muted" id="commitments">No pledge or delivery recorded: only words.</p>`}
    </section>`;
  downloads(main.querySelector("#downloads"), `positions-${state.actor}`, csvColumns, rows);
}
