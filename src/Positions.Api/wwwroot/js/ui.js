import { escapeHtml, formatDay, formatInstant, stances } from "./format.js";

export const html = (strings, ...values) =>
  strings.reduce((out, s, i) => out + s + (i < values.length ? values[i] : ""), "");

export function setTitle(...parts) {
  document.title = [...parts, "Positions"].join(" — ");
}

export function legend() {
  return html`<ul class="legend" aria-label="Stance colours">${stances.map(s =>
    html`<li><span class="swatch" style="background:${s.colour}"></span>${escapeHtml(s.label)}</li>`).join("")}</ul>`;
}

/** "As of … · as known at …": on every view, so a screenshot or a citation says which world it shows. */
export function stamp(asOf, knownAt, { asOfRequested, knownAtRequested } = {}) {
  const asOfText = asOfRequested ? formatDay(asOfRequested) : `now (${formatInstant(asOf)})`;
  const knownText = knownAtRequested ? formatDay(knownAtRequested) : `now (${formatInstant(knownAt)})`;
  return html`<span class="stamp-part"><b>As of</b> ${escapeHtml(asOfText)}</span>
    <span class="stamp-part"><b>as known at</b> ${escapeHtml(knownText)}</span>`;
}

/**
 * A range input that steps through the given moments (oldest first) and then "now", with a text or date field
 * beside it. Calls onChange with the chosen moment, or null for now.
 */
export function timeControl(el, { id, label, help, steps, value, fieldType, format, onChange }) {
  const all = [...new Set([...steps, ...(value ? [value] : [])])].sort((a, b) => toMillis(a) - toMillis(b));
  const index = value ? all.indexOf(value) : all.length;
  const text = i => (i >= all.length ? "now" : format(all[i]));
  el.innerHTML = html`
    <label for="${id}-range">${escapeHtml(label)}</label>
    <div class="control-row">
      <input type="range" id="${id}-range" min="0" max="${all.length}" step="1" value="${index}"
        aria-describedby="${id}-help" aria-valuetext="${escapeHtml(text(index))}">
      <output id="${id}-output" for="${id}-range">${escapeHtml(text(index))}</output>
      <input type="${fieldType}" id="${id}-field" aria-label="${escapeHtml(label)}: exact ${fieldType === "date" ? "date" : "date or instant"}"
        value="${escapeHtml(fieldValue(value, fieldType))}" ${fieldType === "text" ? 'placeholder="now" spellcheck="false"' : ""}>
    </div>
    <p class="help" id="${id}-help">${escapeHtml(help)}</p>`;
  const range = el.querySelector("input[type=range]");
  const output = el.querySelector("output");
  const field = el.querySelector(`#${id}-field`);
  let timer;
  range.addEventListener("input", () => {
    const i = Number(range.value);
    output.textContent = text(i);
    range.setAttribute("aria-valuetext", text(i));
    field.value = fieldValue(all[i] ?? null, fieldType);
    clearTimeout(timer);
    timer = setTimeout(() => onChange(all[i] ?? null), 120);
  });
  field.addEventListener("change", () => {
    const v = field.value.trim();
    if (v && !isMoment(v)) { field.setCustomValidity("A date (2025-06-30) or an instant (2025-06-30T12:00:00Z)"); field.reportValidity(); return; }
    field.setCustomValidity("");
    // A moment between steps becomes a step of its own, so the slider shows where it lies.
    timeControl(el, { id, label, help, steps, value: v || null, fieldType, format, onChange });
    el.querySelector(`#${id}-field`).focus();
    onChange(v || null);
  });
}

const toMillis = text => new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T23:59:59Z` : text).getTime();
const isMoment = text => /^\d{4}-\d{2}-\d{2}$/.test(text) || !Number.isNaN(Date.parse(text)) && /T.*(Z|[+-]\d\d:?\d\d)$/i.test(text);
const fieldValue = (value, type) => !value ? "" : type === "date" ? value.slice(0, 10) : value;

/** Links that download exactly the rows the table shows. */
export function downloads(el, name, columns, rows) {
  const csvCell = v => {
    const s = Array.isArray(v) ? v.join("; ") : v == null ? "" : String(v);
    return /[",\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const csv = [columns.map(c => c.key).join(","), ...rows.map(r => columns.map(c => csvCell(r[c.key])).join(","))].join("\n");
  const json = JSON.stringify(rows.map(r => Object.fromEntries(columns.map(c => [c.key, r[c.key] ?? null]))), null, 2);
  for (const old of el.querySelectorAll("a[href^=blob]")) URL.revokeObjectURL(old.href);
  const link = (type, text, ext) =>
    html`<a class="button" download="${escapeHtml(name)}.${ext}" href="${URL.createObjectURL(new Blob([text], { type }))}">Download ${ext.toUpperCase()}</a>`;
  el.innerHTML = link("text/csv", csv, "csv") + link("application/json", json, "json");
}

/**
 * The box a table sits in: on a phone the table reflows into one card per row (site.css); should a table still be
 * wider than the screen, it scrolls inside this box, never the page. A box that scrolls must be reachable from the
 * keyboard (axe: scrollable-region-focusable), hence a named, focusable region.
 */
export function tableBox(label, content = "", id = "table") {
  return html`<div class="table-wrap" id="${id}" role="region" aria-label="${escapeHtml(label)}" tabindex="0">${content}</div>`;
}

/**
 * Each cell carries its column's name in data-label for the phone layout, which shows it beside the value. The
 * explicit table roles keep the table a table for screen readers when that layout sets the rows and cells to
 * display: block (some browsers drop the native semantics then).
 */
export function table(caption, columns, rows) {
  const label = c => html` data-label="${escapeHtml(c.label)}"`;
  return html`<table role="table">
    <caption>${escapeHtml(caption)}</caption>
    <thead role="rowgroup"><tr role="row">${columns.map(c => html`<th scope="col" role="columnheader">${escapeHtml(c.label)}</th>`).join("")}</tr></thead>
    <tbody role="rowgroup">${rows.length ? rows.map(r => html`<tr role="row"${r.rowClass ? ` class="${r.rowClass}"` : ""}>${columns.map((c, i) => {
      const cell = c.html ? c.html(r) : escapeHtml(Array.isArray(r[c.key]) ? r[c.key].join("; ") : r[c.key] ?? "");
      return i === 0 ? html`<th scope="row" role="rowheader"${label(c)}>${cell}</th>` : html`<td role="cell"${label(c)}>${cell}</td>`;
    }).join("")}</tr>`).join("") : html`<tr role="row"><td role="cell" colspan="${columns.length}">Nothing to show for this time.</td></tr>`}</tbody>
  </table>`;
}
