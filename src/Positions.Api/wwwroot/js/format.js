export const stances = [
  { stance: "strongly-opposes", score: -2, label: "Strongly opposes", colour: "#b35806" },
  { stance: "opposes", score: -1, label: "Opposes", colour: "#e69f00" },
  { stance: "neutral", score: 0, label: "Neutral", colour: "#8a8a8a" },
  { stance: "supports", score: 1, label: "Supports", colour: "#56b4e9" },
  { stance: "strongly-supports", score: 2, label: "Strongly supports", colour: "#0072b2" },
];
// Okabe–Ito hues, distinguishable with the common colour-vision deficiencies; position on the axis says the same.
export const stanceBy = Object.fromEntries(stances.map(s => [s.stance, s]));
export const stanceLabel = stance => stanceBy[stance]?.label ?? stance;
export const scoreLabel = score => stances.find(s => s.score === score)?.label ?? String(score);

const attributions = {
  "on-record": "on the record",
  "official-statement": "official statement",
  "spokesperson": "spokesperson",
  "anonymous-officials": "unnamed officials",
  "reported": "reported",
};
export const attributionLabel = a => attributions[a] ?? a;

const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const monthFormat = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
const instantFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit",
  timeZone: "UTC", hour12: false,
});

/** "2025-08-19" (a date) or an instant, as a Date at its start. */
export function toDate(text) {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : new Date(text);
}

export const isDateOnly = text => /^\d{4}-\d{2}-\d{2}$/.test(text);

export function formatDay(text) {
  if (!text) return "";
  return isDateOnly(text) ? dayFormat.format(toDate(text)) : `${instantFormat.format(toDate(text))} UTC`;
}

/** A saidAt as precise as it is known: "2025", "August 2025", "week of 19 Aug 2025", "on or before 26 Aug 2025", "19 Aug 2025". */
export function formatSaid(text, precision) {
  const date = toDate(text);
  switch (precision) {
    case "year": return String(date.getUTCFullYear());
    case "month": return monthFormat.format(date);
    case "week": return `week of ${dayFormat.format(date)}`;
    case "on-or-before": return `on or before ${dayFormat.format(date)}`;
    default: return formatDay(text);
  }
}

export function formatInstant(text) {
  return text ? `${instantFormat.format(new Date(text))} UTC` : "";
}

export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
