// The case list: filters, one row per case, pages of PAGE_SIZE.

import { gql, prefetch } from '../api.js';
import { setTitle, showErrors, showException, updateRelease } from '../chrome.js';
import { loadRegions, prefetchRegions } from '../data.js';
import { casesDownloads } from '../downloads.js';
import { buildFilterForm, caseFilter, filtersFromParams, filtersHash, reportLinkProblems, syncForm } from '../filters.js';
import { t } from '../i18n.js';
import { Q_CASES } from '../queries.js';
import { session, state } from '../state.js';
import { articleNode, categoryLabel, concernTag, dash, fineBandNode, fmtInt, h, navigate, refocus, term } from '../util.js';

const PAGE_SIZE = 50;

// Pages of the case list seen in this tab: key of (filters, endCursor) -> { prev, start }.
// Lets "previous page" and the "cases 51–100" line work with forward-only cursors.
const pageMemo = new Map();

function filterKey(s) {
  return filtersHash({ ...s, after: null }, null);
}

function latestAppeal(c) {
  const appeals = c.appeals || [];
  return appeals.length ? appeals[appeals.length - 1] : null;
}

function casesTable(edges) {
  const cols = [
    t('colReference'), t('colReported'), t('fJurisdiction'), t('fRegion'), t('fCategory'),
    t('colArticle'), t('fStage'), t('fDecision'), t('fSanction'), t('colFine'), t('colAppeal'),
  ];
  const tbody = h('tbody');
  for (const { node: c } of edges) {
    const href = `#/case/${encodeURIComponent(c.reference)}`;
    const appeal = latestAppeal(c);
    const o = c.outcome;
    const row = h('tr', { class: 'clickable', dataset: { href } },
      h('th', { scope: 'row' }, h('a', { href, class: 'ref' }, c.reference)),
      h('td', { class: 'nowrap' }, c.reportedMonth),
      h('td', null, term('Jurisdiction', c.jurisdiction)),
      h('td', null, c.region ? c.region.name || c.region.code : h('span', { class: 'muted' }, t('withheld'))),
      h('td', null, c.category ? h('span', { class: 'cat' }, categoryLabel(c.category)) : h('span', { class: 'muted' }, t('withheld')),
        ' ', concernTag(c.concern)),
      h('td', { class: 'nowrap' }, c.article ? articleNode(c.article) : dash()),
      h('td', null, term('CaseStage', c.stage)),
      h('td', null, o ? term('Decision', o.decision) : dash()),
      h('td', null, o && o.sanction ? term('Sanction', o.sanction) : dash()),
      h('td', { class: 'num' }, o && o.fineBand ? fineBandNode(o.fineBand) : dash()),
      h('td', null, appeal
        ? [appeal.level === 'CASSATION' ? `${term('AppealLevel', appeal.level)}: ` : '', term('AppealStatus', appeal.status)]
        : dash()));
    tbody.append(row);
  }
  tbody.addEventListener('click', (ev) => {
    if (ev.target.closest('a, button')) return;
    const sel = window.getSelection && window.getSelection();
    if (sel && String(sel).length) return; // selecting text, not opening
    const tr = ev.target.closest('tr[data-href]');
    if (tr) navigate(tr.dataset.href);
  });
  return h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': 'cases-caption', tabindex: '0' },
    h('table', { class: 'data cases-table' },
      h('caption', { id: 'cases-caption', class: 'visually-hidden' }, t('casesCaption')),
      h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
      tbody));
}

function refForm() {
  const input = h('input', {
    id: 'open-ref', type: 'text', placeholder: t('openRefPlaceholder'), autocomplete: 'off',
    spellcheck: 'false', maxlength: '64', class: 'ref-input',
  });
  return h('form', {
    class: 'ref-form',
    onsubmit: (ev) => {
      ev.preventDefault();
      const ref = input.value.trim().toUpperCase();
      if (ref) navigate(`#/case/${encodeURIComponent(ref)}`);
    },
  }, h('label', { for: 'open-ref' }, t('openRef')), ' ', input, ' ', h('button', { type: 'submit' }, t('open')));
}

// casesVariables are the variables of the case list's request for the choices s.
function casesVariables(s) {
  return { filter: caseFilter(s), orderBy: s.order, first: PAGE_SIZE, after: s.after, lang: state.lang };
}

// prefetchCases sends the case list's requests for the address r ahead, before the view
// runs (see prefetch in api.js).
export function prefetchCases(r) {
  const s = filtersFromParams(r.params);
  prefetchRegions(s.jurisdiction);
  if (!(s.from && s.to && s.from > s.to)) prefetch(Q_CASES, casesVariables(s));
}

