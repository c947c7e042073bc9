// The overview, the portal's landing page: one year at a glance beside the official
// figures, the funnel, the trend over every period, what the cases are about, appeal
// outcomes and a map of cases per 100,000 inhabitants. Each chart links to the statistics
// view and to the case list behind it. The link may carry the case filters, a year and the
// trend's interval: #/overview?year=2025&interval=MONTH&jurisdiction=KG.

import { gql, prefetch } from '../api.js';
import { setTitle, showErrors, showException, updateRelease } from '../chrome.js';
import { barChart, chartWidth, lineChart, periodSeries, stackedBarChart, tileMap } from '../charts.js';
import { loadRegions, prefetchRegions } from '../data.js';
import { embedDisclosure, embedURL, statisticsDownloads } from '../downloads.js';
import { filterParams, filtersFromParams, filtersHash, caseFilter, oneOf, reportLinkProblems } from '../filters.js';
import { t } from '../i18n.js';
import { Q_OVERVIEW, Q_OVERVIEW_GROUPS, Q_OVERVIEW_TREND } from '../queries.js';
import { state } from '../state.js';
import {
  categoryLabel, codes, fmtInt, fmtNumber, h, isCode, loadingNode, navigate, regionLabel, sourceNode, term, unitAbbr,
} from '../util.js';

const DEFAULT_INTERVAL = 'QUARTER';
const YEAR_RE = /^(19|20)\d\d$/;
// The units official figures are given in, as the portal says them.
const UNIT_KEYS = { instances: 'ovUnitInstances', posts: 'ovUnitPosts', persons: 'ovUnitPersons', people: 'ovUnitPeople' };

function clone(x) { return JSON.parse(JSON.stringify(x)); }

function ovFromParams(p) {
  const s = filtersFromParams(p);
  const year = p.get('year');
  s.year = year && YEAR_RE.test(year) ? Number(year) : null;
  if (year && !s.year) s.problems.push({ param: 'year', value: year, expected: t('ovExpectedYear') });
  const interval = p.get('interval');
  s.interval = interval && isCode('Interval', interval) ? interval : DEFAULT_INTERVAL;
  if (interval && s.interval !== interval) s.problems.push(oneOf('interval', interval, 'Interval'));
  return s;
}

function ovHash(s) {
  const parts = [];
  if (s.year) parts.push(`year=${s.year}`);
  if (s.interval && s.interval !== DEFAULT_INTERVAL) parts.push(`interval=${s.interval}`);
  parts.push(...filterParams(s));
  return `#/overview${parts.length ? `?${parts.join('&')}` : ''}`;
}

// The filters of one year: cases whose content was reported in it.
function yearFilters(s, year) {
  const n = clone(s);
  n.from = `${year}-01-01`;
  n.to = `${year}-12-31`;
  if (s.from && s.from > n.from) n.from = s.from;
  if (s.to && s.to < n.to) n.to = s.to;
  return n;
}

function statsLink(by, interval, n) {
  const parts = [`by=${by}`];
  if (interval) parts.push(`interval=${interval}`);
  parts.push(...filterParams(n));
  return `#/statistics?${parts.join('&')}`;
}

// casesWith is the case list of n narrowed to one value of a list filter (null when the
// value has no filter: NONE).
function casesWith(n, key, code) {
  if (!code || code === 'NONE') return null;
  const m = clone(n);
  m.lists[key] = [code];
  return filtersHash(m, null);
}

const PERIOD_RE = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/;
// periodRange gives the first and last day of "2024", "2024-Q2" or "2024-05".
function periodRange(period) {
  const m = PERIOD_RE.exec(period || '');
  if (!m) return null;
  const y = Number(m[1]);
  let first = 1;
  let last = 12;
  if (m[2]) { first = (Number(m[2]) - 1) * 3 + 1; last = first + 2; } else if (m[3]) { first = Number(m[3]); last = first; }
  const pad = (x) => String(x).padStart(2, '0');
  return { from: `${y}-${pad(first)}-01`, to: `${y}-${pad(last)}-${pad(new Date(Date.UTC(y, last, 0)).getUTCDate())}` };
}

function periodCases(s, period) {
  const r = periodRange(period);
  if (!r) return null;
  const n = clone(s);
  n.from = r.from;
  n.to = r.to;
  if (s.from && s.from > n.from) n.from = s.from;
  if (s.to && s.to < n.to) n.to = s.to;
  if (n.from > n.to) return null;
  return filtersHash(n, null);
}

