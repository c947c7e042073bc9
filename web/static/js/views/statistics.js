// Statistics: the case funnel and figures grouped by one dimension (and period), with
// withheld figures shown as such, never as numbers; a ranking of regions per 100,000
// inhabitants; every column sortable.

import { gql, prefetch } from '../api.js';
import { statisticsLineChart } from '../charts.js';
import { setTitle, showErrors, showException, updateRelease } from '../chrome.js';
import { loadRegions, prefetchRegions } from '../data.js';
import { embedDisclosure, embedURL, statisticsDownloads } from '../downloads.js';
import {
  ARTICLE_RE, caseFilter, DATE_RE, DEFAULT_ORDER, emptyFilters, facetDetails, FACETS, filterParams, filtersFromParams,
  filtersHash, oneOf, REGION_RE, renderChips, reportLinkProblems, syncFacets,
} from '../filters.js';
import { compareText, formatNumber, t } from '../i18n.js';
import { Q_ARTICLES, Q_FUNNEL, Q_STATISTICS } from '../queries.js';
import { session, state } from '../state.js';
import { codes, dash, fmtInt, fmtNumber, fmtPercent, h, isCode, navigate, refocus, term, unitAbbr } from '../util.js';

// The groupings offered, in the order of the schema; REGION first as the default.
const DEFAULT_DIMENSION = 'REGION';
// How a grouped value narrows the case list: the CaseFilter field it sets. Strict JSON
// (web_test.go checks it against schema.graphqls).
const DIMENSION_FILTER = /* dimension-filters */ {
  "JURISDICTION": "jurisdiction",
  "REGION": "regions",
  "CATEGORY": "categories",
  "CONCERN": "concerns",
  "PLATFORM": "platforms",
  "ARTICLE": "articles",
  "LIABILITY": "liabilities",
  "DEFENDANT_KIND": "defendantKinds",
  "STAGE": "stages",
  "DECISION": "decisions",
  "SANCTION": "sanctions",
  "APPEAL_STATUS": "appealStatuses"
};
// The groups a period chart draws: the largest by cases, so the lines stay readable.
const STATS_CHART_SERIES = 4;
const PERIOD_RE = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/;
const YEAR_RE = /^(19|20)\d\d$/;
// The rates a ranking of regions can follow: the link's word and the StatBucket field.
const RANKS = { count: 'countPer100k', liable: 'liablePer100k', fined: 'finedPer100k' };
// The columns a table can be sorted by (sort=column, sort=-column for descending).
const SORT_COLUMNS = ['rank', 'group', 'period', 'populationYear', 'count', 'countPer100k', 'rejection', 'noOffence',
  'liable', 'liablePer100k', 'fined', 'finedPer100k', 'fine', 'appealed', 'appealsSucceeded', 'days'];

// The articles of the API, loaded once: the article filter's choices.
let articlesCache = null;
async function loadArticles(signal) {
  if (articlesCache && articlesCache.lang === state.lang) return articlesCache.list;
  const { data, errors } = await gql(Q_ARTICLES, { lang: state.lang }, signal);
  if (errors.length) showErrors(errors);
  const list = (data && data.articles) || [];
  if (data) articlesCache = { lang: state.lang, list };
  return list;
}

function statsFromParams(p) {
  const s = filtersFromParams(p);
  s.order = DEFAULT_ORDER;
  s.after = null;
  const by = p.get('by');
  s.by = by && isCode('Dimension', by) ? by : DEFAULT_DIMENSION;
  if (by && s.by !== by) s.problems.push(oneOf('by', by, 'Dimension'));
  const interval = p.get('interval');
  s.interval = interval && isCode('Interval', interval) ? interval : null;
  if (interval && !s.interval) s.problems.push(oneOf('interval', interval, 'Interval'));
  // A ranking is of regions, year by year.
  const rank = p.get('rank');
  s.rank = rank && RANKS[rank] ? rank : null;
  if (rank && !s.rank) s.problems.push({ param: 'rank', value: rank, expected: t('linkExpectedOneOf', Object.keys(RANKS).join(', ')) });
  if (s.rank) {
    s.by = 'REGION';
    s.interval = 'YEAR';
  }
  const year = p.get('year');
  s.year = year && YEAR_RE.test(year) ? year : null;
  if (year && !s.year) s.problems.push({ param: 'year', value: year, expected: t('stLinkExpectedYear') });
  const sort = p.get('sort');
  s.sort = sort && SORT_COLUMNS.includes(sort.replace(/^-/, '')) ? sort : null;
  if (sort && !s.sort) {
    s.problems.push({ param: 'sort', value: sort, expected: t('stLinkExpectedSort', SORT_COLUMNS.join(', ')) });
  }
  return s;
}

function statsHash(s) {
  const parts = [];
  if (s.rank) {
    parts.push(`rank=${encodeURIComponent(s.rank)}`);
    if (s.year) parts.push(`year=${encodeURIComponent(s.year)}`);
  } else {
    if (s.by && s.by !== DEFAULT_DIMENSION) parts.push(`by=${encodeURIComponent(s.by)}`);
    if (s.interval) parts.push(`interval=${encodeURIComponent(s.interval)}`);
  }
  if (s.sort) parts.push(`sort=${encodeURIComponent(s.sort)}`);
  parts.push(...filterParams(s));
  return `#/statistics${parts.length ? `?${parts.join('&')}` : ''}`;
}

