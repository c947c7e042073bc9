// The sources: official figures, index units and the articles of law cases are brought under.

import { gql, prefetch } from '../api.js';
import { setTitle, showErrors, updateRelease } from '../chrome.js';
import { t } from '../i18n.js';
import { Q_SOURCES } from '../queries.js';
import { state } from '../state.js';
import { fmtInt, fmtNumber, h, loadingNode, orDash, sourceNode, term, unitAbbr } from '../util.js';

function simpleTable(captionId, caption, headers, rows) {
  if (!rows.length) return h('p', { class: 'empty-state' }, t('noRows'));
  return h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': captionId, tabindex: '0' },
    h('table', { class: 'data' },
      h('caption', { id: captionId, class: 'visually-hidden' }, caption),
      h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, rows)));
}

// prefetchSources sends the view's request ahead (see prefetch in api.js).
export function prefetchSources() {
  prefetch(Q_SOURCES, { lang: state.lang });
}

export async function viewSources(r, ctx) {
  setTitle(t('sourcesTitle'));
  const body = h('div', null, loadingNode());
  ctx.mount(h('section', { class: 'view' },
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
    h('th', { scope: 'row' }, f.metric),
    h('td', { class: 'nowrap' }, f.periodStart === f.periodEnd ? f.periodStart : `${f.periodStart} – ${f.periodEnd}`),
    h('td', { class: 'num' }, `${fmtNumber(f.value, 3)} ${f.unit}`),
    h('td', { class: 'note' }, f.definition),
    h('td', { class: 'note' }, sourceNode(f.source)),
    h('td', null, f.verified)));

  const units = (data.indexUnits || []).slice()
    .sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction) || a.year - b.year)
    .map((u) => h('tr', null,
      h('td', null, term('Jurisdiction', u.jurisdiction)),
      h('th', { scope: 'row' }, String(u.year)),
      h('td', null, unitAbbr(u.unit, u.year)),
      h('td', { class: 'num' }, `${fmtInt(u.value)} ${u.currency}`),
      h('td', { class: 'note' }, sourceNode(u.source))));

  const articles = (data.articles || []).slice()
    .sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction) || a.code.localeCompare(b.code, 'en', { numeric: true }))
    .map((a) => h('tr', null,
      h('th', { scope: 'row', class: 'nowrap' }, a.code),
      h('td', null, term('Jurisdiction', a.jurisdiction)),
      h('td', null, term('Liability', a.liability)),
      h('td', null, a.title || h('span', { class: 'muted' }, t('untitled'))),
      h('td', { class: 'note' }, orDash(a.penalties)),
      h('td', null, a.listed ? t('yes') : t('no')),
      h('td', { class: 'note' }, a.verification)));

  body.replaceChildren(
    h('section', { 'aria-labelledby': 'sec-figures' },
      h('h2', { id: 'sec-figures' }, t('secFigures')),
      simpleTable('cap-figures', t('secFigures'),
        [t('fJurisdiction'), t('colMetric'), t('colPeriod'), t('colValue'), t('colDefinition'), t('colSource'), t('colVerified')], figures)),
    h('section', { 'aria-labelledby': 'sec-units' },
      h('h2', { id: 'sec-units' }, t('secIndexUnits')),
      simpleTable('cap-units', t('secIndexUnits'),
        [t('fJurisdiction'), t('colYear'), t('colUnit'), t('colValue'), t('colSource')], units)),
    h('section', { 'aria-labelledby': 'sec-articles' },
      h('h2', { id: 'sec-articles' }, t('secArticles')),
      simpleTable('cap-articles', t('secArticles'),
        [t('colArticle'), t('fJurisdiction'), t('fLiability'), t('colTitle'), t('colPenalties'), t('colListed'), t('colVerification')], articles)));
}