function withheldFigure(k) {
  return h('span', { class: 'withheld', title: t('withheldCell', fmtInt(k)) },
    h('span', { 'aria-hidden': 'true' }, '—'), ' ', h('span', { class: 'ov-withheld-word' }, t('chartWithheld')));
}

function isNum(v) { return v !== null && v !== undefined && Number.isFinite(v); }

// ---------------------------------------------------------------- parts of the page

function headlineNode(s, year, stats, official) {
  const k = stats.suppressionThreshold;
  const total = stats.total || {};
  const ys = yearFilters(s, year);
  const card = (figure, label, value, href) => h('div', { class: 'ov-card' },
    h('p', { class: 'ov-card-label' }, label),
    h('p', { class: 'ov-card-value', dataset: { figure, value: isNum(value) ? value : '', withheld: isNum(value) ? null : 'true' } },
      isNum(value) ? fmtInt(value) : withheldFigure(k)),
    href ? h('p', { class: 'ov-card-link' }, h('a', { href }, t('showCases'))) : null);
  const liable = clone(ys); liable.lists.decisions = ['LIABLE'];
  const fined = clone(ys); fined.lists.sanctions = ['FINE'];
  const fines = (total.fines || []).slice().sort((a, b) => a.currency.localeCompare(b.currency));
  const fineCard = h('div', { class: 'ov-card' },
    h('p', { class: 'ov-card-label' }, t('colMedianFine')),
    fines.length ? fines.map((f) => h('p', { class: 'ov-card-value ov-card-money', dataset: { figure: 'fineMedian', currency: f.currency, value: isNum(f.median) ? f.median : '' } },
      isNum(f.median) ? `${fmtNumber(f.median, 0)} ${f.currency}` : withheldFigure(k),
      f.indexUnits && isNum(f.indexUnits.median)
        ? h('span', { class: 'ov-card-units' }, ` ≈ ${fmtNumber(f.indexUnits.median)} `, unitAbbr(f.indexUnits.unit)) : null))
      : h('p', { class: 'ov-card-value' }, '—'),
    h('p', { class: 'ov-card-link' }, h('a', { href: statsLink('JURISDICTION', null, ys) }, t('ovOpenStats'))));

  // The figures about the same year (those whose period overlaps it), else the latest
  // three; the sources view lists them all.
  const all = (official || []).filter((f) => f.metric !== 'population');
  const overlap = all.filter((f) => f.periodStart <= `${year}-12-31` && f.periodEnd >= `${year}-01-01`);
  const figures = overlap.length ? overlap : all.slice().sort((a, b) => b.periodEnd.localeCompare(a.periodEnd)).slice(0, 3);
  const unit = (f) => {
    if (f.unit === 'percent') return `${fmtNumber(f.value, 1)} %`;
    if (f.unit === 'persons' && f.value === 1) return `${fmtNumber(f.value, 0)} ${t('srcUnitPersonsOne')}`;
    if (UNIT_KEYS[f.unit]) return `${fmtNumber(f.value, 0)} ${t(UNIT_KEYS[f.unit])}`;
    return `${fmtNumber(f.value, 0)} ${f.unit}`;
  };
  return [
    h('h2', { id: 'ov-sec-headline' }, t('ovHeadlineTitle', year)),
    h('p', { class: 'hint' }, t('ovHeadlineNote', year)),
    h('div', { class: 'ov-headline' },
      h('div', { class: 'ov-cards', id: 'ov-headline', dataset: { year } },
        card('count', t('colCases'), total.count, filtersHash(ys, null)),
        card('liable', t('colLiable'), total.liable, filtersHash(liable, null)),
        card('fined', t('colFined'), total.fined, filtersHash(fined, null)),
        fineCard),
      h('aside', { class: 'ov-official', 'aria-labelledby': 'ov-official-title' },
        h('h3', { id: 'ov-official-title' }, t('ovOfficialTitle')),
        h('p', { class: 'hint' }, t('ovOfficialNote')),
        figures.length ? h('ul', { class: 'ov-official-list' }, figures.map((f) => h('li', null,
          h('strong', { class: 'ov-official-value' }, unit(f)), ' ',
          h('span', { class: 'muted' }, `${term('Jurisdiction', f.jurisdiction)}, ${f.periodStart === f.periodEnd ? f.periodStart : `${f.periodStart} – ${f.periodEnd}`}`),
          h('br'),
          h('span', null, f.definition),
          h('br'),
          h('span', { class: 'ov-official-source' }, `${t('colSource')}: `, sourceNode(f.source), ` · ${t('colVerified')}: ${f.verified}`))))
          : h('p', { class: 'hint' }, t('noRows')),
        h('p', null, h('a', { href: '#/sources' }, t('ovAllSources'))))),
  ];
}

