// The embeddable page (/embed/statistics?…, /embed/chart?…): ONE table or chart of the
// statistics view for the same parameters (by, interval, the CaseFilter fields, lang), or
// (/embed/overview-trend?…) the overview's trend for its parameters (interval, filters); with
// the synthetic-data notice when the release is synthetic, the licence, how to cite the
// release, a link to the full view and one to the data. Other sites frame it; it asks
// nothing of any origin but its own.

import { gql } from './api.js';
import { lineChart, periodSeries, statisticsLineChart } from './charts.js';
import { statisticsExportURL } from './downloads.js';
import { caseFilter, filterParams, filtersFromParams, oneOf } from './filters.js';
import { initialLang, language, loadLanguage, t } from './i18n.js';
import { Q_BOOT, Q_OVERVIEW_TREND, Q_STATISTICS } from './queries.js';
import { state } from './state.js';
import { dash, fmtInt, h, isCode, term } from './util.js';

const LICENCE_URL = 'https://creativecommons.org/licenses/by/4.0/';
const CHART_SERIES = 4;

const isNum = (v) => v !== null && v !== undefined && Number.isFinite(v);

function labelsOf(x) {
  return { KK: x.kk, KY: x.ky, RU: x.ru, EN: x.en };
}

// boot loads the release and the labels of codes (as data.js does for the portal, without
// its page around the views).
async function boot() {
  const { data, errors } = await gql(Q_BOOT, {});
  if (!data) return errors;
  state.release = data.currentRelease || null;
  for (const v of data.vocabulary || []) {
    state.vocab.set(v.name, new Map((v.terms || []).map((x) => [x.code, labelsOf(x)])));
  }
  state.categories = (data.categories || []).map((c) => ({ code: c.code, concern: c.concern, labels: labelsOf(c) }));
  return errors;
}

// question reads the page's parameters as the statistics view reads its link.
function question() {
  const p = new URLSearchParams(location.search);
  const s = filtersFromParams(p);
  const path = location.pathname.replace(/\/+$/, '');
  const chart = path.endsWith('/chart');
  const trend = path.endsWith('/overview-trend');
  const by = p.get('by');
  s.by = by && isCode('Dimension', by) ? by : 'REGION';
  if (by && s.by !== by) s.problems.push(oneOf('by', by, 'Dimension'));
  const interval = p.get('interval');
  s.interval = interval && isCode('Interval', interval) ? interval : null;
  if (interval && !s.interval) s.problems.push(oneOf('interval', interval, 'Interval'));
  if (chart && !s.interval) s.interval = 'YEAR'; // a chart is over the periods
  if (trend && !s.interval) s.interval = 'QUARTER'; // the overview's
  s.kind = trend ? 'overview-trend' : chart ? 'chart' : 'statistics';
  return s;
}

// citation is "casewatch, release N of YYYY-MM-DD, CC BY 4.0".
export function citation(release) {
  if (!release) return '';
  return t('emCite', String(release.version), String(release.publishedAt || '').slice(0, 10));
}

function withheldNode(k) {
  return h('span', { class: 'withheld', title: t('withheldCell', fmtInt(k)) },
    h('span', { 'aria-hidden': 'true' }, '—'), h('span', { class: 'visually-hidden' }, t('withheld')));
}

