// The portal's charts: small SVG drawings made here, with no library (the page loads
// nothing from elsewhere and has no build step).
//
// Every chart is a <figure> holding an <svg role="img"> with a <title> and a <desc>, a
// legend in HTML (it wraps on a phone) and a <details> with a table of the same figures.
// A withheld figure (null from the API: fewer than k cases after perturbation, possibly
// none) is never drawn as zero and never bridged: a line breaks there and a hollow mark
// labelled "withheld" stands below the axis; a bar is a short hatched stub with the word.
// Points and bars carry data-* attributes with what they show (data-period, data-value,
// data-key) so that tests can compare them with the API.

import { tableDownload } from './downloads.js';
import { t } from './i18n.js';
import { fmtInt, fmtNumber, h } from './util.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const SHAPES = ['circle', 'square', 'triangle', 'diamond'];
let uid = 0;

// svg builds an SVG element; children are nodes or text.
function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.setAttribute('class', v);
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') {
      for (const [dk, dv] of Object.entries(v)) if (dv !== null && dv !== undefined) el.dataset[dk] = String(dv);
    }
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

const isNum = (v) => v !== null && v !== undefined && Number.isFinite(v);
const r1 = (x) => Math.round(x * 10) / 10;

// chartWidth is the width a chart gets in the main column (minus its frame), so that its
// text is drawn at about 1:1 on any screen, a 390 px phone included.
export function chartWidth() {
  const main = document.getElementById('main');
  const w = main ? main.clientWidth - 40 : 600;
  return Math.max(280, Math.min(880, Math.floor(w)));
}

// niceScale rounds the largest value up to a multiple of a step of 1, 2, 2.5 or 5 times a
// power of ten, about four steps in all (whole steps for counts).
function niceScale(max, integer = true) {
  if (!(max > 0)) return { max: 1, step: 1 };
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((x) => x >= raw);
  if (integer) step = Math.max(1, Math.ceil(step));
  return { max: Math.ceil(max / step - 1e-9) * step, step };
}

// wrap splits a label into lines of at most maxChars characters, at spaces.
function wrap(label, maxChars) {
  const words = String(label).split(/\s+/);
  const lines = [];
  let cur = '';
  for (const w of words) {
    if (cur && (cur.length + 1 + w.length) > maxChars) { lines.push(cur); cur = w; } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.length ? lines : [''];
}

// textWidth estimates the width of a text at a font size (system fonts, mixed scripts).
const textWidth = (s, size = 12) => String(s).length * size * 0.58;

function marker(shape, x, y, size, attrs) {
  const r = size / 2;
  switch (shape) {
    case 'square': return svg('rect', { x: r1(x - r), y: r1(y - r), width: size, height: size, ...attrs });
    case 'triangle': return svg('path', { d: `M${r1(x)} ${r1(y - r - 1)}L${r1(x + r + 1)} ${r1(y + r)}L${r1(x - r - 1)} ${r1(y + r)}Z`, ...attrs });
    case 'diamond': return svg('path', { d: `M${r1(x)} ${r1(y - r - 1)}L${r1(x + r + 1)} ${r1(y)}L${r1(x)} ${r1(y + r + 1)}L${r1(x - r - 1)} ${r1(y)}Z`, ...attrs });
    default: return svg('circle', { cx: r1(x), cy: r1(y), r, ...attrs });
  }
}

// hatch is the pattern of withheld figures, defined once per chart.
function hatchDef(id) {
  return svg('pattern', { id, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
    svg('rect', { width: 6, height: 6, class: 'chart-hatch-bg' }),
    svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'chart-hatch-line' }));
}

function withheldNode(k) {
  return h('span', { class: 'withheld', title: t('chartWithheldLegend', fmtInt(k)) },
    h('span', { 'aria-hidden': 'true' }, '—'),
    h('span', { class: 'visually-hidden' }, t('chartWithheld')));
}

function swatch(kind, index, pattern) {
  const s = svg('svg', { class: 'chart-swatch', viewBox: '0 0 28 14', width: 28, height: 14, 'aria-hidden': 'true', focusable: 'false' });
  if (kind === 'line') {
    s.append(svg('line', { x1: 1, y1: 7, x2: 27, y2: 7, class: `chart-line chart-s${index}` }),
      marker(SHAPES[index % SHAPES.length], 14, 7, 7, { class: `chart-point chart-s${index}` }));
  } else if (kind === 'gap') {
    s.append(marker(SHAPES[index % SHAPES.length], 14, 7, 8, { class: `chart-gap chart-gap-s${index}` }));
  } else if (kind === 'hatch') {
    s.append(svg('rect', { x: 1, y: 1, width: 26, height: 12, class: 'chart-withheld-swatch', fill: pattern ? `url(#${pattern})` : null }));
  } else if (kind === 'seg') {
    s.append(svg('rect', { x: 1, y: 1, width: 26, height: 12, class: `chart-seg chart-s${index}${index % 2 ? ' is-striped' : ''}` }));
  } else {
    s.append(svg('rect', { x: 1, y: 1, width: 26, height: 12, rx: kind.includes('is-city') ? 6 : 1, class: kind }));
  }
  return s;
}