function funnelNodes(s, year, funnel, widths) {
  const k = funnel.suppressionThreshold;
  const ys = yearFilters(s, year);
  const steps = funnel.steps || [];
  const det = steps.filter((x) => x.step === 'DETECTED' || x.step === 'REFERRED');
  const cases = steps.filter((x) => x.step !== 'DETECTED' && x.step !== 'REFERRED');
  const rowsOf = (list) => list.filter((x) => x.available).map((x) => ({ key: x.step, label: x.label || term('FunnelStepKind', x.step), value: x.suppressed ? null : x.count }));
  const links = [{ href: statsLink('JURISDICTION', null, ys), text: t('ovOpenStats') }, { href: filtersHash(ys, null), text: t('showAllCases') }];
  const out = [
    h('h2', { id: 'ov-sec-funnel' }, t('secFunnel')),
    h('p', { class: 'hint' }, t('funnelIntro')),
  ];
  const detRows = rowsOf(det);
  const grid = h('div', { class: 'ov-grid' });
  if (detRows.length) {
    grid.append(barChart({
      id: 'ov-funnel-detections', title: `${t('funnelDetections')}, ${year}`, note: t('funnelDetectionsNote'),
      desc: t('ovBarDesc', detRows.map((r) => `${r.label} ${isNum(r.value) ? fmtInt(r.value) : t('chartWithheld')}`).join('; ')),
      rows: detRows, k, width: widths.half, rowHeader: t('ovStep'), valueLabel: t('ovCount'),
    }));
  } else {
    grid.append(h('p', { class: 'hint' }, t('funnelUnavailableTitle')));
  }
  const caseRows = rowsOf(cases);
  grid.append(barChart({
    id: 'ov-funnel-cases', title: `${t('funnelCases')}, ${year}`, note: t('ovFunnelCasesNote'),
    desc: t('ovBarDesc', caseRows.map((r) => `${r.label} ${isNum(r.value) ? fmtInt(r.value) : t('chartWithheld')}`).join('; ')),
    rows: caseRows, k, width: widths.half, rowHeader: t('ovStep'), links,
  }));
  out.push(grid);
  return out;
}

// rowsOf lists one bar per code of a one-dimension statistics answer: the codes the API
// knows, each with its bucket's count or null (no bucket: fewer than k cases, possibly
// none), the largest first and the withheld last; NONE only when the API lists it.
function rowsOf(stats, allCodes, label, hrefOf) {
  const by = new Map(((stats && stats.buckets) || []).map((b) => [b.key[0].code, b]));
  const list = allCodes.map((code) => ({ code, b: by.get(code) }));
  if (by.has('NONE')) list.push({ code: 'NONE', b: by.get('NONE') });
  return list.map(({ code, b }) => ({
    key: code,
    label: code === 'NONE' ? t('noneGroup') : (b && b.key[0].label) || label(code),
    value: b && isNum(b.count) ? b.count : null,
    href: hrefOf(code),
  })).sort((a, b) => (isNum(b.value) ? b.value : -1) - (isNum(a.value) ? a.value : -1));
}

function describeRows(rows) {
  return t('ovBarDesc', rows.map((r) => `${r.label} ${isNum(r.value) ? fmtInt(r.value) : t('chartWithheld')}`).join('; '));
}

