import { html, type Html } from './html';

/**
 * Server-rendered SVG charts for the report (no script, no library, nothing fetched): a stacked bar per
 * x value, one colour per series, with a legend and a `<title>` on every bar for its figure.
 */

export interface StackedBars {
  /** What the chart shows (the SVG's accessible name). */
  title: string;
  xs: string[];
  series: Array<{ name: string; values: number[]; colour?: string }>;
}

const PALETTE = ['#1f5fa8', '#e07b00', '#2e8540', '#9b3fa4', '#b3261e', '#5b6475', '#00838f', '#8d6e00'];

export function stackedBarChart(c: StackedBars): Html {
  const width = 760;
  const height = 280;
  const left = 44;
  const bottom = 40;
  const top = 14;
  const legendWidth = 170;
  const plotW = width - left - legendWidth - 10;
  const plotH = height - top - bottom;
  const totals = c.xs.map((_, i) => c.series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const step = niceStep(max);
  const yMax = Math.ceil(max / step) * step;
  const y = (v: number): number => top + plotH - (v / yMax) * plotH;
  const slot = c.xs.length ? plotW / c.xs.length : plotW;
  const barW = Math.max(4, Math.min(48, slot * 0.6));
  const grid = [];
  for (let v = 0; v <= yMax; v += step) {
    grid.push(html`<line x1="${left}" x2="${left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#d9dde5"/>
      <text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#5b6475">${String(v)}</text>`);
  }
  const bars = [];
  for (let i = 0; i < c.xs.length; i++) {
    const x = left + slot * i + (slot - barW) / 2;
    let acc = 0;
    c.series.forEach((s, k) => {
      const v = s.values[i] ?? 0;
      if (v <= 0) return;
      const y0 = y(acc + v);
      const h = y(acc) - y0;
      acc += v;
      bars.push(
        html`<rect x="${x.toFixed(1)}" y="${y0.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${s.colour ?? PALETTE[k % PALETTE.length]}"><title>${c.xs[i]} · ${s.name}: ${String(v)}</title></rect>`,
      );
    });
    bars.push(html`<text x="${(x + barW / 2).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" font-size="11" fill="#1d2330">${c.xs[i]}</text>`);
  }
  const legend = c.series.map(
    (s, k) => html`<rect x="${width - legendWidth}" y="${top + k * 18}" width="12" height="12" fill="${s.colour ?? PALETTE[k % PALETTE.length]}"/>
      <text x="${width - legendWidth + 18}" y="${top + k * 18 + 10}" font-size="12" fill="#1d2330">${s.name}</text>`,
  );
  const empty = c.xs.length ? '' : html`<text x="${left + plotW / 2}" y="${top + plotH / 2}" text-anchor="middle" font-size="13" fill="#5b6475">no data in this period</text>`;
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${c.title}">
    <title>${c.title}</title>${grid}<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#5b6475"/>${bars}${legend}${empty}</svg>`;
}

/** 1, 2 or 5 times a power of ten, so that about five grid lines fit. */
function niceStep(max: number): number {
  const rough = max / 5;
  const p = 10 ** Math.floor(Math.log10(Math.max(rough, 1)));
  for (const m of [1, 2, 5, 10]) if (m * p >= rough) return m * p;
  return 10 * p;
}
