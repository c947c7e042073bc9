// The sources: official figures, index units, the articles of law cases are brought under and
// the populations per-capita rates divide by. Everything is asked for in the page's language
// (definitions, penalties, verification notes, population sources and notes); metric codes
// are not shown, the definition says what a figure counts.

import { gql, prefetch } from '../api.js';
import { setTitle, showErrors, updateRelease } from '../chrome.js';
import { tableDownload } from '../downloads.js';
import { t } from '../i18n.js';
import { Q_SOURCES } from '../queries.js';
import { state } from '../state.js';
import {
  articleNode, fmtDate, fmtNumber, fmtPercent, h, loadingNode, orDash, sourceNode, term, unitAbbr,
} from '../util.js';

function simpleTable(captionId, caption, headers, rows, cls) {
  if (!rows.length) return h('p', { class: 'empty-state' }, t('noRows'));
  const table = h('table', { class: `data ${cls || ''}`.trim() },
    h('caption', { id: captionId, class: 'visually-hidden' }, caption),
    h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows));
  return [h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': captionId, tabindex: '0' }, table),
    tableDownload(table, `sources-${captionId.replace(/^cap-/, '')}`)];
}

// The units of official figures and index units, in the language; an unknown unit as given.
const UNIT_KEYS = {
  instances: 'srcUnitInstances',
  posts: 'srcUnitPosts',
  persons: 'srcUnitPersons',
  people: 'srcUnitPeople',
  KZT: 'srcUnitKZT',
  KGS: 'srcUnitKGS',
};

function valueWithUnit(value, unit, digits) {
  if (unit === 'percent') return fmtPercent(value / 100, digits);
  const key = UNIT_KEYS[unit];
  const one = value === 1 && key === 'srcUnitPersons' ? 'srcUnitPersonsOne' : key;
  return `${fmtNumber(value, digits)} ${one ? t(one) : unit}`;
}

// periodText writes a period: a whole calendar year as the year, else its first and last day.
function periodText(start, end) {
  if (start === end) return fmtDate(start);
  if (/^\d{4}-01-01$/.test(start) && end === `${start.slice(0, 4)}-12-31`) return start.slice(0, 4);
  return `${fmtDate(start)} – ${fmtDate(end)}`;
}

const MEASURE_KEYS = { AVERAGE_ANNUAL: 'srcMeasureAverage', POINT: 'srcMeasurePoint', CENSUS: 'srcMeasureCensus' };

function measureText(p) {
  const key = MEASURE_KEYS[p.measure];
  if (key === 'srcMeasurePoint' && /^\d{4}$/.test(p.asOf)) return t('srcMeasurePointYear', p.asOf);
  return key ? t(key, fmtDate(p.asOf)) : `${p.measure} ${p.asOf}`;
}