// periodRange gives the first and last day of "2024", "2024-Q2" or "2024-05".
function periodRange(period) {
  const m = PERIOD_RE.exec(period || '');
  if (!m) return null;
  const y = Number(m[1]);
  let first = 1;
  let last = 12;
  if (m[2]) { first = (Number(m[2]) - 1) * 3 + 1; last = first + 2; } else if (m[3]) { first = Number(m[3]); last = first; }
  const lastDay = new Date(Date.UTC(y, last, 0)).getUTCDate();
  const pad = (n) => String(n).padStart(2, '0');
  return { from: `${y}-${pad(first)}-01`, to: `${y}-${pad(last)}-${pad(lastDay)}` };
}

// bucketCasesHash is the case list of one bucket: the statistics filters narrowed to the
// bucket's value and, per period, to its report dates (cases are counted by report date).
function bucketCasesHash(s, bucket) {
  const n = JSON.parse(JSON.stringify(s));
  for (const k of bucket.key || []) {
    const field = DIMENSION_FILTER[k.dimension];
    if (!field || k.code === 'NONE') return null;
    if (field === 'jurisdiction') {
      if (!isCode('Jurisdiction', k.code)) return null;
      n.jurisdiction = k.code;
      n.lists.regions = n.lists.regions.filter((r) => r.startsWith(`${k.code}-`));
    } else {
      const f = FACETS.find((x) => x.field === field);
      if (!f) return null;
      const valid = f.enumName ? isCode(f.enumName, k.code) : (f.key === 'articles' ? ARTICLE_RE : REGION_RE).test(k.code);
      if (!valid) return null;
      n.lists[f.key] = [k.code];
    }
  }
  if (bucket.period) {
    const r = periodRange(bucket.period);
    if (!r) return null;
    if (!n.from || n.from < r.from) n.from = r.from;
    if (!n.to || n.to > r.to) n.to = r.to;
    if (n.from > n.to) return null;
  }
  return filtersHash(n, null);
}

// Only these groupings have a population to divide by (see StatBucket.countPer100k).
function hasPer100k(by) {
  return by === 'REGION' || by === 'JURISDICTION';
}


// fmtRate shows a figure per 100,000 with two decimals, so that a column lines up.
function fmtRate(x) {
  return formatNumber(x, 2, 2);
}

function buildStatsForm(s, regions, articles) {
  const form = h('form', { class: 'filters stats-form', id: 'stats-filters', 'aria-labelledby': 'stats-filters-title', novalidate: true });
  const ui = { form, facets: {} };
  ui.by = h('select', { id: 's-by', name: 'by' },
    codes('Dimension').map((c) => h('option', { value: c }, term('Dimension', c))));
  ui.interval = h('select', { id: 's-interval', name: 'interval' },
    h('option', { value: '' }, t('intervalNone')),
    codes('Interval').map((c) => h('option', { value: c }, t(`interval${c}`))));
  ui.rank = h('select', { id: 's-rank', name: 'rank', 'aria-describedby': 's-rank-hint' },
    h('option', { value: '' }, t('stRankNone')),
    h('option', { value: 'count' }, t('stRankCount')),
    h('option', { value: 'liable' }, t('stRankLiable')),
    h('option', { value: 'fined' }, t('stRankFined')));
  ui.year = h('select', { id: 's-year', name: 'year' });
  ui.jurisdiction = h('select', { id: 's-jurisdiction', name: 'jurisdiction', dataset: { field: 'jurisdiction' } },
    h('option', { value: '' }, t('any')),
    codes('Jurisdiction').map((c) => h('option', { value: c }, term('Jurisdiction', c))));
  // data-field: the CaseFilter field a control sets.
  const date = (id, field) => h('input', { id, name: id, type: 'date', min: '2000-01-01', max: '2099-12-31', dataset: { field } });
  ui.from = date('s-from', 'reportedFrom');
  ui.to = date('s-to', 'reportedTo');
  ui.decidedFrom = date('s-decidedFrom', 'decidedFrom');
  ui.decidedTo = date('s-decidedTo', 'decidedTo');
  ui.search = h('input', {
    id: 's-q', name: 'q', type: 'search', maxlength: '200', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 's-q-hint', dataset: { field: 'search' },
  });
  const field = (control, label, extra) => h('div', { class: 'field' }, h('label', { for: control.id }, label), control, extra || null);
  ui.yearField = field(ui.year, t('stRankYear'));
  form.append(
    h('h2', { id: 'stats-filters-title', class: 'visually-hidden' }, t('filters')),
    h('div', { class: 'filter-row filter-row-stats' },
      field(ui.by, t('statsGroupBy')),
      field(ui.interval, t('statsInterval')),
      field(ui.rank, t('stRankLabel'), h('p', { id: 's-rank-hint', class: 'hint' }, t('stRankHint'))),
      ui.yearField,
      field(ui.jurisdiction, t('fJurisdiction')),
      field(ui.from, t('fFrom')),
      field(ui.to, t('fTo')),
      field(ui.decidedFrom, t('stfDecidedFrom')),
      field(ui.decidedTo, t('stfDecidedTo')),
      h('div', { class: 'field field-search' },
        h('label', { for: 's-q' }, t('fSearch')),
        h('div', { class: 'search-box' }, ui.search, h('button', { type: 'submit', class: 'primary' }, t('apply'))),
        h('p', { id: 's-q-hint', class: 'hint' }, t('fSearchHint')))),
    h('div', { class: 'facets' },
      FACETS.map((f) => facetDetails(ui, f, regions, 's', articles))));
  ui.chips = h('div', { class: 'chips', 'aria-live': 'polite' });
  form.append(ui.chips);

  const dates = [ui.from, ui.to, ui.decidedFrom, ui.decidedTo];
  let dateTimer = 0;
  form.addEventListener('change', (ev) => {
    if (ev.target === ui.search) return;
    clearTimeout(dateTimer);
    if (dates.includes(ev.target)) {
      const origin = ev.target;
      dateTimer = setTimeout(() => applyStatsForm(ui, origin), 700);
      return;
    }
    applyStatsForm(ui, ev.target);
  });
  ui.search.addEventListener('search', () => {
    if (ui.search.value === '') applyStatsForm(ui, ui.search);
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    applyStatsForm(ui, ui.search);
  });
  return ui;
}

