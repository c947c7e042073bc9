// The releases: every numbered publication of the data, newest first.

import { gql, prefetch } from '../api.js';
import { setTitle, showErrors, showException, updateRelease } from '../chrome.js';
import { t } from '../i18n.js';
import { Q_RELEASES } from '../queries.js';
import { state } from '../state.js';
import { tableDownload } from '../downloads.js';
import { badge, dash, fmtInt, fmtTime, h, orDash } from '../util.js';

const RELEASES_PAGE_SIZE = 20;

function releaseRows(edges) {
  const currentVersion = state.release ? state.release.version : null;
  return edges.map(({ node: rel }) => h('tr', null,
    h('th', { scope: 'row', class: 'nowrap' }, `v${rel.version}`,
      rel.version === currentVersion ? [' ', badge(t('current'), 'badge-current')] : null),
    h('td', { class: 'nowrap' }, fmtTime(rel.publishedAt)),
    h('td', { class: 'note' }, orDash(rel.note)),
    h('td', null, rel.synthetic ? badge(t('syntheticBadge'), 'badge-synthetic') : t('real')),
    h('td', { class: 'num', dataset: { value: rel.rowsAdded } }, fmtInt(rel.rowsAdded)),
    h('td', { class: 'num', dataset: { value: rel.rowsUpdated } }, fmtInt(rel.rowsUpdated)),
    h('td', { class: 'num', dataset: { value: rel.rowsUnchanged } }, fmtInt(rel.rowsUnchanged)),
    h('td', null, rel.checksum ? h('code', { class: 'checksum' }, rel.checksum) : dash())));
}

// prefetchReleases sends the view's first request ahead (see prefetch in api.js).
export function prefetchReleases() {
  prefetch(Q_RELEASES, { first: RELEASES_PAGE_SIZE, after: null });
}

export async function viewReleases(r, ctx) {
  setTitle(t('releasesTitle'));
  const status = h('p', { class: 'result-status', role: 'status' }, t('loading'));
  const results = h('div');
  ctx.mount(h('section', { class: 'view' },
    h('h1', { tabindex: '-1' }, t('releasesTitle')),
    h('p', { class: 'intro' }, t('releasesIntro')),
    status, results));

  const { data, errors } = await gql(Q_RELEASES, { first: RELEASES_PAGE_SIZE, after: null, lang: state.lang }, ctx.signal);
  if (!ctx.isCurrent()) return;
  if (errors.length) showErrors(errors);
  if (data && data.currentRelease) updateRelease(data.currentRelease);
  const conn = data && data.releases;
  if (!conn) { status.textContent = ''; return; }
  status.textContent = t('releasesTotal', fmtInt(conn.totalCount));
  if (!conn.edges.length) { results.replaceChildren(h('p', { class: 'empty-state' }, t('noRows'))); return; }

  const tbody = h('tbody', null, releaseRows(conn.edges));
  const more = h('div', { class: 'pager' });
  let pageInfo = conn.pageInfo;
  const renderMore = () => {
    more.replaceChildren();
    if (!pageInfo || !pageInfo.hasNextPage || !pageInfo.endCursor) return;
    const btn = h('button', { type: 'button', class: 'primary' }, t('loadMore'));
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try {
        const next = await gql(Q_RELEASES, { first: RELEASES_PAGE_SIZE, after: pageInfo.endCursor, lang: state.lang }, ctx.signal);
        if (!ctx.isCurrent()) return;
        if (next.errors.length) showErrors(next.errors);
        const c2 = next.data && next.data.releases;
        if (c2) { tbody.append(...releaseRows(c2.edges)); pageInfo = c2.pageInfo; }
      } catch (e) { if (ctx.isCurrent()) showException(e); }
      renderMore();
    });
    more.append(btn);
  };
  renderMore();
  const table = h('table', { class: 'data' },
    h('caption', { id: 'releases-caption', class: 'visually-hidden' }, t('releasesTitle')),
    h('thead', null, h('tr', null, [t('colVersion'), t('colPublished'), t('colNote'), t('colData'), t('colAdded'), t('colUpdated'), t('colUnchanged'), t('colChecksum')]
      .map((x) => h('th', { scope: 'col' }, x)))),
    tbody);
  results.replaceChildren(
    h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': 'releases-caption', tabindex: '0' }, table),
    tableDownload(table, 'releases'),
    more);
}