export async function viewCases(r, ctx) {
  const s = filtersFromParams(r.params);
  session.lastCasesHash = location.hash || '#/cases';
  setTitle(t('casesTitle'));

  let regions = [];
  try {
    regions = await loadRegions(s.jurisdiction, ctx.signal);
  } catch (e) {
    if (!ctx.isCurrent()) return;
    showException(e);
  }
  if (!ctx.isCurrent()) return;
  const known = new Set(regions.map((x) => x.code));
  if (regions.length) {
    for (const c of s.lists.regions) {
      if (!known.has(c)) s.problems.push({ param: 'regions', value: c, expected: t('linkExpectedRegion') });
    }
    s.lists.regions = s.lists.regions.filter((c) => known.has(c));
  }
  reportLinkProblems(s.problems);

  const uiKey = `${state.lang}|${s.jurisdiction || ''}|${regions.length}`;
  const main = document.getElementById('main');
  let ui = session.casesUI;
  if (ctx.rebuild || !ui || ui.key !== uiKey || !main.contains(ui.root)) {
    const focusId = (ui && ui.pendingFocus) || (document.activeElement && document.activeElement.id);
    ui = buildFilterForm(s, regions);
    ui.key = uiKey;
    ui.status = h('p', { class: 'result-status', role: 'status', id: 'result-status' });
    ui.results = h('div', { class: 'results', id: 'results' });
    ui.downloads = h('div', { class: 'cases-downloads' });
    ui.root = h('section', { class: 'view view-cases' },
      h('div', { class: 'view-head' },
        h('h1', { tabindex: '-1' }, t('casesTitle')),
        refForm()),
      h('p', { class: 'intro' }, t('casesIntro')),
      ui.form, ui.status, ui.downloads, ui.results);
    ctx.mount(ui.root);
    session.casesUI = ui;
    refocus(ctx, focusId);
  }
  ui.pendingFocus = null;
  syncForm(ui, s);

  if (s.from && s.to && s.from > s.to) {
    ui.status.textContent = '';
    ui.results.replaceChildren();
    ui.downloads.replaceChildren();
    showErrors([{ message: t('errDateOrder') }]);
    return;
  }

  ui.status.textContent = t('loading');
  ui.results.classList.add('is-loading');
  ui.results.setAttribute('aria-busy', 'true');
  let resp;
  try {
    resp = await gql(Q_CASES, casesVariables(s), ctx.signal);
  } finally {
    if (ctx.isCurrent()) {
      ui.results.classList.remove('is-loading');
      ui.results.removeAttribute('aria-busy');
    }
  }
  if (!ctx.isCurrent()) return;
  const { data, errors } = resp;
  if (errors.length) showErrors(errors);
  if (data && data.currentRelease) updateRelease(data.currentRelease);
  const conn = data && data.cases;
  // The files hold every case of the list, in its order, whichever page is shown.
  ui.downloads.replaceChildren(...(conn && conn.totalCount > 0 ? [casesDownloads(s)] : []));
  if (!conn) {
    ui.status.textContent = '';
    ui.results.replaceChildren(pager(s, null, null));
    return;
  }

  const key = filterKey(s);
  const memo = s.after ? pageMemo.get(`${key}\u0000${s.after}`) : { prev: null, start: 0 };
  const edges = conn.edges || [];
  if (memo && conn.pageInfo && conn.pageInfo.endCursor) {
    pageMemo.set(`${key}\u0000${conn.pageInfo.endCursor}`, { prev: s.after, start: memo.start + edges.length });
  }
  if (edges.length && memo) {
    ui.status.textContent = t('showingRange', fmtInt(memo.start + 1), fmtInt(memo.start + edges.length), fmtInt(conn.totalCount));
  } else {
    ui.status.textContent = t('totalN', fmtInt(conn.totalCount));
  }
  ui.results.replaceChildren(
    edges.length ? casesTable(edges) : h('p', { class: 'empty-state' }, t('noCases')),
    pager(s, conn.pageInfo, memo));
}

function pager(s, pageInfo, memo) {
  const links = [];
  if (s.after) {
    links.push(h('a', { href: filtersHash(s, null), class: 'button' }, t('firstPage')));
    if (memo && memo.prev) links.push(h('a', { href: filtersHash(s, memo.prev), class: 'button', rel: 'prev' }, t('prevPage')));
  }
  if (pageInfo && pageInfo.hasNextPage && pageInfo.endCursor) {
    links.push(h('a', { href: filtersHash(s, pageInfo.endCursor), class: 'button primary', rel: 'next' }, t('nextPage')));
  }
  if (!links.length) return h('span');
  return h('nav', { class: 'pager', 'aria-label': t('pagination') }, links);
}