// applyStatsForm reads the form over the current choices. Choosing a ranking groups by
// region and year; grouping otherwise ends the ranking.
function applyStatsForm(ui, origin) {
  for (const d of [ui.from, ui.to, ui.decidedFrom, ui.decidedTo]) {
    if (d.value && !DATE_RE.test(d.value)) {
      showErrors([{ message: t('errDateFormat') }]);
      return;
    }
  }
  const s = JSON.parse(JSON.stringify(ui.state));
  s.by = ui.by.value || DEFAULT_DIMENSION;
  s.interval = ui.interval.value || null;
  s.rank = ui.rank.value || null;
  s.year = s.rank ? ui.year.value || null : null;
  if (origin === ui.rank) s.sort = null;
  if (s.rank && (origin === ui.by || origin === ui.interval) && (s.by !== 'REGION' || s.interval !== 'YEAR')) s.rank = null;
  if (s.rank) {
    s.by = 'REGION';
    s.interval = 'YEAR';
  }
  if (!s.rank) s.year = null;
  if (origin === ui.by || origin === ui.interval) s.sort = null;
  s.jurisdiction = ui.jurisdiction.value || null;
  s.from = ui.from.value;
  s.to = ui.to.value;
  s.decidedFrom = ui.decidedFrom.value;
  s.decidedTo = ui.decidedTo.value;
  s.q = ui.search.value.trim().slice(0, 200);
  for (const f of FACETS) {
    s.lists[f.key] = [...ui.form.querySelectorAll(`input[type=checkbox][name="${f.key}"]:checked`)].map((i) => i.value);
  }
  if (s.jurisdiction) s.lists.regions = s.lists.regions.filter((r) => r.startsWith(`${s.jurisdiction}-`));
  ui.pendingFocus = origin && origin.id ? origin.id : null;
  navigate(statsHash(s));
}

// setYears offers the years of the answer (newest first) in the ranking's year choice.
function setYears(ui, years, chosen) {
  const want = [...new Set([...years, ...(chosen ? [chosen] : [])])].sort().reverse();
  const have = [...ui.year.options].map((o) => o.value);
  if (want.join() !== have.join()) ui.year.replaceChildren(...want.map((y) => h('option', { value: y }, y)));
  if (chosen && ui.year.value !== chosen) ui.year.value = chosen;
}

function syncStatsForm(ui, s) {
  ui.state = s;
  const set = (el, v) => { if (el.value !== v) el.value = v; };
  set(ui.by, s.by);
  set(ui.interval, s.interval || '');
  set(ui.rank, s.rank || '');
  ui.yearField.hidden = !s.rank;
  if (s.year) setYears(ui, [], s.year);
  set(ui.jurisdiction, s.jurisdiction || '');
  set(ui.from, s.from);
  set(ui.to, s.to);
  set(ui.decidedFrom, s.decidedFrom);
  set(ui.decidedTo, s.decidedTo);
  if (ui.search.value.trim() !== s.q) ui.search.value = s.q;
  syncFacets(ui, s);
  renderChips(ui, s, statsHash, statsHash({ ...emptyFilters(), by: s.by, interval: s.interval, rank: s.rank, year: s.year }));
}

// funnelNode draws the funnel: detections and cases as two groups with their own scales,
// since a detection is never linked to a case.
function funnelNode(funnel) {
  const k = funnel.suppressionThreshold;
  const steps = funnel.steps || [];
  const detectionSteps = steps.filter((x) => x.step === 'DETECTED' || x.step === 'REFERRED');
  const caseSteps = steps.filter((x) => x.step !== 'DETECTED' && x.step !== 'REFERRED');
  const scaleOf = (group) => {
    const first = group.find((x) => x.available && !x.suppressed && x.count !== null);
    const max = Math.max(0, ...group.map((x) => x.count || 0));
    return first && first.count > 0 ? Math.max(first.count, max) : max;
  };
  const list = (group, cls) => {
    const scale = scaleOf(group);
    return h('ol', { class: `funnel ${cls}` }, group.map((x) => {
      let value;
      let bar = null;
      if (!x.available) {
        value = h('span', { class: 'funnel-na', title: t('funnelUnavailableTitle') }, t('funnelUnavailable'));
      } else if (x.suppressed || x.count === null) {
        value = h('span', { class: 'withheld' }, t('funnelWithheld', fmtInt(k)));
      } else {
        value = [h('strong', null, fmtInt(x.count)),
          x.shareOfPrevious !== null && x.shareOfPrevious !== undefined
            ? [' ', h('span', { class: 'funnel-share' }, t('shareOfPrevious', fmtPercent(x.shareOfPrevious)))]
            : null];
        const fill = h('span', { class: 'funnel-fill' });
        // CSSOM, not a style attribute: allowed by the page's Content-Security-Policy.
        fill.style.width = `${scale > 0 ? Math.max(0, Math.min(100, (x.count / scale) * 100)) : 0}%`;
        bar = fill;
      }
      return h('li', { class: `funnel-step${x.available ? '' : ' is-na'}${x.suppressed ? ' is-withheld' : ''}` },
        h('span', { class: 'funnel-label' }, x.label || term('FunnelStepKind', x.step)),
        h('span', { class: 'funnel-bar', 'aria-hidden': 'true' }, bar),
        h('span', { class: 'funnel-value' }, value));
    }));
  };
  return [
    h('h3', null, t('funnelDetections')),
    h('p', { class: 'hint' }, t('funnelDetectionsNote')),
    list(detectionSteps, 'funnel-detections'),
    h('h3', null, t('funnelCases')),
    list(caseSteps, 'funnel-cases'),
  ];
}