function breakdownNodes(s, year, main, groups, k, widths) {
  const ys = yearFilters(s, year);
  const grid = h('div', { class: 'ov-grid' });
  // Concern by decision, stacked.
  const concernCodes = codes('Concern');
  const decisionCodes = [...codes('Decision'), 'NONE'];
  const cb = new Map();
  for (const b of (main.concern && main.concern.buckets) || []) {
    const c = b.key.find((x) => x.dimension === 'CONCERN');
    const d = b.key.find((x) => x.dimension === 'DECISION');
    if (c && d) cb.set(`${c.code}|${d.code}`, b.count);
  }
  const usedDecisions = decisionCodes.filter((d) => concernCodes.some((c) => cb.has(`${c}|${d}`)));
  const series = usedDecisions.map((d) => ({ key: d, label: d === 'NONE' ? t('ovNotDecided') : term('Decision', d) }));
  const concernRows = concernCodes.map((c) => ({
    key: c, label: term('Concern', c), href: casesWith(ys, 'concerns', c),
    values: usedDecisions.map((d) => (isNum(cb.get(`${c}|${d}`)) ? cb.get(`${c}|${d}`) : null)),
  }));
  grid.append(stackedBarChart({
    id: 'ov-concern', title: t('ovByConcern', year), note: t('ovByConcernNote'),
    desc: t('ovBarDesc', concernRows.map((r) => `${r.label}: ${r.values.map((v, i) => `${series[i].label} ${isNum(v) ? fmtInt(v) : t('chartWithheld')}`).join(', ')}`).join('; ')),
    rows: concernRows, series, k, width: widths.half, rowHeader: t('fConcern'),
    links: [{ href: statsLink('CONCERN', null, ys), text: t('ovOpenStats') }, { href: filtersHash(ys, null), text: t('showAllCases') }],
    extra: statisticsDownloads(['CONCERN', 'DECISION'], null, ys),
  }));
  const simple = (id, stats, dim, enumName, key, label, title) => {
    const rows = rowsOf(stats, codes(enumName), label, (code) => casesWith(ys, key, code));
    return barChart({
      id, title, desc: describeRows(rows), rows, k, width: widths.half, rowHeader: term('Dimension', dim),
      links: [{ href: statsLink(dim, null, ys), text: t('ovOpenStats') }, { href: filtersHash(ys, null), text: t('showAllCases') }],
      extra: statisticsDownloads([dim], null, ys),
    });
  };
  grid.append(
    simple('ov-category', main.category, 'CATEGORY', 'ContentCategory', 'categories', categoryLabel, t('ovByCategory', year)),
    simple('ov-platform', groups.platform, 'PLATFORM', 'Platform', 'platforms', (c) => term('Platform', c), t('ovByPlatform', year)),
    simple('ov-kind', groups.kind, 'DEFENDANT_KIND', 'DefendantKind', 'kinds', (c) => term('DefendantKind', c), t('ovByKind', year)));
  return [h('h2', { id: 'ov-sec-breakdowns' }, t('ovBreakdowns')), grid];
}

function appealNodes(s, year, groups, k, widths) {
  const ys = yearFilters(s, year);
  const stats = groups.appeals || { buckets: [] };
  const none = stats.buckets.find((b) => b.key[0].code === 'NONE');
  const rows = rowsOf({ buckets: stats.buckets.filter((b) => b.key[0].code !== 'NONE') }, codes('AppealStatus'),
    (c) => term('AppealStatus', c), (code) => casesWith(ys, 'appeals', code));
  return [
    h('h2', { id: 'ov-sec-appeals' }, t('ovAppealsTitle')),
    barChart({
      id: 'ov-appeals', title: t('ovAppeals', year),
      note: none && isNum(none.count) ? t('ovAppealsNote', fmtInt(none.count)) : t('ovAppealsNoteWithheld'),
      desc: describeRows(rows), rows, k, width: widths.half, rowHeader: t('fAppeal'),
      links: [{ href: statsLink('APPEAL_STATUS', null, ys), text: t('ovOpenStats') }, { href: filtersHash(ys, null), text: t('showAllCases') }],
      extra: statisticsDownloads(['APPEAL_STATUS'], null, ys),
    }),
  ];
}

