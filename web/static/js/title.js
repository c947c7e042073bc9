// The page title names the view and its main choices in the page's language, e.g.
// "Statistics · Region · 2025 · Kazakhstan — casewatch", so that a tab, a bookmark or the
// browser's history says what it shows. It is read from the address, the same for every
// reader of a link.

import { t } from './i18n.js';
import { categoryLabel, fmtInt, isCode, regionLabel, term } from './util.js';
import { FACETS, filtersFromParams } from './filters.js';
import { state } from './state.js';

const VIEW_KEYS = {
  cases: 'casesTitle',
  statistics: 'statsTitle',
  releases: 'releasesTitle',
  sources: 'sourcesTitle',
  methodology: 'methodologyTitle',
};
const MAX_LISTED = 2;

function regionName(code) {
  for (const list of state.regions.values()) {
    const r = list.find((x) => x.code === code);
    if (r) return regionLabel(r);
  }
  return code;
}

// choices describes the filters of a link: the jurisdiction, the first values of each
// list (then "+N"), and the years or dates reported.
function choices(p) {
  const out = [];
  const j = p.get('jurisdiction');
  if (j && isCode('Jurisdiction', j)) out.push(term('Jurisdiction', j));
  const values = [];
  const s = filtersFromParams(p); // the link's names, old and new, as the views read them
  for (const f of FACETS) {
    for (const v of s.lists[f.key]) {
      if (f.enumName && !isCode(f.enumName, v)) continue;
      values.push(f.key === 'regions' ? regionName(v)
        : f.key === 'categories' ? categoryLabel(v) : term(f.enumName, v));
    }
  }
  out.push(...values.slice(0, MAX_LISTED));
  if (values.length > MAX_LISTED) out.push(`+${fmtInt(values.length - MAX_LISTED)}`);
  const { from, to } = s;
  const year = (d) => (/^\d{4}-/.test(d) ? d.slice(0, 4) : '');
  if (year(from) && year(from) === year(to) && from.endsWith('-01-01') && to.endsWith('-12-31')) out.push(year(from));
  else if (year(from) || year(to)) out.push(`${year(from) || '…'}–${year(to) || '…'}`);
  return out;
}

// viewTitle is the title of a route ({ view, arg, params }) without the site's name; null
// for a view that sets its own (a case page, a page not found).
export function viewTitle(r) {
  const key = VIEW_KEYS[r.view];
  if (!key) return null;
  const parts = [t(key)];
  if (r.view === 'statistics') {
    const by = r.params.get('by') || 'REGION';
    if (isCode('Dimension', by)) parts.push(term('Dimension', by));
    const interval = r.params.get('interval');
    if (interval && isCode('Interval', interval)) parts.push(term('Interval', interval));
  }
  if (r.view === 'cases' || r.view === 'statistics') parts.push(...choices(r.params));
  return parts.join(' · ');
}