// The reasons a figure is not shown, each with the mark its cells carry and the legend
// under the table explains. Order: the order of the legend.
const REASONS = ['k', 'median', 'rate', 'population', 'noFines', 'na'];
const REASON_MARK = { k: 'a', median: 'b', rate: 'c', population: 'd', noFines: 'e', na: 'f' };

function reasonText(reason, k) {
  switch (reason) {
    case 'k': return t('withheldCell', fmtInt(k));
    case 'median': return t('stWhyMedian', fmtInt(k));
    case 'rate': return t('stWhyRate', fmtInt(k));
    case 'population': return t('per100kCell');
    case 'noFines': return t('stWhyNoFines');
    default: return t('stWhyNA');
  }
}

// The short words a screen reader says in the cell; no figure in them (a number there would
// read as a value).
function reasonShort(reason) {
  switch (reason) {
    case 'k': return t('withheld');
    case 'median': return t('stWhyMedianShort');
    case 'rate': return t('stWhyRateShort');
    case 'population': return t('stWhyPopulationShort');
    case 'noFines': return t('stWhyNoFinesShort');
    default: return t('stWhyNAShort');
  }
}

// gapNode is a figure that is not shown: a dash, the mark of its reason (explained under
// the table) and the reason in words for screen readers. Never a zero. used collects the
// reasons of the table for its legend.
function gapNode(reason, k, used) {
  used.add(reason);
  return h('span', { class: `withheld why-${reason}`, title: reasonText(reason, k) },
    h('span', { 'aria-hidden': 'true' }, '—'),
    h('sup', { class: 'why-mark', 'aria-hidden': 'true' }, REASON_MARK[reason]),
    h('span', { class: 'visually-hidden' }, reasonShort(reason)));
}

function legendNode(used, k) {
  const list = REASONS.filter((r) => used.has(r));
  if (!list.length) return null;
  return h('div', { class: 'why-legend', id: 'stats-legend' },
    h('h3', null, t('stLegendTitle')),
    h('ul', null, list.map((r) => h('li', null,
      h('span', { class: 'why-key', 'aria-hidden': 'true' }, '—', h('sup', { class: 'why-mark' }, REASON_MARK[r])),
      ' ', h('span', { class: 'visually-hidden' }, `${reasonShort(r)}: `),
      reasonText(r, k)))));
}

// rankName names the rate a ranking follows, as in "… ranked by {rate}".
function rankName(rank) {
  if (rank === 'liable') return t('stColLiablePer100k');
  if (rank === 'fined') return t('stColFinedPer100k');
  return t('stColCountPer100k');
}

const isNum = (v) => v !== null && v !== undefined && Number.isFinite(v);

// firstFine is the fine figures a row is sorted by: the first currency with a median.
function firstFine(b) {
  return (b.fines || []).find((f) => isNum(f.median)) || null;
}