function mapNodes(s, year, main, regions, k, widths) {
  const ys = yearFilters(s, year);
  const values = new Map();
  let popYear = null;
  for (const b of (main.regions && main.regions.buckets) || []) {
    const code = b.key[0].code;
    if (b.period && b.period !== String(year)) continue;
    values.set(code, { value: isNum(b.countPer100k) ? b.countPer100k : null, count: isNum(b.count) ? b.count : null });
    if (b.populationYear) popYear = b.populationYear;
  }
  let shown = regions.filter((r) => !s.jurisdiction || r.jurisdiction === s.jurisdiction);
  if (s.lists.regions.length) shown = shown.filter((r) => s.lists.regions.includes(r.code));
  const list = shown.map((r) => ({ code: r.code, jurisdiction: r.jurisdiction, kind: r.kind, label: regionLabel(r) }));
  const withRate = list.filter((r) => values.get(r.code) && isNum(values.get(r.code).value))
    .sort((a, b) => values.get(b.code).value - values.get(a.code).value);
  const desc = withRate.length
    ? t('ovMapDesc', withRate.slice(0, 3).map((r) => `${r.label} ${fmtNumber(values.get(r.code).value, 1)}`).join(', '),
      withRate.slice(-1).map((r) => `${r.label} ${fmtNumber(values.get(r.code).value, 1)}`).join(''))
    : t('noStats');
  return [
    h('h2', { id: 'ov-sec-map' }, t('ovMapTitle')),
    tileMap({
      id: 'ov-map', title: t('ovMap', year), note: popYear ? t('ovMapNote', popYear) : t('ovMapNoteNoYear'),
      desc, regions: list, values, k, width: widths.full, valueLabel: t('colPer100k'), countLabel: t('colCases'),
      rowHeader: t('fRegion'), hrefFor: (code) => casesWith(ys, 'regions', code),
      jurisdictionLabel: (j) => term('Jurisdiction', j),
      links: [{ href: statsLink('REGION', 'YEAR', ys), text: t('ovOpenStats') }, { href: filtersHash(ys, null), text: t('showAllCases') }],
      extra: statisticsDownloads(['REGION'], 'YEAR', ys),
    }),
  ];
}

function trendNodes(s, trend, widths) {
  // A period not over yet would look like a fall: it is left out, and the note says so.
  const today = new Date().toISOString().slice(0, 10);
  const partial = [];
  const buckets = (trend.buckets || []).filter((b) => {
    const r = periodRange(b.period);
    if (r && r.to >= today) { partial.push(b.period); return false; }
    return true;
  });
  const { periods, series } = periodSeries(buckets, [
    { key: 'count', label: t('colCases') },
    { key: 'liable', label: t('colLiable') },
    { key: 'fined', label: t('colFined') },
  ]);
  const nWithheld = series.reduce((a, x) => a + x.values.filter((v) => !isNum(v)).length, 0);
  const noYear = clone(s);
  return [
    h('h2', { id: 'ov-sec-trend' }, t('ovTrendTitle')),
    periods.length ? lineChart({
      id: 'ov-trend', title: t('ovTrend', t(`interval${s.interval}`).toLowerCase()),
      extra: embedDisclosure(embedURL('overview-trend', null, s.interval, noYear), t('ovTrend', t(`interval${s.interval}`).toLowerCase()), 640),
      note: partial.length ? `${t('ovTrendNote')} ${t('ovTrendPartial', partial.join(', '))}` : t('ovTrendNote'),
      desc: t('ovTrendDesc', periods[0], periods[periods.length - 1], fmtInt(nWithheld)),
      periods, series, k: trend.suppressionThreshold, width: widths.full,
      periodHref: (p) => periodCases(s, p),
      links: [{ href: statsLink('JURISDICTION', s.interval, noYear), text: t('ovOpenStats') }, { href: filtersHash(noYear, null), text: t('showAllCases') }],
    }) : h('p', { class: 'empty-state' }, t('noStats')),
  ];
}

function controlsNode(s, years) {
  const form = h('form', { class: 'filters ov-controls', id: 'ov-controls', 'aria-labelledby': 'ov-controls-title', novalidate: true });
  const year = h('select', { id: 'ov-year', name: 'year' },
    years.map((y) => h('option', { value: String(y), selected: y === s.year }, String(y))));
  const jurisdiction = h('select', { id: 'ov-jurisdiction', name: 'jurisdiction' },
    h('option', { value: '' }, t('any')),
    codes('Jurisdiction').map((c) => h('option', { value: c, selected: c === s.jurisdiction }, term('Jurisdiction', c))));
  const interval = h('select', { id: 'ov-interval', name: 'interval' },
    codes('Interval').map((c) => h('option', { value: c, selected: c === s.interval }, t(`interval${c}`))));
  const field = (control, label) => h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
  form.append(h('h2', { id: 'ov-controls-title', class: 'visually-hidden' }, t('filters')),
    h('div', { class: 'filter-row filter-row-stats' },
      field(year, t('ovYear')), field(jurisdiction, t('fJurisdiction')), field(interval, t('ovTrendBy'))));
  form.addEventListener('change', () => {
    const n = clone(s);
    n.year = Number(year.value) || null;
    n.jurisdiction = jurisdiction.value || null;
    if (n.jurisdiction) n.lists.regions = n.lists.regions.filter((r) => r.startsWith(`${n.jurisdiction}-`));
    n.interval = interval.value || DEFAULT_INTERVAL;
    navigate(ovHash(n));
  });
  form.addEventListener('submit', (ev) => ev.preventDefault());
  return form;
}