function legendNode(items) {
  return h('ul', { class: 'chart-legend' }, items.map((it) => h('li', null, it.swatch, ' ', h('span', null, it.text))));
}

function tableNode(caption, headers, rows) {
  return h('details', { class: 'chart-table' },
    h('summary', null, t('chartShowTable')),
    h('div', { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': caption },
      h('table', { class: 'data' },
        h('caption', { class: 'visually-hidden' }, caption),
        h('thead', null, h('tr', null, headers.map((x, i) => h('th', { scope: 'col', class: i ? 'num' : null }, x)))),
        h('tbody', null, rows))));
}

// frame wraps a drawing: title (h3), the SVG, its legend, the table, the links and o.extra.
function frame(o, svgEl, legend, table) {
  // A chart whose figures have no export of their own (o.extra: download links) offers its
  // table as a CSV made in the page; the embeddable page links its export itself.
  const exported = o.extra && o.extra.classList && o.extra.classList.contains('downloads');
  const inner = table && table.querySelector('table');
  if (inner && !exported && !location.pathname.startsWith('/embed/')) table.append(tableDownload(inner, `chart-${o.id || o.kind}`));
  return h('figure', { class: `chart ${o.class || ''}`.trim(), id: o.id, dataset: { chart: o.kind } },
    h('figcaption', null, h('h3', { class: 'chart-title' }, o.title),
      o.note ? h('p', { class: 'hint' }, o.note) : null),
    svgEl,
    legend,
    table,
    o.links && o.links.length ? h('p', { class: 'chart-links' }, o.links.filter(Boolean).map((l, i) => [i ? ' · ' : null, h('a', { href: l.href }, l.text)])) : null,
    o.extra || null); // e.g. download links
}

function svgRoot(id, w, hgt, title, desc) {
  return svg('svg', {
    class: 'chart-svg', viewBox: `0 0 ${w} ${hgt}`, width: w, height: hgt, role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`, preserveAspectRatio: 'xMinYMin meet',
  }, svg('title', { id: `${id}-title`, text: title }), svg('desc', { id: `${id}-desc`, text: desc }));
}

// overlay moves the focusable marks (points, links) of a drawing into a second SVG laid
// over it, a group named after the chart: the drawing itself stays a plain image (an
// element with role img may not hold controls), and the marks stay where they are drawn.
function overlay(root, name, marks) {
  const focusables = [...root.querySelectorAll('a'), ...marks];
  if (!focusables.length) return { node: root, over: null };
  const over = svg('svg', {
    class: 'chart-svg chart-overlay', viewBox: root.getAttribute('viewBox'), width: root.getAttribute('width'),
    height: root.getAttribute('height'), role: 'group', 'aria-label': name, preserveAspectRatio: 'xMinYMin meet',
  });
  for (const el of focusables) if (!focusables.some((o) => o !== el && o.contains(el))) over.append(el);
  // Text drawn over the marks (values inside bars) goes on top of them too.
  for (const el of root.querySelectorAll('.chart-on-top')) over.append(el);
  return { node: h('div', { class: 'chart-plot' }, root, over), over };
}

// roving lets the arrow keys move the focus among the marks of a chart: one tab stop for
// the chart, every point reachable. Marks are the focusable elements in reading order;
// rowOf groups them (a series) for the up and down keys.
function roving(root, marks, readout) {
  if (!marks.length) return;
  marks.forEach((m, i) => m.setAttribute('tabindex', i === 0 ? '0' : '-1'));
  const show = (m) => { if (readout) readout.textContent = m.getAttribute('aria-label') || ''; };
  root.addEventListener('focusin', (ev) => { if (marks.includes(ev.target)) show(ev.target); });
  root.addEventListener('mouseover', (ev) => { if (marks.includes(ev.target)) show(ev.target); });
  root.addEventListener('keydown', (ev) => {
    const i = marks.indexOf(ev.target);
    if (i < 0) return;
    const cur = marks[i];
    let next = null;
    const row = cur.dataset.row;
    const col = Number(cur.dataset.col);
    if (ev.key === 'ArrowRight') next = marks.slice(i + 1).find((m) => m.dataset.row === row);
    else if (ev.key === 'ArrowLeft') next = marks.slice(0, i).reverse().find((m) => m.dataset.row === row);
    else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      const rows = [...new Set(marks.map((m) => m.dataset.row))];
      const ri = rows.indexOf(row) + (ev.key === 'ArrowDown' ? 1 : -1);
      if (ri >= 0 && ri < rows.length) {
        const cand = marks.filter((m) => m.dataset.row === rows[ri]);
        next = cand.reduce((best, m) => (!best || Math.abs(Number(m.dataset.col) - col) < Math.abs(Number(best.dataset.col) - col) ? m : best), null);
      }
    } else if (ev.key === 'Home') next = marks[0];
    else if (ev.key === 'End') next = marks[marks.length - 1];
    if (!next) return;
    ev.preventDefault();
    cur.setAttribute('tabindex', '-1');
    next.setAttribute('tabindex', '0');
    next.focus();
  });
}

// ---------------------------------------------------------------- periods

const PERIOD_RE = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/;

// periodOrdinal numbers a period within its interval: years, quarters or months since 0.
function periodOrdinal(p) {
  const m = PERIOD_RE.exec(p || '');
  if (!m) return null;
  const y = Number(m[1]);
  if (m[2]) return { kind: 'QUARTER', n: y * 4 + Number(m[2]) - 1 };
  if (m[3]) return { kind: 'MONTH', n: y * 12 + Number(m[3]) - 1 };
  return { kind: 'YEAR', n: y };
}

function periodOf(kind, n) {
  if (kind === 'QUARTER') return `${Math.floor(n / 4)}-Q${(n % 4) + 1}`;
  if (kind === 'MONTH') return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
  return String(n);
}

// fillPeriods lists every period from the first to the last of the given ones, so that a
// period the API left out (none of its figures could be published) is shown as withheld.
export function fillPeriods(periods) {
  const ords = periods.map(periodOrdinal).filter(Boolean);
  if (!ords.length) return [...periods];
  const kind = ords[0].kind;
  const ns = ords.filter((o) => o.kind === kind).map((o) => o.n);
  const lo = Math.min(...ns);
  const hi = Math.max(...ns);
  if (hi - lo > 600) return [...new Set(periods)].sort();
  const out = [];
  for (let n = lo; n <= hi; n++) out.push(periodOf(kind, n));
  return out;
}

// periodSeries turns statistics buckets (with a period) into a line chart's periods and
// series: one series per measure (measures: [{ key: 'count', label }]) of the buckets
// whose key is keyCodes (omit it for buckets without a grouping). A period with no bucket
// is withheld (null).
export function periodSeries(buckets, measures, match = () => true) {
  const rows = (buckets || []).filter((b) => b.period && match(b));
  const periods = fillPeriods(rows.map((b) => b.period));
  const byPeriod = new Map(rows.map((b) => [b.period, b]));
  return {
    periods,
    series: measures.map((m) => ({
      key: m.key, label: m.label,
      values: periods.map((p) => { const b = byPeriod.get(p); return b && isNum(b[m.key]) ? b[m.key] : null; }),
    })),
  };
}

// statisticsLineChart draws the answer of a statistics question asked with an interval:
// one line per grouped value (the largest maxSeries of them by their total of the measure)
// of one measure over the periods. For the statistics view.
export function statisticsLineChart(stats, o) {
  const measure = o.measure || 'count';
  const groups = new Map();
  for (const b of (stats && stats.buckets) || []) {
    const code = (b.key || []).map((k) => k.code).join('|');
    if (!groups.has(code)) groups.set(code, { code, label: (b.key || []).map((k) => k.label || k.code).join(' · '), sum: 0, buckets: [] });
    const g = groups.get(code);
    g.buckets.push(b);
    g.sum += isNum(b[measure]) ? b[measure] : 0;
  }
  const top = [...groups.values()].sort((a, b) => b.sum - a.sum).slice(0, o.maxSeries || 4);
  const periods = fillPeriods(((stats && stats.buckets) || []).map((b) => b.period).filter(Boolean));
  const series = top.map((g) => {
    const by = new Map(g.buckets.map((b) => [b.period, b]));
    return { key: g.code, label: g.label, values: periods.map((p) => { const b = by.get(p); return b && isNum(b[measure]) ? b[measure] : null; }) };
  });
  return lineChart({ ...o, periods, series, k: stats && stats.suppressionThreshold });
}

// ---------------------------------------------------------------- line chart

// lineChart: o = { id, title, desc, note, periods: [..], series: [{ key, label, values }],
// k (the suppression threshold), fmt, width, periodHref(period), links: [{ href, text }] }.
export function lineChart(o) {
  const id = o.id || `chart-${++uid}`;
  const fmt = o.fmt || fmtInt;
  const W = o.width || chartWidth();
  const n = o.periods.length;
  const series = o.series || [];
  const gapRows = series.map((s, i) => ({ s, i })).filter(({ s }) => s.values.some((v) => !isNum(v)));
  const all = series.flatMap((s) => s.values.filter(isNum));
  const { max, step } = niceScale(all.length ? Math.max(...all) : 0);
  const ticks = [];
  for (let v = 0; v <= max + 1e-9; v += step) ticks.push(v);
  const withheldWord = t('chartWithheldShort');
  const left = Math.max(...ticks.map((v) => textWidth(fmt(v), 11)), gapRows.length ? textWidth(withheldWord, 10) : 0) + 12;
  const top = 22;
  const right = 10;
  const plotH = W < 480 ? 170 : 210;
  const stripTop = top + plotH + 26;
  const H = stripTop + gapRows.length * 15 + (gapRows.length ? 6 : 0);
  const pw = W - left - right;
  const x = (i) => left + ((i + 0.5) * pw) / Math.max(n, 1);
  const y = (v) => top + plotH - (v / max) * plotH;

  const root = svgRoot(id, W, H, o.title, o.desc);
  const hatch = `${id}-hatch`;
  root.append(svg('defs', null, hatchDef(hatch)));

  // Periods with no figure at all: a hatched band over the plot.
  const band = svg('g', { class: 'chart-bands' });
  o.periods.forEach((p, i) => {
    if (series.length && series.every((s) => !isNum(s.values[i]))) {
      band.append(svg('rect', { x: r1(left + (i * pw) / n), y: top, width: r1(Math.max(pw / n, 2)), height: plotH, fill: `url(#${hatch})`, class: 'chart-band', dataset: { period: p } }));
    }
  });
  root.append(band);

  const grid = svg('g', { class: 'chart-grid', 'aria-hidden': 'true' });
  for (const v of ticks) {
    grid.append(svg('line', { x1: left, x2: W - right, y1: r1(y(v)), y2: r1(y(v)) }),
      svg('text', { x: left - 6, y: r1(y(v) + 4), 'text-anchor': 'end', class: 'chart-axis-label', text: fmt(v) }));
  }
  // Period labels: as many as fit, on round periods (years, quarters, January).
  const ords = o.periods.map(periodOrdinal);
  const labelW = Math.max(...o.periods.map((p) => textWidth(p, 11)), 20) + 10;
  const fit = Math.max(1, Math.floor(pw / labelW));
  const kind = ords[0] ? ords[0].kind : 'YEAR';
  const steps = kind === 'MONTH' ? [1, 2, 3, 6, 12, 24, 36, 60] : kind === 'QUARTER' ? [1, 2, 4, 8, 12, 20] : [1, 2, 5, 10, 20, 50];
  const every = steps.find((s) => Math.ceil(n / s) <= fit) || Math.ceil(n / fit);
  o.periods.forEach((p, i) => {
    const ord = ords[i];
    if (ord ? ord.n % every === 0 : i % every === 0) {
      grid.append(svg('line', { x1: r1(x(i)), x2: r1(x(i)), y1: top + plotH, y2: top + plotH + 4, class: 'chart-tick' }),
        svg('text', { x: r1(x(i)), y: top + plotH + 17, 'text-anchor': 'middle', class: 'chart-axis-label', text: p }));
    }
  });
  grid.append(svg('line', { x1: left, x2: W - right, y1: top + plotH, y2: top + plotH, class: 'chart-axis' }));
  root.append(grid);

  const marks = [];
  const pointsLayer = svg('g', { class: 'chart-points' });
  series.forEach((s, si) => {
    const shape = SHAPES[si % SHAPES.length];
    // The line breaks at every withheld value: never drawn across it.
    let d = '';
    let open = false;
    s.values.forEach((v, i) => {
      if (!isNum(v)) { open = false; return; }
      d += `${open ? 'L' : 'M'}${r1(x(i))} ${r1(y(v))}`;
      open = true;
    });
    if (d) root.append(svg('path', { d, class: `chart-line chart-s${si}`, 'aria-hidden': 'true', dataset: { series: s.key } }));
    s.values.forEach((v, i) => {
      if (!isNum(v)) return;
      const label = `${s.label}, ${o.periods[i]}: ${fmt(v)}`;
      const m = marker(shape, x(i), y(v), n > 40 ? 6 : 8, {
        class: `chart-point chart-s${si}`, role: 'img', 'aria-label': label,
        dataset: { series: s.key, period: o.periods[i], value: v, row: si, col: i },
      });
      m.append(svg('title', { text: label }));
      pointsLayer.append(m);
    });
  });
  root.append(pointsLayer);

  // Withheld values: a hollow mark of the series' shape in its own row below the axis.
  const strip = svg('g', { class: 'chart-gaps' });
  gapRows.forEach(({ s, i: si }, row) => {
    const yy = stripTop + row * 15 + 5;
    if (row === 0) strip.append(svg('text', { x: left - 6, y: yy + 4, 'text-anchor': 'end', class: 'chart-gap-label', text: withheldWord }));
    strip.append(svg('line', { x1: left, x2: W - right, y1: yy, y2: yy, class: 'chart-gap-rule', 'aria-hidden': 'true' }));
    s.values.forEach((v, i) => {
      if (isNum(v)) return;
      const label = `${s.label}, ${o.periods[i]}: ${t('chartWithheld')}`;
      const m = marker(SHAPES[si % SHAPES.length], x(i), yy, n > 40 ? 6 : 8, {
        class: `chart-gap chart-gap-s${si}`, role: 'img', 'aria-label': label,
        dataset: { series: s.key, period: o.periods[i], withheld: 'true', row: si, col: i },
      });
      m.append(svg('title', { text: label }));
      strip.append(m);
    });
  });
  root.append(strip);
  const readout = svg('text', { x: W - right, y: 14, 'text-anchor': 'end', class: 'chart-readout', 'aria-hidden': 'true' });
  root.append(readout);
  // Marks in reading order: by series, then period (points and withheld marks together).
  for (const el of [...pointsLayer.children, ...strip.querySelectorAll('.chart-gap')]) marks.push(el);
  marks.sort((a, b) => Number(a.dataset.row) - Number(b.dataset.row) || Number(a.dataset.col) - Number(b.dataset.col));
  const { node, over } = overlay(root, o.title, marks);
  if (over) roving(over, marks, readout);

  const legendItems = series.map((s, si) => ({ swatch: swatch('line', si), text: s.label }));
  if (gapRows.length) {
    legendItems.push({ swatch: h('span', { class: 'chart-swatches' }, gapRows.map(({ i }) => swatch('gap', i))), text: t('chartWithheldLegendLine', fmtInt(o.k || 0)) });
  }
  const table = tableNode(o.title, [t('colPeriod'), ...series.map((s) => s.label)], o.periods.map((p, i) => h('tr', null,
    h('th', { scope: 'row' }, o.periodHref && o.periodHref(p) ? h('a', { href: o.periodHref(p) }, p) : p),
    series.map((s) => h('td', { class: 'num', dataset: isNum(s.values[i]) ? { value: s.values[i] } : null }, isNum(s.values[i]) ? fmt(s.values[i]) : withheldNode(o.k || 0))))));
  return frame({ ...o, id, kind: 'line' }, node, legendNode(legendItems), table);
}

// ---------------------------------------------------------------- bar charts

// barChart draws horizontal bars, each label on its own line above its bar so that long
// labels fit a phone. o = { id, title, desc, note, rows: [{ key, label, value, href }], k,
// fmt, width, links }.
export function barChart(o) {
  return bars({ ...o, series: null });
}

// stackedBarChart: rows: [{ key, label, href, values: [..] }], series: [{ key, label }].
// A withheld part is left out of the bar and listed after it as a hatched mark.
export function stackedBarChart(o) {
  return bars(o);
}

function bars(o) {
  const id = o.id || `chart-${++uid}`;
  const fmt = o.fmt || fmtInt;
  const W = o.width || chartWidth();
  const stacked = !!o.series;
  const rows = o.rows || [];
  const total = (r) => (stacked ? r.values.filter(isNum).reduce((a, b) => a + b, 0) : (isNum(r.value) ? r.value : 0));
  const max = Math.max(1, ...rows.map(total));
  const valueSpace = Math.max(56, ...rows.map((r) => textWidth(isNum(stacked ? total(r) : r.value) ? fmt(total(r)) : t('chartWithheldShort'), 13) + 12));
  const barW = W - valueSpace - 4;
  const maxChars = Math.max(16, Math.floor(W / (14 * 0.58)));
  const hatch = `${id}-hatch`;
  const stripe = `${id}-stripe`;
  const lineH = 17;
  let yy = 4;
  const body = svg('g', null);
  // Values inside and after stacked bars: on top of the bars, out of their links' names.
  const onTop = svg('g', { class: 'chart-on-top', 'aria-hidden': 'true' });
  const marks = [];
  let anyWithheld = false;
  rows.forEach((r, ri) => {
    const lines = wrap(r.label, maxChars);
    const g = svg('g', { class: 'chart-row' });
    lines.forEach((ln, li) => g.append(svg('text', { x: 0, y: yy + 13 + li * lineH, class: 'chart-bar-label', text: ln })));
    const by = yy + lines.length * lineH + 3;
    const bh = 16;
    let aria;
    if (!stacked) {
      if (isNum(r.value)) {
        const w = Math.max(1, (r.value / max) * barW);
        g.append(svg('rect', { x: 0, y: by, width: r1(w), height: bh, class: 'chart-bar', dataset: { key: r.key, value: r.value } }));
        onTop.append(svg('text', { x: r1(w + 6), y: by + 12.5, class: 'chart-bar-value', text: fmt(r.value) }));
        aria = `${r.label}: ${fmt(r.value)}`;
      } else {
        anyWithheld = true;
        g.append(svg('rect', { x: 0, y: by, width: 22, height: bh, fill: `url(#${hatch})`, class: 'chart-bar-withheld', dataset: { key: r.key, withheld: 'true' } }));
        onTop.append(svg('text', { x: 28, y: by + 12.5, class: 'chart-bar-value chart-withheld-text', text: t('chartWithheldShort') }));
        aria = `${r.label}: ${t('chartWithheld')}`;
      }
    } else {
      let x0 = 0;
      const parts = [];
      const held = [];
      r.values.forEach((v, si) => {
        const s = o.series[si];
        if (!isNum(v)) { held.push(s.label); return; }
        if (v === 0) { parts.push(`${s.label} ${fmt(v)}`); return; }
        const w = (v / max) * barW;
        // A tooltip per part, unless the row is a link (its name says every part).
        const seg = svg('rect', { x: r1(x0), y: by, width: r1(Math.max(w, 1)), height: bh, class: `chart-seg chart-s${si}`, dataset: { key: r.key, series: s.key, value: v } },
          r.href ? null : svg('title', { text: `${r.label} — ${s.label}: ${fmt(v)}` }));
        g.append(seg);
        if (si % 2) g.append(svg('rect', { x: r1(x0), y: by, width: r1(Math.max(w, 1)), height: bh, fill: `url(#${stripe})`, class: 'chart-seg-stripe', 'aria-hidden': 'true' }));
        if (w >= textWidth(fmt(v), 10) + 6) {
          onTop.append(svg('text', { x: r1(x0 + w / 2), y: by + 12, 'text-anchor': 'middle', class: `chart-seg-value chart-s${si}-text`, text: fmt(v) }));
        }
        x0 += w;
        parts.push(`${s.label} ${fmt(v)}`);
      });
      let tx = x0 + 6;
      if (held.length) {
        anyWithheld = true;
        g.append(svg('rect', { x: r1(x0 + 3), y: by, width: 14, height: bh, fill: `url(#${hatch})`, class: 'chart-bar-withheld', dataset: { key: r.key, withheld: held.length } },
          r.href ? null : svg('title', { text: `${t('chartWithheld')}: ${held.join(', ')}` })));
        tx = x0 + 22;
      }
      onTop.append(svg('text', { x: r1(tx), y: by + 12.5, class: 'chart-bar-value', text: fmt(total(r)) }));
      aria = `${r.label}: ${fmt(total(r))}; ${parts.join(', ')}${held.length ? `; ${t('chartWithheld')}: ${held.join(', ')}` : ''}`;
    }
    let node = g;
    if (r.href) {
      node = svg('a', { href: r.href, 'aria-label': aria, class: 'chart-link', dataset: { row: 0, col: ri } }, g);
      marks.push(node);
    } else {
      g.setAttribute('role', 'img');
      g.setAttribute('aria-label', aria);
      g.dataset.row = '0';
      g.dataset.col = String(ri);
      marks.push(g);
    }
    body.append(node);
    yy = by + bh + 12;
  });
  const H = Math.max(yy, 20);
  const root = svgRoot(id, W, H, o.title, o.desc);
  root.append(svg('defs', null, hatchDef(hatch),
    svg('pattern', { id: stripe, width: 5, height: 5, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(-45)' },
      svg('line', { x1: 0, y1: 0, x2: 0, y2: 5, class: 'chart-stripe-line' }))), body, onTop);
  // Links are tab stops of their own; other rows are reached with the arrow keys.
  const { node: plot, over } = overlay(root, o.title, marks);
  if (over && !rows.some((r) => r.href)) roving(over, marks, null);

  const legendItems = stacked ? o.series.map((s, si) => ({ swatch: swatch('seg', si), text: s.label })) : [];
  if (anyWithheld) legendItems.push({ swatch: swatch('hatch', 0, hatch), text: t('chartWithheldLegend', fmtInt(o.k || 0)) });
  const headers = [o.rowHeader || '', ...(stacked ? o.series.map((s) => s.label) : [o.valueLabel || t('colCases')])];
  const table = tableNode(o.title, headers, rows.map((r) => h('tr', null,
    h('th', { scope: 'row' }, r.href ? h('a', { href: r.href }, r.label) : r.label),
    (stacked ? r.values : [r.value]).map((v) => h('td', { class: 'num', dataset: isNum(v) ? { value: v } : null }, isNum(v) ? fmt(v) : withheldNode(o.k || 0))))));
  return frame({ ...o, id, kind: stacked ? 'stacked' : 'bar' }, plot, legendItems.length ? legendNode(legendItems) : null, table);
}

// ---------------------------------------------------------------- tile map

// Where each region's tile stands: [column, row], roughly as on a map (north up). Kazakhstan
// above, Kyrgyzstan below it, its name beside Shymkent. Cities are drawn round.
const TILES = /* tile-grid */ {
  "KZ-59": [3, 0],
  "KZ-39": [2, 1], "KZ-11": [3, 1], "KZ-55": [4, 1],
  "KZ-27": [0, 2], "KZ-15": [1, 2], "KZ-71": [3, 2], "KZ-10": [5, 2], "KZ-63": [6, 2],
  "KZ-23": [0, 3], "KZ-62": [2, 3], "KZ-35": [3, 3], "KZ-33": [5, 3],
  "KZ-47": [0, 4], "KZ-43": [2, 4], "KZ-19": [4, 4], "KZ-75": [5, 4],
  "KZ-61": [2, 5], "KZ-31": [3, 5],
  "KZ-79": [2, 6],
  "KG-GB": [4, 7],
  "KG-T": [3, 8], "KG-C": [4, 8], "KG-Y": [5, 8],
  "KG-J": [3, 9], "KG-N": [4, 9],
  "KG-B": [1, 10], "KG-O": [2, 10], "KG-GO": [3, 10]
};
const MAP_COLS = 7;
const MAP_CLASSES = 5;

// tileMap colours the regions by a rate. o = { id, title, desc, note, regions: [{ code,
// jurisdiction, kind, label }], values: Map(code -> { value, count }) (value null: not
// known; count null: withheld; no entry: withheld, the API lists no bucket), k, fmt,
// valueLabel, countLabel, hrefFor(code), jurisdictionLabel(code), width, links }.
export function tileMap(o) {
  const id = o.id || `chart-${++uid}`;
  const fmt = o.fmt || ((v) => fmtNumber(v, 1));
  const W = Math.min(o.width || chartWidth(), 560);
  const regions = (o.regions || []).filter((r) => TILES[r.code]);
  const jurisdictions = [...new Set(regions.map((r) => r.jurisdiction))];
  const offset = {}; // rows to move a country up when the other is not shown
  if (jurisdictions.length === 1 && jurisdictions[0] === 'KG') offset.KG = -7;
  const size = Math.floor(Math.min(72, (W - 4) / MAP_COLS));
  const gap = 3;
  const top = 20;
  const vals = regions.map((r) => o.values.get(r.code)).filter((v) => v && isNum(v.value)).map((v) => v.value);
  const { max } = niceScale(vals.length ? Math.max(...vals) : 1, false);
  const classOf = (v) => Math.min(MAP_CLASSES - 1, Math.floor((v / max) * MAP_CLASSES));
  let maxRow = 0;
  const root = svgRoot(id, W, 10, o.title, o.desc);
  const hatch = `${id}-hatch`;
  root.append(svg('defs', null, hatchDef(hatch)));
  const marks = [];
  const seen = { withheld: false, na: false };
  const onTop = svg('g', { class: 'chart-on-top', 'aria-hidden': 'true' });
  for (const j of jurisdictions) {
    const rows = regions.filter((r) => r.jurisdiction === j).map((r) => TILES[r.code][1] + (offset[j] || 0));
    const first = Math.min(...rows);
    root.append(svg('text', { x: 0, y: r1(top + first * size - 6 + (j === 'KZ' ? 0 : 0)), class: 'chart-map-country', text: o.jurisdictionLabel ? o.jurisdictionLabel(j) : j }));
  }
  regions.forEach((r) => {
    const [c, row0] = TILES[r.code];
    const row = row0 + (offset[r.jurisdiction] || 0);
    maxRow = Math.max(maxRow, row);
    const x = c * size;
    const y = top + row * size;
    const v = o.values.get(r.code);
    let cls;
    let valueText;
    let aria;
    if (!v || !isNum(v.count)) {
      cls = 'chart-tile is-withheld';
      valueText = '—';
      seen.withheld = true;
      aria = `${r.label}: ${t('chartWithheld')}`;
    } else if (!isNum(v.value)) {
      cls = 'chart-tile is-na';
      valueText = '?';
      seen.na = true;
      aria = `${r.label}: ${t('chartNoRate')}; ${o.countLabel || t('colCases')} ${fmtInt(v.count)}`;
    } else {
      cls = `chart-tile chart-map-c${classOf(v.value)}`;
      valueText = fmt(v.value);
      aria = `${r.label}: ${fmt(v.value)} ${o.valueLabel || ''}; ${o.countLabel || t('colCases')} ${fmtInt(v.count)}`.replace(/\s+;/, ';');
    }
    const shape = svg('rect', {
      x: x + gap / 2, y: y + gap / 2, width: size - gap, height: size - gap,
      rx: r.kind === 'CITY' ? (size - gap) / 2 : 3, class: cls,
      fill: cls.includes('is-withheld') ? `url(#${hatch})` : null,
      dataset: { code: r.code, value: v && isNum(v.value) ? v.value : '', withheld: !v || !isNum(v.count) ? 'true' : null },
    });
    const textCls = cls.replace('chart-tile ', '');
    const word = String(r.label).split(/[\s-]/)[0];
    const room = size < 50 ? 6 : 8;
    const abbr = word.length > room ? `${word.slice(0, room - 1)}.` : word;
    const href = o.hrefFor ? o.hrefFor(r.code) : null;
    // The tile's words go on top of it, out of its link's name (which says them in full).
    onTop.append(
      svg('text', { x: r1(x + size / 2), y: r1(y + size / 2 - 2), 'text-anchor': 'middle', class: `chart-tile-name ${textCls}`, text: abbr }),
      svg('text', { x: r1(x + size / 2), y: r1(y + size / 2 + 12), 'text-anchor': 'middle', class: `chart-tile-value ${textCls}`, text: valueText }));
    const g = svg('g', { class: 'chart-tile-g' }, shape, href ? null : svg('title', { text: aria }));
    const node = href ? svg('a', { href, 'aria-label': aria, class: 'chart-link' }, g) : g;
    if (!href) { g.setAttribute('role', 'img'); g.setAttribute('aria-label', aria); g.dataset.row = String(row); g.dataset.col = String(c); marks.push(g); }
    root.append(node);
  });
  root.append(onTop);
  const H = top + (maxRow + 1) * size + 4;
  root.setAttribute('viewBox', `0 0 ${W} ${H}`);
  root.setAttribute('height', String(H));
  const { node: plot, over } = overlay(root, o.title, marks);
  if (over && marks.length) roving(over, marks, null);

  const legendItems = [];
  for (let i = 0; i < MAP_CLASSES; i++) {
    const lo = (max / MAP_CLASSES) * i;
    const hi = (max / MAP_CLASSES) * (i + 1);
    legendItems.push({ swatch: swatch(`chart-tile chart-map-c${i}`), text: `${fmt(lo)}–${fmt(hi)}` });
  }
  if (seen.withheld) legendItems.push({ swatch: swatch('hatch', 0, hatch), text: t('chartWithheldLegend', fmtInt(o.k || 0)) });
  if (seen.na) legendItems.push({ swatch: swatch('chart-tile is-na'), text: t('chartNoRateLegend') });
  legendItems.push({ swatch: swatch('chart-tile chart-map-shape'), text: t('chartMapRegion') },
    { swatch: swatch('chart-tile chart-map-shape is-city'), text: t('chartMapCity') });
  const table = tableNode(o.title, [o.rowHeader || '', o.valueLabel || '', o.countLabel || t('colCases')], regions.map((r) => {
    const v = o.values.get(r.code);
    const href = o.hrefFor ? o.hrefFor(r.code) : null;
    return h('tr', null,
      h('th', { scope: 'row' }, href ? h('a', { href }, r.label) : r.label, ' ', h('span', { class: 'muted code' }, r.code)),
      h('td', { class: 'num', dataset: v && isNum(v.value) ? { value: v.value } : null }, v && isNum(v.value) ? fmt(v.value) : v && isNum(v.count) ? h('span', { class: 'withheld', title: t('chartNoRateLegend') }, t('chartNoRate')) : withheldNode(o.k || 0)),
      h('td', { class: 'num', dataset: v && isNum(v.count) ? { value: v.count } : null }, v && isNum(v.count) ? fmtInt(v.count) : withheldNode(o.k || 0)));
  }));
  return frame({ ...o, id, kind: 'map', class: 'chart-map' }, plot, legendNode(legendItems), table);
}