// The columns of the table. group: the date the column's figures follow ('reported',
// 'decided'), or none. value: what the column sorts by (null: not shown, sorted last).
function statsColumns(s) {
  const per100k = hasPer100k(s.by);
  const label = (b) => (b.key || []).map((x) => (x.code === 'NONE' ? t('noneGroup') : x.label || x.code)).join(' · ');
  const cols = [];
  if (s.rank) cols.push({ key: 'rank', head: t('stColRank'), value: (b, row) => row.rank, num: true, lead: true });
  cols.push({ key: 'group', head: term('Dimension', s.by), value: (b) => label(b), text: true, lead: true });
  // A ranking is of one year: its period column would only repeat it.
  if (s.interval && !s.rank) cols.push({ key: 'period', head: t('colPeriod'), value: (b) => b.period || null, text: true, lead: true });
  if (per100k) cols.push({ key: 'populationYear', head: t('stColPopulationYear'), value: (b) => b.populationYear, num: true, lead: true });
  cols.push({ key: 'count', head: t('colCases'), group: 'reported', value: (b) => b.count, num: true });
  if (per100k) cols.push({ key: 'countPer100k', head: t('stColCountPer100k'), group: 'reported', value: (b) => b.countPer100k, num: true, rate: 'count' });
  cols.push({ key: 'liable', head: t('colLiable'), group: 'decided', value: (b) => b.liable, num: true });
  if (per100k) cols.push({ key: 'liablePer100k', head: t('stColLiablePer100k'), group: 'decided', value: (b) => b.liablePer100k, num: true, rate: 'liable' });
  cols.push({ key: 'fined', head: t('colFined'), group: 'decided', value: (b) => b.fined, num: true });
  if (per100k) cols.push({ key: 'finedPer100k', head: t('stColFinedPer100k'), group: 'decided', value: (b) => b.finedPer100k, num: true, rate: 'fined' });
  cols.push(
    { key: 'fine', head: t('colMedianFine'), group: 'decided', value: (b) => { const f = firstFine(b); return f ? [f.currency, f.median] : null; }, num: true },
    { key: 'appealed', head: t('colAppealed'), group: 'decided', value: (b) => b.appealed, num: true },
    { key: 'appealsSucceeded', head: t('colAppealsSucceeded'), group: 'decided', value: (b) => b.appealsSucceeded, num: true },
    { key: 'days', head: t('colMedianDays'), group: 'decided', value: (b) => b.medianDaysToDecision, num: true },
    { key: 'rejection', head: t('colRejection'), group: 'reported', value: (b) => b.prosecutorRejectionRate, num: true },
    { key: 'noOffence', head: t('colNoOffence'), group: 'reported', value: (b) => b.expertNoOffenceRate, num: true });
  // A ranking shows its rate next to the region (on a phone, without scrolling); its header
  // says itself which date it follows.
  if (s.rank) {
    const i = cols.findIndex((c) => c.rate === s.rank);
    const [rate] = cols.splice(i, 1);
    cols.splice(cols.findIndex((c) => c.key === 'group') + 1, 0, { ...rate, lead: true });
  }
  return cols;
}

// compareValues orders two sort values ascending; null (not shown) is handled by the caller.
function compareValues(a, b) {
  if (Array.isArray(a)) return String(a[0]).localeCompare(String(b[0])) || a[1] - b[1];
  if (typeof a === 'string') return compareText(a, b);
  return a - b;
}

// sortRows orders rows by a column, ascending or descending; rows whose value is not shown
// come last whichever the direction, and ties keep the API's order.
function sortRows(rows, col, desc) {
  const known = (v) => v !== null && v !== undefined && v !== '';
  return rows.map((r, i) => ({ r, i, v: col.value(r.b, r) })).sort((x, y) => {
    const kx = known(x.v);
    const ky = known(y.v);
    if (kx !== ky) return kx ? -1 : 1;
    if (!kx) return x.i - y.i;
    const c = compareValues(x.v, y.v);
    return (desc ? -c : c) || x.i - y.i;
  }).map((x) => x.r);
}

// rankRows numbers the regions by the rate, highest first; equal rates share a rank, a
// region whose rate is not shown has none.
function rankRows(rows, field) {
  const ranked = rows.filter((r) => isNum(r.b[field])).sort((x, y) => y.b[field] - x.b[field]);
  ranked.forEach((r, i) => {
    r.rank = i > 0 && ranked[i - 1].b[field] === r.b[field] ? ranked[i - 1].rank : i + 1;
  });
}

