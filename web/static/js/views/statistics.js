// Statistics: the case funnel and figures grouped by one dimension (and period), with
// withheld figures shown as such, never as numbers.

import { gql, prefetch } from '../api.js';
import { setTitle, showErrors, showException, updateRelease } from '../chrome.js';
import { loadRegions, prefetchRegions } from '../data.js';
import {
  caseFilter, DATE_RE, DEFAULT_ORDER, emptyFilters, facetDetails, FACETS, filterParams, filtersFromParams,
  filtersHash, oneOf, REGION_RE, renderChips, reportLinkProblems, syncFacets,
} from '../filters.js';
import { locale, t } from '../i18n.js';
import { Q_FUNNEL, Q_STATISTICS } from '../queries.js';
import { session, state } from '../state.js';
import { codes, dash, fmtInt, fmtNumber, h, isCode, navigate, refocus, term, unitAbbr } from '../util.js';

// The groupings offered, in the order of the schema; REGION first as the default.
const DEFAULT_DIMENSION = 'REGION';
// The filters the statistics form offers; the others still apply when a link carries them.
const STATS_FACETS = ['concerns', 'categories'];
// How a grouped value narrows the case list: the CaseFilter field it sets. ARTICLE has no
// place in the case list's filters, so it gets no link. Strict JSON (web_test.go checks it
// against schema.graphqls).
const DIMENSION_FILTER = /* dimension-filters */ {
  "JURISDICTION": "jurisdiction",
  "REGION": "regions",
  "CATEGORY": "categories",
  "CONCERN": "concerns",
  "PLATFORM": "platforms",
  "LIABILITY": "liabilities",
  "DEFENDANT_KIND": "defendantKinds",
  "STAGE": "stages",
  "DECISION": "decisions",
  "SANCTION": "sanctions",
  "APPEAL_STATUS": "appealStatuses"
};
const PERIOD_RE = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/;

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
  return s;
}