// table shows the buckets: the group, the period, and the cases, liable and fined.
function table(s, stats, caption) {
  const k = stats.suppressionThreshold;
  const label = (b) => (b.key || []).map((x) => (x.code === 'NONE' ? t('noneGroup') : x.label || x.code)).join(' · ');
  const figure = (col, v) => h('td', { class: 'num', dataset: { col } }, isNum(v) ? fmtInt(v) : withheldNode(k));
  const heads = [term('Dimension', s.by), ...(s.interval ? [t('colPeriod')] : []), t('colCases'), t('colLiable'), t('colFined')];
  return h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': 'embed-caption', tabindex: '0' },
    h('table', { class: 'data embed-table' },
      h('caption', { id: 'embed-caption', class: 'visually-hidden' }, caption),
      h('thead', null, h('tr', null, heads.map((x, i) => h('th', { scope: 'col', class: i >= heads.length - 3 ? 'num' : null }, x)))),
      h('tbody', null, (stats.buckets || []).map((b) => h('tr', { dataset: { key: (b.key || []).map((x) => x.code).join('|'), period: b.period || null } },
        h('th', { scope: 'row', dataset: { col: 'group' } }, label(b)),
        s.interval ? h('td', { class: 'nowrap', dataset: { col: 'period' } }, b.period || dash()) : null,
        figure('count', b.count), figure('liable', b.liable), figure('fined', b.fined)))),
      stats.total ? h('tfoot', null, h('tr', null,
        h('th', { scope: 'row' }, t('totalRow')),
        s.interval ? h('td') : null,
        figure('count', stats.total.count), figure('liable', stats.total.liable), figure('fined', stats.total.fined))) : null));
}

// periodEnd gives the last day of "2024", "2024-Q2" or "2024-05" (null for anything else).
function periodEnd(period) {
  const m = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/.exec(period || '');
  if (!m) return null;
  const last = m[2] ? Number(m[2]) * 3 : m[3] ? Number(m[3]) : 12;
  return new Date(Date.UTC(Number(m[1]), last, 0)).toISOString().slice(0, 10);
}

// trendChart is the overview's trend: cases, found liable and fined per period, a period
// not over yet left out (it would look like a fall), as the overview draws it.
function trendChart(s, trend, title) {
  const today = new Date().toISOString().slice(0, 10);
  const partial = [];
  const buckets = (trend.buckets || []).filter((b) => {
    const end = periodEnd(b.period);
    if (end && end >= today) { partial.push(b.period); return false; }
    return true;
  });
  const { periods, series } = periodSeries(buckets, [
    { key: 'count', label: t('colCases') },
    { key: 'liable', label: t('colLiable') },
    { key: 'fined', label: t('colFined') },
  ]);
  if (!periods.length) return h('p', { class: 'empty-state' }, t('noStats'));
  const nWithheld = series.reduce((a, x) => a + x.values.filter((v) => !isNum(v)).length, 0);
  return lineChart({
    id: 'embed-chart', title,
    note: partial.length ? `${t('ovTrendNote')} ${t('ovTrendPartial', partial.join(', '))}` : t('ovTrendNote'),
    desc: t('ovTrendDesc', periods[0], periods[periods.length - 1], fmtInt(nWithheld)),
    periods, series, k: trend.suppressionThreshold,
  });
}

// viewURL is the view of the same question (the statistics view, or the overview for its
// trend), in the same language.
function viewURL(s) {
  const l = language(state.lang);
  if (s.kind === 'overview-trend') {
    const parts = [];
    if (s.interval !== 'QUARTER') parts.push(`interval=${encodeURIComponent(s.interval)}`);
    parts.push(...filterParams(s), `lang=${l ? l.tag : 'en'}`);
    return `${location.origin}/#/overview?${parts.join('&')}`;
  }
  const parts = [];
  if (s.by !== 'REGION') parts.push(`by=${encodeURIComponent(s.by)}`);
  if (s.interval) parts.push(`interval=${encodeURIComponent(s.interval)}`);
  parts.push(...filterParams(s));
  parts.push(`lang=${l ? l.tag : 'en'}`);
  return `${location.origin}/#/statistics?${parts.join('&')}`;
}