// statsTable shows the buckets and their total, sortable by every column. Every figure not
// shown is a dash with the mark of its reason, explained under the table.
function statsTable(s, stats, buckets) {
  const k = stats.suppressionThreshold;
  const used = new Set();
  const gap = (reason) => gapNode(reason, k, used);
  const cols = statsColumns(s);
  const rankField = s.rank ? RANKS[s.rank] : null;

  const numCell = (v, fmt, reason) => h('td', { class: 'num' }, isNum(v) ? fmt(v) : gap(reason));
  const fineCell = (fines) => {
    if (!fines || !fines.length) return h('td', { class: 'num' }, gap('noFines'));
    return h('td', { class: 'num' }, fines.map((f) => {
      if (f.count === null || f.count === undefined) return h('div', null, gap('k'), ' ', f.currency);
      if (!isNum(f.median)) return h('div', null, gap('median'), ' ', f.currency);
      const wrap = h('span', { class: 'money' },
        h('span', { class: 'money-amount' }, `${fmtNumber(f.median, 0)} ${f.currency}`));
      const iu = f.indexUnits;
      if (iu && isNum(iu.median)) {
        wrap.append(h('span', { class: 'money-units' }, `${fmtNumber(iu.median)} `, unitAbbr(iu.unit)));
      }
      return h('div', null, wrap);
    }));
  };
  // A per-capita figure: withheld with its count, else the population is not known.
  const per100kCell = (b, isTotal, v, count, rate) => {
    const cls = `num${rate === s.rank ? ' is-rank-col' : ''}`;
    if (isTotal) return h('td', { class: cls }, gap('na'));
    if (isNum(v)) return h('td', { class: cls }, fmtRate(v));
    return h('td', { class: cls }, gap(count === null || count === undefined ? 'k' : 'population'));
  };
  const cell = (col, row, isTotal) => {
    const b = row.b;
    switch (col.key) {
      case 'rank':
        if (isTotal) return h('td', null);
        return h('td', { class: 'num rank' }, isNum(row.rank) ? fmtInt(row.rank) : gap(isNum(b[rankField.replace('Per100k', '')]) ? 'population' : 'k'));
      case 'group': {
        if (isTotal) return h('th', { scope: 'row' }, t('totalRow'));
        const key = b.key || [];
        const href = bucketCasesHash(s, b);
        const label = col.value(b);
        const showCode = key.some((x) => x.dimension === 'REGION') && !key.some((x) => x.code === 'NONE');
        return h('th', { scope: 'row' },
          href ? h('a', { href, title: t('showCases') }, label) : label,
          showCode ? [' ', h('span', { class: 'muted code' }, key.map((x) => x.code).join(' · '))] : null);
      }
      case 'period': return isTotal ? h('td', null) : h('td', { class: 'nowrap' }, b.period || dash());
      case 'populationYear': {
        if (isTotal) return h('td', { class: 'num' }, gap('na'));
        if (!isNum(b.populationYear)) {
          const withheld = [b.count, b.liable, b.fined].every((x) => x === null || x === undefined);
          return h('td', { class: 'num' }, gap(withheld ? 'k' : 'population'));
        }
        const later = b.period && Number(b.period.slice(0, 4)) > b.populationYear;
        return h('td', { class: `num${later ? ' pop-earlier' : ''}` }, String(b.populationYear),
          later ? h('sup', { class: 'why-mark', title: t('stPopEarlierTitle', b.period.slice(0, 4), String(b.populationYear)) }, '*') : null);
      }
      case 'count': case 'liable': case 'fined': case 'appealed': case 'appealsSucceeded':
        return numCell(b[col.key], fmtInt, 'k');
      case 'countPer100k': return per100kCell(b, isTotal, b.countPer100k, b.count, 'count');
      case 'liablePer100k': return per100kCell(b, isTotal, b.liablePer100k, b.liable, 'liable');
      case 'finedPer100k': return per100kCell(b, isTotal, b.finedPer100k, b.fined, 'fined');
      case 'rejection': return numCell(b.prosecutorRejectionRate, fmtPercent, 'rate');
      case 'noOffence': return numCell(b.expertNoOffenceRate, fmtPercent, 'rate');
      case 'fine': return fineCell(b.fines);
      case 'days': return numCell(b.medianDaysToDecision, (v) => fmtNumber(v, 1), 'median');
      default: return h('td', null);
    }
  };

  // Every cell names its column (data-col), for styles and tests alike.
  const tagged = (col, el) => {
    el.dataset.col = col.key;
    return el;
  };
  let rows = buckets.map((b) => ({ b, rank: null }));
  if (rankField) rankRows(rows, rankField);
  const sortKey = s.sort ? s.sort.replace(/^-/, '') : (rankField ? 'rank' : null);
  const sortCol = cols.find((c) => c.key === sortKey) || null;
  const desc = s.sort ? s.sort.startsWith('-') : false;
  if (sortCol) rows = sortRows(rows, sortCol, desc);

  // A header is a button that sorts by its column: first the natural way (text A–Z,
  // figures highest first), then the other way.
  const headCell = (col, attrs) => {
    const sorted = sortCol === col;
    const nextDesc = sorted ? !desc : !col.text && col.key !== 'rank';
    const next = { ...s, sort: `${nextDesc ? '-' : ''}${col.key}` };
    const arrow = sorted ? (desc ? '▼' : '▲') : '↕';
    const head = col.lead && col.group
      ? [col.head, h('span', { class: 'col-date' }, t(col.group === 'reported' ? 'stColsReported' : 'stColsDecided'))]
      : col.head;
    return h('th', { scope: 'col', ...attrs, 'aria-sort': sorted ? (desc ? 'descending' : 'ascending') : null, class: `sortable${col.num ? ' num' : ''}${col.rate && col.rate === s.rank ? ' is-rank-col' : ''}${attrs.class ? ` ${attrs.class}` : ''}` },
      h('button', {
        type: 'button', class: 'sort-button', id: `sort-${col.key}`, dataset: { col: col.key },
        onclick: () => {
          session.statsSortFocus = `sort-${col.key}`;
          navigate(statsHash(next));
        },
      }, h('span', { class: 'sort-label' }, head), ' ', h('span', { class: 'sort-arrow', 'aria-hidden': 'true' }, arrow),
        h('span', { class: 'visually-hidden' }, sorted ? ` (${t(desc ? 'stSortedDesc' : 'stSortedAsc')})` : ` (${t('stSortHint')})`)));
  };
  // Two header rows: the columns of report-date figures and of decision-date figures are
  // grouped under a heading that says which date they follow.
  const groups = [];
  for (const col of cols) {
    const g = col.lead ? null : col.group;
    const last = groups[groups.length - 1];
    if (col.lead) groups.push({ lead: col });
    else if (last && !last.lead && last.group === g) last.cols.push(col);
    else groups.push({ group: g, cols: [col] });
  }
  const top = groups.map((g) => (g.lead
    ? headCell(g.lead, { rowspan: '2' })
    : h('th', { scope: 'colgroup', colspan: String(g.cols.length), class: `date-group date-${g.group}` },
      t(g.group === 'reported' ? 'stColsReported' : 'stColsDecided'))));
  const second = cols.filter((c) => !c.lead).map((c) => headCell(c, { class: `date-${c.group}` }));

  const bodyRows = rows.map((row) => h('tr', {
    class: [row.b.suppressed ? 'has-withheld' : '', rankField && isNum(row.rank) ? 'is-ranked' : ''].filter(Boolean).join(' ') || null,
    dataset: { rate: rankField && isNum(row.b[rankField]) ? String(row.b[rankField]) : null },
  }, cols.map((c) => tagged(c, cell(c, row, false)))));
  const tfoot = h('tfoot', null, h('tr', null, cols.map((c) => tagged(c, cell(c, { b: stats.total, rank: null }, true)))));

  const dimLabel = term('Dimension', s.by);
  const caption = s.rank
    ? t('stRankCaption', rankName(s.rank), s.year || '')
    : s.interval
      ? t('statsCaptionPeriod', dimLabel, t(`interval${s.interval}`).toLowerCase())
      : t('statsCaption', dimLabel);
  const sortedBy = sortCol ? [' ', h('span', { class: 'caption-sort' }, t(desc ? 'stCaptionSortedDesc' : 'stCaptionSortedAsc', sortCol.head))] : null;
  const table = h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': 'stats-caption', tabindex: '0' },
    h('table', { class: `data stats-table${s.rank ? ' rank-table' : ''}`, 'aria-describedby': used.size ? 'stats-legend' : null },
      h('caption', { id: 'stats-caption' }, caption, sortedBy),
      h('thead', null, h('tr', null, top), h('tr', null, second)),
      h('tbody', null, bodyRows), tfoot));
  return [table, legendNode(used, k)];
}

