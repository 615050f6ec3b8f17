// What both charts need around Observable Plot: margins that fit their labels, and SVG a screen reader can use.

/** Below this chart width a chart takes its narrow (phone) layout. */
export const narrowWidth = 600;

let canvas;
/**
 * The width in CSS pixels of the widest of these texts (each may hold "\n" line breaks), set in the chart's font.
 * Margins are sized from it, so long labels are never cut off at the edge of the SVG, whatever font the device has.
 */
export function widestText(texts, el, fontSize) {
  canvas ??= document.createElement("canvas");
  const context = canvas.getContext("2d");
  context.font = `${fontSize}px ${getComputedStyle(el).fontFamily}`;
  const widths = texts.flatMap(t => String(t).split("\n")).map(line => context.measureText(line).width);
  return Math.ceil(Math.max(0, ...widths));
}

/**
 * Plot names every mark's <g> with an aria-label ("dot", "rule", "y-axis tick"). On a <g> without a role that is a
 * prohibited attribute (axe: aria-prohibited-attr), and the names mean nothing to a listener. The name moves to
 * data-mark (for tests and debugging); groups with nothing to operate are hidden from assistive technology, since
 * the table beside each chart says the same in words. Groups holding focusable markers stay, so the markers' own
 * labels are heard.
 */
export function quietMarks(svg) {
  for (const group of svg.querySelectorAll("g[aria-label]")) {
    group.dataset.mark = group.getAttribute("aria-label");
    group.removeAttribute("aria-label");
    if (!group.querySelector("[tabindex]")) group.setAttribute("aria-hidden", "true");
  }
  return svg;
}