// ---------------------------------------------------------------- the view

// yearRequests are the questions about one year; trendRequest the one over every period.
function yearRequests(s, y) {
  const f = caseFilter(yearFilters(s, y));
  return [
    [Q_OVERVIEW, { filter: f, lang: state.lang, jurisdiction: s.jurisdiction }],
    [Q_OVERVIEW_GROUPS, { filter: f, lang: state.lang }],
  ];
}

function trendRequest(s) {
  return [Q_OVERVIEW_TREND, { filter: caseFilter(s), interval: s.interval }];
}

// prefetchOverview sends the view's requests for the address r ahead, before the view runs
// (see prefetch in api.js): the year asked or the last full one, the trend and the regions.
export function prefetchOverview(r) {
  const s = ovFromParams(r.params);
  for (const [query, variables] of [...yearRequests(s, s.year || new Date().getUTCFullYear() - 1), trendRequest(s)]) {
    prefetch(query, variables);
  }
  prefetchRegions(null);
}

export async function viewOverview(r, ctx) {
  const s = ovFromParams(r.params);
  setTitle(t('ovTitle'));
  reportLinkProblems(s.problems);
  const controls = h('div');
  const note = h('div');
  const body = h('div', { class: 'ov-body' }, loadingNode());
  ctx.mount(h('section', { class: 'view view-overview' },
    h('h1', { tabindex: '-1' }, t('ovTitle')),
    h('p', { class: 'intro' }, t('ovIntro')),
    controls, note, body));

  const thisYear = new Date().getUTCFullYear();
  let year = s.year || thisYear - 1;
  const ask = (y) => Promise.all(yearRequests(s, y).map(([query, variables]) => gql(query, variables, ctx.signal)));
  const regionsP = loadRegions(null, ctx.signal).catch((e) => { showException(e); return []; });
  let [[main, groups], trend, regions] = await Promise.all([
    ask(year),
    gql(...trendRequest(s), ctx.signal),
    regionsP,
  ]);
  if (!ctx.isCurrent()) return;
  const years = (((trend.data && trend.data.years) || {}).buckets || [])
    .map((b) => Number(b.period)).filter((y) => y > 0).sort((a, b) => b - a);
  // No year asked and none of the last full year: the latest year with cases instead.
  if (!s.year && years.length && !years.includes(year)) {
    year = years.find((y) => y < thisYear) || years[0];
    [main, groups] = await ask(year);
    if (!ctx.isCurrent()) return;
  }
  s.year = year;
  const errors = [...main.errors, ...groups.errors, ...trend.errors];
  if (errors.length) showErrors(errors);
  const md = main.data || {};
  const gd = groups.data || {};
  if (md.currentRelease) updateRelease(md.currentRelease);
  controls.replaceChildren(controlsNode(s, years.includes(year) ? years : [year, ...years].sort((a, b) => b - a)));

  const k = (md.headline && md.headline.suppressionThreshold) || (trend.data && trend.data.trend && trend.data.trend.suppressionThreshold) || 0;
  note.replaceChildren(h('p', { class: 'stats-note ov-perturbed' },
    md.headline && md.headline.perturbed === false ? t('ovNotPerturbed', fmtInt(k)) : t('ovPerturbed', fmtInt(k)), ' ',
    h('a', { href: '#/methodology' }, t('ovHowProtected'))));

  const full = chartWidth();
  const widths = { full, half: full > 860 ? Math.floor((full - 24) / 2) : full };
  const section = (id, nodes) => h('section', { class: `ov-section ov-section-${id}`, 'aria-labelledby': `ov-sec-${id}` }, nodes);
  const parts = [];
  if (md.headline) parts.push(section('headline', headlineNode(s, year, md.headline, md.officialFigures)));
  if (md.funnel) parts.push(section('funnel', funnelNodes(s, year, md.funnel, widths)));
  if (trend.data && trend.data.trend) parts.push(section('trend', trendNodes(s, trend.data.trend, widths)));
  if (md.concern && gd.platform) parts.push(section('breakdowns', breakdownNodes(s, year, md, gd, k, widths)));
  if (gd.appeals) parts.push(section('appeals', appealNodes(s, year, gd, k, widths)));
  if (md.regions) parts.push(section('map', mapNodes(s, year, md, regions, k, widths)));
  body.replaceChildren(...parts);
}