// rankNotes says which population the rates of a ranking divide by, and when a later year
// uses the latest figure before it.
function rankNotes(s, buckets) {
  const years = [...new Set(buckets.map((b) => b.populationYear).filter(isNum))].sort();
  const earlier = years.filter((y) => String(y) < s.year);
  const notes = [h('p', null, t('stRankIntro', rankName(s.rank)))];
  notes.push(h('p', null, years.length ? t('stRankPopulation', years.join(', ')) : t('stRankNoPopulation')));
  if (earlier.length) notes.push(h('p', { class: 'pop-note' }, h('strong', null, '* '), t('stRankPopEarlier', s.year, earlier.join(', '))));
  notes.push(h('p', { class: 'hint' }, t('stRankDates')));
  return h('div', { class: 'rank-notes' }, notes);
}

function statsNote(k) {
  return h('aside', { class: 'stats-note', 'aria-labelledby': 'stats-note-title' },
    h('h2', { id: 'stats-note-title' }, t('statsNoteTitle')),
    h('p', null, t('statsNoteDisclosure', fmtInt(k), fmtInt(Math.max(k - 1, 1)))),
    h('p', null, t('statsNoteDates')),
    h('p', null, t('statsNoteExact')));
}

// statsRequests are the view's two requests (documents and variables) for the choices s.
function statsRequests(s) {
  const filter = caseFilter(s);
  return [
    [Q_STATISTICS, { filter, groupBy: [s.by], interval: s.interval, lang: state.lang }],
    [Q_FUNNEL, { filter, lang: state.lang }],
  ];
}

// prefetchStatistics sends the view's requests for the address r ahead, before the view
// runs (see prefetch in api.js).
export function prefetchStatistics(r) {
  const s = statsFromParams(r.params);
  // The form's choices: every region and every article.
  prefetchRegions(null);
  if (!(articlesCache && articlesCache.lang === state.lang)) prefetch(Q_ARTICLES, { lang: state.lang });
  if (!(s.from && s.to && s.from > s.to)) for (const [query, variables] of statsRequests(s)) prefetch(query, variables);
}

