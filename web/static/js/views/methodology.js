// The methodology: the page's text in the current language (../i18n/), completed with the
// categories of each concern and this server's perturbation table from the API.

import { gql } from '../api.js';
import { setTitle, showErrors, updateRelease } from '../chrome.js';
import { tableDownload } from '../downloads.js';
import { methodology, t } from '../i18n.js';
import { Q_METHODOLOGY } from '../queries.js';
import { state } from '../state.js';
import { categoryLabel, codes, concernTag, fmtInt, fmtPercent, h } from '../util.js';

export async function viewMethodology(r, ctx) {
  setTitle(t('methodologyTitle'));
  const m = methodology();
  const concernCodes = codes('Concern');
  const concerns = h('dl', { class: 'concerns' }, concernCodes.map((code) => {
    const cats = state.categories.filter((c) => c.concern === code);
    return [
      h('dt', null, concernTag(code), ' ', h('code', null, code)),
      h('dd', null,
        h('p', null, m.concerns[code] || ''),
        cats.length ? h('ul', { class: 'inline-list' }, cats.map((c) => h('li', null, categoryLabel(c.code)))) : null),
    ];
  }));
  const perturbationTable = h('div', { class: 'perturbation' });
  const cite = h('cite', { id: 'm-citation' }, citation(m.licence, state.release));
  ctx.mount(h('article', { class: 'view view-methodology prose' },
    h('h1', { tabindex: '-1' }, t('methodologyTitle')),
    m.intro.map((p) => h('p', null, p)),
    h('section', { 'aria-labelledby': 'm-concern' },
      h('h2', { id: 'm-concern' }, m.concernHeading),
      h('p', null, m.concernIntro),
      concerns),
    m.sections.map((sec, i) => h('section', { 'aria-labelledby': `m-sec-${i}` },
      h('h2', { id: `m-sec-${i}` }, sec.heading),
      sec.paragraphs.map((p) => h('p', null, p)))),
    h('section', { 'aria-labelledby': 'm-perturbation', id: 'perturbation' },
      h('h2', { id: 'm-perturbation' }, m.perturbation.heading),
      m.perturbation.paragraphs.map((p) => h('p', null, p)),
      perturbationTable),
    licenceSection(m.licence, cite)));

  // Keep the banner right on this static page too; the table and k come from the API, so
  // they are this server's.
  const { data, errors } = await gql(Q_METHODOLOGY, {}, ctx.signal);
  if (!ctx.isCurrent()) return;
  if (errors.length) showErrors(errors);
  if (data && data.currentRelease) updateRelease(data.currentRelease);
  cite.textContent = citation(m.licence, state.release);
  if (data && data.disclosureControl) fillPerturbationTable(perturbationTable, m.perturbation, data.disclosureControl);
}

// fillPerturbationTable shows the published perturbation table: one row per exact count
// (the last for that count and more), one column per perturbation.
function fillPerturbationTable(box, text, dc) {
  const moves = [...new Set(dc.perturbationTable.flatMap((r) => r.outcomes.map((o) => o.perturbation)))].sort((a, b) => a - b);
  const fill = (pattern, value) => pattern.split('{0}').join(value);
  const sign = (n) => (n > 0 ? `+${n}` : String(n));
  const table = h('table', { class: 'data perturbation-table' },
    h('caption', { id: 'perturbation-caption' }, text.tableCaption),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, text.colCount),
      moves.map((p) => h('th', { scope: 'col', class: 'num' }, sign(p))))),
    h('tbody', null, dc.perturbationTable.map((r) => h('tr', null,
      h('th', { scope: 'row' }, r.orMore ? fill(text.orMore, fmtInt(r.count)) : fmtInt(r.count)),
      moves.map((p) => {
        const o = r.outcomes.find((x) => x.perturbation === p);
        return h('td', { class: 'num' }, o ? fmtPercent(o.probability) : '');
      })))));
  box.replaceChildren(
    h('p', null, fill(text.parameters, fmtInt(dc.suppressionThreshold))),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': text.tableCaption }, table),
    tableDownload(table, 'perturbation-table'));
}

const LICENCE_URL = 'https://creativecommons.org/licenses/by/4.0/';

// citation is "casewatch, release N of YYYY-MM-DD" for the release (the pattern of text).
function citation(text, release) {
  if (!release) return '';
  return text.cite.split('{0}').join(String(release.version)).split('{1}').join(String(release.publishedAt || '').slice(0, 10));
}

// licenceSection says under which licence the data are, how to cite the current release
// and where to get the data.
function licenceSection(text, cite) {
  const way = (words, href, label) => h('li', null, words, ' ', h('a', { href }, label || h('code', null, href)));
  return h('section', { 'aria-labelledby': 'm-licence', id: 'licence' },
    h('h2', { id: 'm-licence' }, text.heading),
    text.paragraphs.map((p) => h('p', null, p)),
    h('p', null, h('a', { href: LICENCE_URL, rel: 'license' }, text.licenceLink), ' ', h('span', { class: 'muted m-licence-url' }, `(${LICENCE_URL})`)),
    h('p', null, text.citeIntro),
    h('p', { class: 'm-cite' }, cite),
    h('h3', null, text.waysHeading),
    h('ul', { class: 'm-ways' },
      h('li', null, text.exports, ' ', h('code', null, '/export/cases.csv'), ', ', h('code', null, '/export/statistics.csv')),
      way(text.dumps, '/dumps/'),
      way(text.feed, '/feed.atom'),
      way(text.api, '/explorer')));
}