// populationSection lists the populations per-capita rates divide by: Kazakhstan's regions
// by year (one source for all), Kyrgyzstan's regions with each figure's date, source and note.
function populationSection(pops, regionNames) {
  const name = (code) => (code === 'KZ' || code === 'KG'
    ? t('srcPopCountry', term('Jurisdiction', code)) : regionNames.get(code) || code);
  const byName = (a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
  const kz = pops.filter((p) => p.jurisdiction === 'KZ');
  const kg = pops.filter((p) => p.jurisdiction === 'KG');

  const years = [...new Set(kz.map((p) => p.year))].sort();
  const kzCodes = [...new Set(kz.map((p) => p.code))].sort((a, b) => (a === 'KZ' ? 1 : b === 'KZ' ? -1 : byName(a, b)));
  const kzRows = kzCodes.map((code) => h('tr', code === 'KZ' ? { class: 'total-row' } : null,
    h('th', { scope: 'row' }, name(code)),
    years.map((y) => {
      const p = kz.find((x) => x.code === code && x.year === y);
      return h('td', { class: 'num', dataset: p ? { value: p.value } : null }, p ? fmtNumber(p.value, 1) : orDash(null));
    })));
  const kzSources = [...new Set(kz.map((p) => p.source))];

  const kgRows = kg.slice().sort((a, b) => byName(a.code, b.code)).map((p) => h('tr', null,
    h('th', { scope: 'row' }, name(p.code)),
    h('td', { class: 'num', dataset: { value: p.value } }, fmtNumber(p.value, 1)),
    h('td', null, measureText(p)),
    h('td', { class: 'note source-text' }, p.source)));
  const kgNotes = [...new Set(kg.map((p) => p.note).filter(Boolean))];

  return h('section', { 'aria-labelledby': 'sec-population' },
    h('h2', { id: 'sec-population' }, t('srcPopHeading')),
    h('p', null, t('srcPopIntro')),
    h('h3', { id: 'sec-population-kz' }, term('Jurisdiction', 'KZ')),
    h('p', null, t('srcPopKZMeasure')),
    simpleTable('cap-population-kz', t('srcPopCaption', term('Jurisdiction', 'KZ')),
      [t('fRegion'), ...years.map((y) => String(y))], kzRows, 'population-table'),
    h('p', { class: 'note source-text' }, h('strong', null, `${t('colSource')}: `), kzSources.join('; ')),
    h('h3', { id: 'sec-population-kg' }, term('Jurisdiction', 'KG')),
    h('p', null, t('srcPopKGNote')),
    kgNotes.map((n) => h('p', { class: 'note' }, n)),
    simpleTable('cap-population-kg', t('srcPopCaption', term('Jurisdiction', 'KG')),
      [t('fRegion'), t('srcColPopulation'), t('srcColMeasure'), t('colSource')], kgRows, 'population-table'));
}

// prefetchSources sends the view's request ahead (see prefetch in api.js).
export function prefetchSources() {
  prefetch(Q_SOURCES, { lang: state.lang });
}

export async function viewSources(r, ctx) {
  setTitle(t('sourcesTitle'));
  const body = h('div', null, loadingNode());
  ctx.mount(h('section', { class: 'view view-sources' },
    h('h1', { tabindex: '-1' }, t('sourcesTitle')),
    h('p', { class: 'intro' }, t('sourcesIntro')),
    body));

  const { data, errors } = await gql(Q_SOURCES, { lang: state.lang }, ctx.signal);
  if (!ctx.isCurrent()) return;
  if (errors.length) showErrors(errors);
  if (!data) { body.replaceChildren(); return; }
  if (data.currentRelease) updateRelease(data.currentRelease);

  const figures = (data.officialFigures || []).map((f) => h('tr', null,
    h('td', null, term('Jurisdiction', f.jurisdiction)),
    h('th', { scope: 'row', class: 'note figure-definition' }, f.definition),
    h('td', null, periodText(f.periodStart, f.periodEnd)),
    h('td', { class: 'num' }, valueWithUnit(f.value, f.unit, 3)),
    h('td', { class: 'note' }, sourceNode(f.source)),
    h('td', null, f.verified)));

  const units = (data.indexUnits || []).slice()
    .sort((a, b) => (a.jurisdiction < b.jurisdiction ? -1 : a.jurisdiction > b.jurisdiction ? 1 : a.year - b.year))
    .map((u) => h('tr', null,
      h('td', null, term('Jurisdiction', u.jurisdiction)),
      h('th', { scope: 'row' }, String(u.year)),
      h('td', null, unitAbbr(u.unit, u.year)),
      h('td', { class: 'num' }, valueWithUnit(u.value, u.currency, 0)),
      h('td', { class: 'note' }, sourceNode(u.source))));

  const articleNumber = (code) => code.split(/[ -]/).slice(1).map(Number);
  const byNumber = (a, b) => {
    const x = articleNumber(a.code);
    const y = articleNumber(b.code);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      if ((x[i] || 0) !== (y[i] || 0)) return (x[i] || 0) - (y[i] || 0);
    }
    return 0;
  };
  const articles = (data.articles || []).slice()
    .sort((a, b) => (a.jurisdiction < b.jurisdiction ? 1 : a.jurisdiction > b.jurisdiction ? -1
      : a.liability < b.liability ? -1 : a.liability > b.liability ? 1 : byNumber(a, b)))
    .map((a) => h('tr', null,
      h('th', { scope: 'row' }, articleNode(a)),
      h('td', null, term('Jurisdiction', a.jurisdiction)),
      h('td', null, term('Liability', a.liability)),
      h('td', null, a.title || h('span', { class: 'muted' }, t('untitled'))),
      h('td', { class: 'note' }, orDash(a.penalties)),
      h('td', null, a.listed ? t('yes') : t('no')),
      h('td', { class: 'note' }, a.verification)));

  // The abbreviations of the codes of law, spelt out (a tooltip alone is no help on a phone).
  const codesOfLaw = new Map();
  for (const a of data.articles || []) {
    const abbr = String(a.label || a.code).split(' ')[0];
    if (a.codeName) codesOfLaw.set(`${a.jurisdiction} ${abbr}`, { abbr, name: a.codeName });
  }
  const legend = codesOfLaw.size ? h('dl', { class: 'codes-legend', 'aria-label': t('srcCodesCaption') },
    [...codesOfLaw.values()].map((c) => [h('dt', null, c.abbr), h('dd', null, c.name)])) : null;

  const regionNames = new Map((data.regions || []).map((x) => [x.code, x.name]));

  body.replaceChildren(
    h('section', { 'aria-labelledby': 'sec-figures' },
      h('h2', { id: 'sec-figures' }, t('secFigures')),
      simpleTable('cap-figures', t('secFigures'),
        [t('fJurisdiction'), t('srcColFigure'), t('colPeriod'), t('colValue'), t('colSource'), t('colVerified')], figures)),
    h('section', { 'aria-labelledby': 'sec-units' },
      h('h2', { id: 'sec-units' }, t('secIndexUnits')),
      simpleTable('cap-units', t('secIndexUnits'),
        [t('fJurisdiction'), t('colYear'), t('colUnit'), t('colValue'), t('colSource')], units)),
    h('section', { 'aria-labelledby': 'sec-articles' },
      h('h2', { id: 'sec-articles' }, t('secArticles')),
      h('p', null, t('srcArticlesIntro')),
      legend,
      simpleTable('cap-articles', t('secArticles'),
        [t('colArticle'), t('fJurisdiction'), t('fLiability'), t('colTitle'), t('srcColPenalties'), t('colListed'), t('colVerification')], articles)),
    populationSection(data.populations || [], regionNames),
    h('p', { class: 'note' }, t('srcCitationsNote')));
}