export async function viewStatistics(r, ctx) {
  const s = statsFromParams(r.params);
  setTitle(t('statsTitle'));

  // The form offers every region (grouped by jurisdiction) and every article; a link's
  // codes are checked against them.
  let regions = [];
  let articles = [];
  try {
    [regions, articles] = await Promise.all([loadRegions(null, ctx.signal), loadArticles(ctx.signal)]);
  } catch (e) {
    if (!ctx.isCurrent()) return;
    showException(e);
  }
  if (!ctx.isCurrent()) return;
  if (regions.length) {
    const known = new Set(regions.filter((x) => !s.jurisdiction || x.jurisdiction === s.jurisdiction).map((x) => x.code));
    for (const c of s.lists.regions) {
      if (!known.has(c)) s.problems.push({ param: 'regions', value: c, expected: t('linkExpectedRegion') });
    }
    s.lists.regions = s.lists.regions.filter((c) => known.has(c));
  }
  if (articles.length) {
    const known = new Set(articles.map((x) => x.code));
    for (const c of s.lists.articles) {
      if (!known.has(c)) s.problems.push({ param: 'articles', value: c, expected: t('stLinkExpectedArticle') });
    }
    s.lists.articles = s.lists.articles.filter((c) => known.has(c));
  }
  reportLinkProblems(s.problems);

  const main = document.getElementById('main');
  let ui = session.statsUI;
  const uiKey = `${state.lang}|${regions.length}|${articles.length}`;
  if (ctx.rebuild || !ui || ui.key !== uiKey || !main.contains(ui.root)) {
    const focusId = (ui && ui.pendingFocus) || (document.activeElement && document.activeElement.id);
    ui = buildStatsForm(s, regions, articles);
    ui.key = uiKey;
    ui.status = h('p', { class: 'result-status', role: 'status' });
    ui.note = h('div');
    ui.funnel = h('section', { class: 'stats-funnel', 'aria-labelledby': 'sec-funnel' });
    ui.table = h('section', { class: 'stats-groups', 'aria-labelledby': 'sec-groups' });
    ui.results = h('div', { class: 'results' }, ui.funnel, ui.table);
    ui.root = h('section', { class: 'view view-statistics' },
      h('h1', { tabindex: '-1' }, t('statsTitle')),
      h('p', { class: 'intro' }, t('statsIntro')),
      ui.form, ui.note, ui.status, ui.results);
    ctx.mount(ui.root);
    session.statsUI = ui;
    refocus(ctx, focusId);
  }
  ui.pendingFocus = null;
  syncStatsForm(ui, s);

  for (const [a, b, key] of [[s.from, s.to, 'errDateOrder'], [s.decidedFrom, s.decidedTo, 'stErrDecidedOrder']]) {
    if (a && b && a > b) {
      ui.status.textContent = '';
      ui.funnel.replaceChildren();
      ui.table.replaceChildren();
      showErrors([{ message: t(key) }]);
      return;
    }
  }

  const filter = caseFilter(s);
  // Sorting and choosing the year of a ranking ask nothing new: the last answer is reused.
  const askKey = JSON.stringify({ filter, by: s.by, interval: s.interval, lang: state.lang });
  let statsResp;
  let funnelResp;
  if (ui.answer && ui.answer.key === askKey) {
    ({ statsResp, funnelResp } = ui.answer);
  } else {
    ui.status.textContent = t('loading');
    ui.results.classList.add('is-loading');
    ui.results.setAttribute('aria-busy', 'true');
    try {
      [statsResp, funnelResp] = await Promise.all(statsRequests(s).map(([query, variables]) => gql(query, variables, ctx.signal)));
    } finally {
      if (ctx.isCurrent()) {
        ui.results.classList.remove('is-loading');
        ui.results.removeAttribute('aria-busy');
      }
    }
    if (!ctx.isCurrent()) return;
    const errors = [...statsResp.errors, ...funnelResp.errors];
    if (errors.length) showErrors(errors);
    ui.answer = errors.length ? null : { key: askKey, statsResp, funnelResp };
  }
  const sd = statsResp.data;
  if (sd && sd.currentRelease) updateRelease(sd.currentRelease);

  const stats = sd && sd.statistics;
  if (stats) {
    ui.note.replaceChildren(statsNote(stats.suppressionThreshold));
    const n = stats.total && stats.total.count;
    ui.status.replaceChildren(
      n === null || n === undefined ? t('statsMatchWithheld') : t('statsMatchN', fmtInt(n)),
      ' ', h('a', { href: filtersHash(s, null) }, t('showAllCases')));
    let buckets = stats.buckets || [];
    const parts = [];
    if (s.rank) {
      const years = [...new Set(buckets.map((b) => (b.period || '').slice(0, 4)).filter((y) => YEAR_RE.test(y)))];
      if (!s.year && years.length) s.year = years.sort().reverse()[0];
      setYears(ui, years, s.year);
      buckets = buckets.filter((b) => b.period === s.year);
      parts.push(h('h2', { id: 'sec-groups' }, t('stRankTitle', s.year || '')), rankNotes(s, buckets));
    } else {
      parts.push(h('h2', { id: 'sec-groups' }, t('secStatsTable')),
        h('p', { class: 'rank-link' }, h('a', { href: statsHash({ ...s, rank: 'count', year: null, sort: null }) }, t('stRankOpen'))));
      // A period chosen: the groups with the most cases over time, withheld periods marked.
      if (s.interval && buckets.length) {
        const title = t('statsCaptionPeriod', term('Dimension', s.by), t(`interval${s.interval}`).toLowerCase());
        parts.push(statisticsLineChart(stats, {
          id: 'stats-trend',
          title,
          desc: t('stChartDesc', STATS_CHART_SERIES),
          maxSeries: STATS_CHART_SERIES,
        }), h('div', { class: 'table-tools', id: 'stats-chart-tools' }, embedDisclosure(embedURL('chart', s.by, s.interval, s), title, 720)));
      }
    }
    parts.push(buckets.length ? statsTable(s, stats, buckets) : h('p', { class: 'empty-state' }, t('noStats')));
    // The files and the embed code of the question the table answers (a ranking's: every
    // year of it).
    if (stats.buckets && stats.buckets.length) {
      const title = s.interval
        ? t('statsCaptionPeriod', term('Dimension', s.by), t(`interval${s.interval}`).toLowerCase())
        : t('statsCaption', term('Dimension', s.by));
      parts.push(h('div', { class: 'table-tools', id: 'stats-table-tools' },
        statisticsDownloads([s.by], s.interval, s),
        embedDisclosure(embedURL('statistics', s.by, s.interval, s), title, 640)));
    }
    ui.table.replaceChildren(...parts.flat());
    ui.table.dataset.for = location.hash; // the address this table answers
    const focus = session.statsSortFocus;
    session.statsSortFocus = null;
    if (focus) {
      const el = document.getElementById(focus);
      if (el) el.focus({ preventScroll: true });
    }
  } else {
    ui.status.textContent = '';
    ui.table.replaceChildren();
  }

  const funnel = funnelResp.data && funnelResp.data.funnel;
  ui.funnel.replaceChildren(...(funnel
    ? [h('h2', { id: 'sec-funnel' }, t('secFunnel')), h('p', { class: 'hint' }, t('funnelIntro')), ...funnelNode(funnel)]
    : []));
}