function statsHash(s) {
  const parts = [];
  if (s.by && s.by !== DEFAULT_DIMENSION) parts.push(`by=${encodeURIComponent(s.by)}`);
  if (s.interval) parts.push(`interval=${encodeURIComponent(s.interval)}`);
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
      const valid = f.enumName ? isCode(f.enumName, k.code) : REGION_RE.test(k.code);
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

// A withheld or undefined figure: a dash with the reason as its tooltip, and a short word
// for screen readers (the note above the table explains it in full). Never a zero.
function withheldNode(reason, short) {
  return h('span', { class: 'withheld', title: reason },
    h('span', { 'aria-hidden': 'true' }, '—'),
    h('span', { class: 'visually-hidden' }, short || reason));
}

// Only these groupings have a population to divide by (see StatBucket.countPer100k).
function hasPer100k(by) {
  return by === 'REGION' || by === 'JURISDICTION';
}

function fmtPercent(x) {
  try {
    return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(x);
  } catch { return `${Math.round(x * 1000) / 10}%`; }
}

function buildStatsForm(s, regions) {
  const form = h('form', { class: 'filters', id: 'stats-filters', 'aria-labelledby': 'stats-filters-title', novalidate: true });
  const ui = { form, facets: {} };
  ui.by = h('select', { id: 's-by', name: 'by' },
    codes('Dimension').map((c) => h('option', { value: c }, term('Dimension', c))));
  ui.interval = h('select', { id: 's-interval', name: 'interval' },
    h('option', { value: '' }, t('intervalNone')),
    codes('Interval').map((c) => h('option', { value: c }, t(`interval${c}`))));
  ui.jurisdiction = h('select', { id: 's-jurisdiction', name: 'jurisdiction' },
    h('option', { value: '' }, t('any')),
    codes('Jurisdiction').map((c) => h('option', { value: c }, term('Jurisdiction', c))));
  ui.from = h('input', { id: 's-from', name: 'from', type: 'date', min: '2000-01-01', max: '2099-12-31' });
  ui.to = h('input', { id: 's-to', name: 'to', type: 'date', min: '2000-01-01', max: '2099-12-31' });
  const field = (control, label) => h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
  form.append(
    h('h2', { id: 'stats-filters-title', class: 'visually-hidden' }, t('filters')),
    h('div', { class: 'filter-row filter-row-stats' },
      field(ui.by, t('statsGroupBy')),
      field(ui.interval, t('statsInterval')),
      field(ui.jurisdiction, t('fJurisdiction')),
      field(ui.from, t('fFrom')),
      field(ui.to, t('fTo'))),
    h('div', { class: 'facets' },
      STATS_FACETS.map((key) => facetDetails(ui, FACETS.find((f) => f.key === key), regions, 's'))));
  ui.chips = h('div', { class: 'chips', 'aria-live': 'polite' });
  form.append(ui.chips);

  let dateTimer = 0;
  form.addEventListener('change', (ev) => {
    clearTimeout(dateTimer);
    if (ev.target === ui.from || ev.target === ui.to) {
      dateTimer = setTimeout(() => applyStatsForm(ui, ev.target), 700);
      return;
    }
    applyStatsForm(ui, ev.target);
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    applyStatsForm(ui, null);
  });
  return ui;
}

// applyStatsForm reads the form over the current choices, so filters the form does not
// show (regions, platforms, … from a shared link) are kept.
function applyStatsForm(ui, origin) {
  for (const d of [ui.from, ui.to]) {
    if (d.value && !DATE_RE.test(d.value)) {
      showErrors([{ message: t('errDateFormat') }]);
      return;
    }
  }
  const s = JSON.parse(JSON.stringify(ui.state));
  s.by = ui.by.value || DEFAULT_DIMENSION;
  s.interval = ui.interval.value || null;
  s.jurisdiction = ui.jurisdiction.value || null;
  s.from = ui.from.value;
  s.to = ui.to.value;
  for (const key of STATS_FACETS) {
    s.lists[key] = [...ui.form.querySelectorAll(`input[type=checkbox][name="${key}"]:checked`)].map((i) => i.value);
  }
  if (s.jurisdiction) s.lists.regions = s.lists.regions.filter((r) => r.startsWith(`${s.jurisdiction}-`));
  ui.pendingFocus = origin && origin.id ? origin.id : null;
  navigate(statsHash(s));
}

function syncStatsForm(ui, s) {
  ui.state = s;
  const set = (el, v) => { if (el.value !== v) el.value = v; };
  set(ui.by, s.by);
  set(ui.interval, s.interval || '');
  set(ui.jurisdiction, s.jurisdiction || '');
  set(ui.from, s.from);
  set(ui.to, s.to);
  syncFacets(ui, s);
  renderChips(ui, s, statsHash, statsHash({ ...emptyFilters(), by: s.by, interval: s.interval }));
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

// statsTable shows the buckets and their total. Every null figure is a dash that says why.
function statsTable(s, stats) {
  const k = stats.suppressionThreshold;
  const withheld = () => withheldNode(t('withheldCell', fmtInt(k)), t('withheld'));
  const notShown = () => withheldNode(t('notShownCell', fmtInt(k)), t('notShown'));
  const per100k = hasPer100k(s.by);
  const num = (v, node) => h('td', { class: 'num' }, v === null || v === undefined ? node() : fmtInt(v));
  const measure = (v, fmt) => h('td', { class: 'num' }, v === null || v === undefined ? notShown() : fmt(v));
  const fineCell = (fines) => {
    if (!fines || !fines.length) return h('td', { class: 'num' }, dash());
    return h('td', { class: 'num' }, fines.map((f) => {
      if (f.count === null || f.count === undefined) return h('div', null, withheld(), ' ', f.currency);
      if (f.median === null || f.median === undefined) return h('div', null, notShown(), ' ', f.currency);
      const wrap = h('span', { class: 'money' },
        h('span', { class: 'money-amount' }, `${fmtNumber(f.median, 0)} ${f.currency}`));
      const iu = f.indexUnits;
      if (iu && iu.median !== null && iu.median !== undefined) {
        wrap.append(h('span', { class: 'money-units' }, `${fmtNumber(iu.median)} `, unitAbbr(iu.unit)));
      }
      return h('div', null, wrap);
    }));
  };
  const figures = (b, isTotal) => [
    num(b.count, withheld),
    !per100k ? null : h('td', { class: 'num' }, isTotal ? dash() : b.countPer100k !== null && b.countPer100k !== undefined
      ? fmtNumber(b.countPer100k, 1)
      : b.count === null || b.count === undefined ? withheld() : withheldNode(t('per100kCell'), t('notAvailable'))),
    num(b.liable, withheld),
    num(b.fined, withheld),
    fineCell(b.fines),
    num(b.appealed, withheld),
    num(b.appealsSucceeded, withheld),
    measure(b.medianDaysToDecision, (v) => fmtNumber(v, 1)),
    measure(b.prosecutorRejectionRate, fmtPercent),
    measure(b.expertNoOffenceRate, fmtPercent),
  ];

  const dimLabel = term('Dimension', s.by);
  const headers = [dimLabel, s.interval ? t('colPeriod') : null, t('colCases'), per100k ? t('colPer100k') : null, t('colLiable'),
    t('colFined'), t('colMedianFine'), t('colAppealed'), t('colAppealsSucceeded'), t('colMedianDays'),
    t('colRejection'), t('colNoOffence')].filter(Boolean);

  const tbody = h('tbody', null, (stats.buckets || []).map((b) => {
    const key = b.key || [];
    const label = key.map((x) => (x.code === 'NONE' ? t('noneGroup') : x.label || x.code)).join(' · ');
    const href = bucketCasesHash(s, b);
    const showCode = key.some((x) => x.dimension === 'REGION' || x.dimension === 'ARTICLE') && !key.some((x) => x.code === 'NONE');
    return h('tr', { class: b.suppressed ? 'has-withheld' : null },
      h('th', { scope: 'row' },
        href ? h('a', { href, title: t('showCases') }, label) : label,
        showCode ? [' ', h('span', { class: 'muted code' }, key.map((x) => x.code).join(' · '))] : null),
      s.interval ? h('td', { class: 'nowrap' }, b.period || dash()) : null,
      figures(b));
  }));
  const total = stats.total;
  const tfoot = h('tfoot', null, h('tr', null,
    h('th', { scope: 'row' }, t('totalRow')),
    s.interval ? h('td', null) : null,
    figures(total, true)));

  const caption = s.interval
    ? t('statsCaptionPeriod', dimLabel, t(`interval${s.interval}`).toLowerCase())
    : t('statsCaption', dimLabel);
  return h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': 'stats-caption', tabindex: '0' },
    h('table', { class: 'data stats-table' },
      h('caption', { id: 'stats-caption' }, caption),
      h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
      tbody, tfoot));
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
  if (s.lists.regions.length) prefetchRegions(s.jurisdiction);
  if (!(s.from && s.to && s.from > s.to)) for (const [query, variables] of statsRequests(s)) prefetch(query, variables);
}

export async function viewStatistics(r, ctx) {
  const s = statsFromParams(r.params);
  setTitle(t('statsTitle'));

  let regions = [];
  if (s.lists.regions.length) {
    try {
      regions = await loadRegions(s.jurisdiction, ctx.signal);
    } catch (e) {
      if (!ctx.isCurrent()) return;
      showException(e);
    }
    if (!ctx.isCurrent()) return;
    const known = new Set(regions.map((x) => x.code));
    for (const c of regions.length ? s.lists.regions : []) {
      if (!known.has(c)) s.problems.push({ param: 'regions', value: c, expected: t('linkExpectedRegion') });
    }
  }
  reportLinkProblems(s.problems);

  const main = document.getElementById('main');
  let ui = session.statsUI;
  if (ctx.rebuild || !ui || ui.lang !== state.lang || !main.contains(ui.root)) {
    const focusId = (ui && ui.pendingFocus) || (document.activeElement && document.activeElement.id);
    ui = buildStatsForm(s, regions);
    ui.lang = state.lang;
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

  if (s.from && s.to && s.from > s.to) {
    ui.status.textContent = '';
    ui.funnel.replaceChildren();
    ui.table.replaceChildren();
    showErrors([{ message: t('errDateOrder') }]);
    return;
  }

  ui.status.textContent = t('loading');
  ui.results.classList.add('is-loading');
  ui.results.setAttribute('aria-busy', 'true');
  let statsResp;
  let funnelResp;
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
  const sd = statsResp.data;
  if (sd && sd.currentRelease) updateRelease(sd.currentRelease);

  const stats = sd && sd.statistics;
  if (stats) {
    ui.note.replaceChildren(statsNote(stats.suppressionThreshold));
    const n = stats.total && stats.total.count;
    ui.status.replaceChildren(
      n === null || n === undefined ? t('statsMatchWithheld') : t('statsMatchN', fmtInt(n)),
      ' ', h('a', { href: filtersHash(s, null) }, t('showAllCases')));
    ui.table.replaceChildren(
      h('h2', { id: 'sec-groups' }, t('secStatsTable')),
      (stats.buckets || []).length ? statsTable(s, stats) : h('p', { class: 'empty-state' }, t('noStats')));
  } else {
    ui.status.textContent = '';
    ui.table.replaceChildren();
  }

  const funnel = funnelResp.data && funnelResp.data.funnel;
  ui.funnel.replaceChildren(...(funnel
    ? [h('h2', { id: 'sec-funnel' }, t('secFunnel')), h('p', { class: 'hint' }, t('funnelIntro')), ...funnelNode(funnel)]
    : []));
}