function footer(s) {
  const rel = state.release;
  const newTab = h('span', { class: 'visually-hidden' }, ` ${t('emNewTab')}`);
  return h('footer', { class: 'embed-foot' },
    rel ? h('p', { class: 'embed-cite' }, `${t('emCiteLabel')}: `, h('cite', { id: 'embed-citation' }, citation(rel))) : null,
    h('p', { class: 'embed-links' },
      h('a', { href: LICENCE_URL, rel: 'license noopener', target: '_blank', id: 'embed-licence' }, t('emLicence'), newTab.cloneNode(true)),
      ' · ',
      h('a', { href: viewURL(s), target: '_blank', rel: 'noopener', id: 'embed-full' }, t('emFullView'), newTab.cloneNode(true)),
      ' · ',
      h('a', { href: statisticsExportURL(s.kind === 'overview-trend' ? [] : [s.by], s.interval, s, 'csv'), download: '', id: 'embed-source' }, t('emSource'))));
}

async function start() {
  const main = document.getElementById('main');
  state.lang = initialLang();
  for (const lang of [...new Set([state.lang, 'EN'])]) {
    try {
      await loadLanguage(lang);
      state.lang = lang;
      break;
    } catch (e) {
      main.replaceChildren(h('p', { class: 'error-box', role: 'alert' }, String(e && e.message)));
    }
  }
  const l = language(state.lang);
  if (l) document.documentElement.lang = l.tag;
  const problems = [];
  try {
    problems.push(...await boot());
  } catch (e) {
    problems.push({ message: (e && e.message) || String(e) });
  }
  const s = question();
  for (const x of s.problems) problems.push({ message: t('linkProblem', `${x.param}=${x.value}`, x.expected) });
  let title = s.interval
    ? t('statsCaptionPeriod', term('Dimension', s.by), t(`interval${s.interval}`).toLowerCase())
    : t('statsCaption', term('Dimension', s.by));
  if (s.kind === 'overview-trend') title = t('ovTrend', t(`interval${s.interval}`).toLowerCase());
  document.title = `${title} — casewatch`;

  let stats = null;
  try {
    const { data, errors } = s.kind === 'overview-trend'
      ? await gql(Q_OVERVIEW_TREND, { filter: caseFilter(s), interval: s.interval })
      : await gql(Q_STATISTICS, { filter: caseFilter(s), groupBy: [s.by], interval: s.interval, lang: state.lang });
    problems.push(...errors);
    if (data && data.currentRelease) state.release = data.currentRelease;
    stats = data && (data.statistics || data.trend);
  } catch (e) {
    problems.push(...(e && e.errors ? e.errors : [{ message: String(e && e.message) }]));
  }

  const parts = [];
  if (state.release && state.release.synthetic) {
    parts.push(h('p', { class: 'embed-synthetic', id: 'embed-synthetic' }, h('strong', null, t('banner')), ' ', t('bannerDetail')));
  }
  parts.push(h('h1', { class: 'embed-title' }, title));
  if (problems.length) {
    parts.push(h('div', { class: 'error-box', role: 'alert' }, h('ul', null, problems.map((x) => h('li', null, String(x.message))))));
  }
  if (stats) {
    if (stats.total) { // the trend has none
      const n = stats.total.count;
      parts.push(h('p', { class: 'result-status' }, isNum(n) ? t('statsMatchN', fmtInt(n)) : t('statsMatchWithheld')));
    }
    if (!(stats.buckets || []).length) parts.push(h('p', { class: 'empty-state' }, t('noStats')));
    else if (s.kind === 'overview-trend') parts.push(trendChart(s, stats, title));
    else if (s.kind === 'chart') {
      parts.push(statisticsLineChart(stats, { id: 'embed-chart', title, desc: t('stChartDesc', CHART_SERIES), maxSeries: CHART_SERIES }));
    } else {
      parts.push(table(s, stats, title));
      if ((stats.buckets || []).some((b) => [b.count, b.liable, b.fined].some((v) => !isNum(v)))) {
        parts.push(h('p', { class: 'hint embed-legend' }, h('span', { 'aria-hidden': 'true' }, '— '), t('withheldCell', fmtInt(stats.suppressionThreshold))));
      }
    }
  }
  parts.push(footer(s));
  main.replaceChildren(h('article', { class: `embed-view embed-${s.kind}`, dataset: { ready: 'true' } }, parts));
}

start();
