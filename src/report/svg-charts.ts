/**
 * Inline SVG for the printed report: no script, no web fonts, and every series told apart by
 * shape or pattern as well as by shade, because the report is mostly printed in black and white.
 */
import { escapeHtml } from './escape-html.js';

/** A horizontal bar for a ranking row, scaled to the leader's votes. */
export function rankingBar(votes: number, max: number, highlighted: boolean): string {
  const w = max > 0 ? Math.round((votes / max) * 1000) / 10 : 0;
  const fill = highlighted ? '#1f1f1f' : '#a6a6a6';
  return (
    `<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">` +
    `<rect x="0" y="1.5" width="${w}" height="7" fill="${fill}"/></svg>`
  );
}

/** 1, 2, 5 × 10^n steps so the axis reads in round numbers. */
function niceStep(max: number, ticks: number): number {
  const raw = Math.max(max, 1) / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  const step = (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * pow;
  return Math.max(1, Math.round(step));
}

export interface IntakeSeries {
  readonly label: string;
  readonly values: readonly number[];
}

/**
 * Bars per day for ballots of each kind (solid, then hatched), and mails received as a line with
 * square markers. Values are printed above the bars while there is room for them.
 */
export function intakeChart(
  days: readonly string[],
  bars: readonly IntakeSeries[],
  mails: IntakeSeries,
): string {
  const width = 680;
  const height = 250;
  const left = 44;
  const right = 12;
  const top = 34;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = Math.max(1, ...bars.flatMap((b) => b.values), ...mails.values);
  const step = niceStep(max, 5);
  const yMax = Math.ceil(max / step) * step;
  const y = (v: number): number => top + plotH - (v / yMax) * plotH;
  const slot = days.length > 0 ? plotW / days.length : plotW;
  const groupW = slot * 0.7;
  const barW = bars.length > 0 ? groupW / bars.length : groupW;
  const showValues = days.length <= 16;
  const fills = ['#262626', 'url(#hatch)', '#bfbfbf'];
  const parts: string[] = [];

  parts.push(
    `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="每日收件">`,
    `<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="5" height="5" patternTransform="rotate(45)">` +
      `<rect width="5" height="5" fill="#fff"/><line x1="0" y1="0" x2="0" y2="5" stroke="#262626" stroke-width="2.2"/></pattern></defs>`,
  );
  for (let v = 0; v <= yMax; v += step) {
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(v)}" y2="${y(v)}" stroke="${v === 0 ? '#000' : '#d0d0d0'}" stroke-width="${v === 0 ? 1 : 0.6}"/>`,
      `<text x="${left - 6}" y="${y(v) + 3.5}" text-anchor="end" class="tick">${v}</text>`,
    );
  }
  days.forEach((day, i) => {
    const x0 = left + i * slot + (slot - groupW) / 2;
    bars.forEach((b, j) => {
      const v = b.values[i] ?? 0;
      const x = x0 + j * barW;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${(top + plotH - y(v)).toFixed(1)}" fill="${fills[j % fills.length]}" stroke="#262626" stroke-width="0.6"/>`,
      );
      if (showValues && v > 0)
        parts.push(
          `<text x="${(x + barW / 2).toFixed(1)}" y="${(y(v) - 3).toFixed(1)}" text-anchor="middle" class="val">${v}</text>`,
        );
    });
    // MM-DD under each day; the year is in the table below.
    parts.push(
      `<text x="${(left + i * slot + slot / 2).toFixed(1)}" y="${top + plotH + 15}" text-anchor="middle" class="tick">${escapeHtml(day.slice(5))}</text>`,
    );
  });
  const points = mails.values.map((v, i) => `${(left + i * slot + slot / 2).toFixed(1)},${y(v).toFixed(1)}`);
  if (points.length > 1)
    parts.push(
      `<polyline points="${points.join(' ')}" fill="none" stroke="#000" stroke-width="1.2" stroke-dasharray="4 2"/>`,
    );
  for (const p of points) {
    const [px, py] = p.split(',').map(Number) as [number, number];
    parts.push(
      `<rect x="${px - 3}" y="${py - 3}" width="6" height="6" fill="#fff" stroke="#000" stroke-width="1.2"/>`,
    );
  }

  // Legend across the top.
  let lx = left;
  const legend = [
    ...bars.map((b, j) => ({ label: b.label, fill: fills[j % fills.length] ?? '#262626', line: false })),
    { label: mails.label, fill: '#fff', line: true },
  ];
  for (const item of legend) {
    if (item.line) {
      parts.push(
        `<line x1="${lx}" x2="${lx + 18}" y1="12" y2="12" stroke="#000" stroke-width="1.2" stroke-dasharray="4 2"/>`,
        `<rect x="${lx + 6}" y="9" width="6" height="6" fill="#fff" stroke="#000" stroke-width="1.2"/>`,
      );
    } else {
      parts.push(
        `<rect x="${lx}" y="6" width="18" height="12" fill="${item.fill}" stroke="#262626" stroke-width="0.6"/>`,
      );
    }
    parts.push(`<text x="${lx + 24}" y="16" class="legend">${escapeHtml(item.label)}</text>`);
    lx += 24 + item.label.length * 12 + 22;
  }
  parts.push('</svg>');
  return parts.join('');
}
