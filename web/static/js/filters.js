// The case filters: read from and written to the URL hash, turned into the API's
// CaseFilter, and shown as a form (the case list's; the statistics view reuses its parts).

import { showErrors } from './chrome.js';
import { t } from './i18n.js';
import { state } from './state.js';
import { categoryLabel, codes, h, isCode, navigate, regionLabel, term } from './util.js';

export const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const REGION_RE = /^[A-Z]{2}-[A-Z0-9]{1,3}$/;
// An article code as the API writes it: "CAO 456-2", "CoO 109-3", "CC 274".
export const ARTICLE_RE = /^[A-Za-z]{1,8} \d{1,4}(?:[-.]\d{1,4}){0,3}$/;
const MAX_SEARCH_LENGTH = 200;

// Which filter groups the user has opened, kept across re-renders.
const openFacets = new Set();

// The list filters, in the order of the form. key: the filters' own name (form ids, s.lists);
// field: CaseFilter field, which is also the name of the link parameter, as in GraphQL
// variables and export URLs (one vocabulary); alias: the name links used before, still read;
// enumName: the schema enumeration (regions and articles have none: their codes are checked
// by their pattern here, and against the API's list where the view loads it).
export const FACETS = [
  { key: 'regions', field: 'regions', label: 'fRegion' },
  { key: 'categories', field: 'categories', enumName: 'ContentCategory', label: 'fCategory' },
  { key: 'concerns', field: 'concerns', enumName: 'Concern', label: 'fConcern' },
  { key: 'platforms', field: 'platforms', enumName: 'Platform', label: 'fPlatform' },
  { key: 'articles', field: 'articles', label: 'stfArticle' },
  { key: 'kinds', field: 'defendantKinds', alias: 'kinds', enumName: 'DefendantKind', label: 'fKind' },
  { key: 'liabilities', field: 'liabilities', enumName: 'Liability', label: 'fLiability' },
  { key: 'stages', field: 'stages', enumName: 'CaseStage', label: 'fStage' },
  { key: 'decisions', field: 'decisions', enumName: 'Decision', label: 'fDecision' },
  { key: 'sanctions', field: 'sanctions', enumName: 'Sanction', label: 'fSanction' },
  { key: 'appeals', field: 'appealStatuses', alias: 'appeals', enumName: 'AppealStatus', label: 'fAppeal' },
];

// The other link parameters of the filters, by the filters' own name: the CaseFilter field
// (search, reportedFrom, …) or the cases argument (orderBy), and the name links used before.
const PARAMS = {
  from: { param: 'reportedFrom', alias: 'from' },
  to: { param: 'reportedTo', alias: 'to' },
  decidedFrom: { param: 'decidedFrom' },
  decidedTo: { param: 'decidedTo' },
  q: { param: 'search', alias: 'q' },
  order: { param: 'orderBy', alias: 'order' },
};

// linkValue reads a parameter by its name or, when the link does not use it, its former
// name; it says which name the link used, for reporting a problem in the link's own words.
function linkValue(p, param, alias) {
  if (!p.has(param) && alias && p.has(alias)) return { name: alias, value: p.get(alias) || '' };
  return { name: param, value: p.get(param) || '' };
}

export const DEFAULT_ORDER = 'REPORTED_DESC';

export function emptyFilters() {
  const s = {
    jurisdiction: null, lists: {}, from: '', to: '', decidedFrom: '', decidedTo: '', q: '', order: DEFAULT_ORDER, after: null,
  };
  for (const f of FACETS) s.lists[f.key] = [];
  return s;
}

// filtersFromParams reads the filters of a shared link. What is not a valid value is left
// out of the filters and noted in s.problems (reportLinkProblems shows them): a misspelt
// link must not silently show every case.
export function filtersFromParams(p) {
  const s = emptyFilters();
  s.problems = [];
  const j = p.get('jurisdiction');
  if (j && isCode('Jurisdiction', j)) s.jurisdiction = j;
  else if (j) s.problems.push(oneOf('jurisdiction', j, 'Jurisdiction'));
  for (const f of FACETS) {
    const { name, value } = linkValue(p, f.field, f.alias);
    const vals = value.split(',').map((v) => v.trim()).filter(Boolean);
    const ok = (v) => {
      if (f.enumName) return isCode(f.enumName, v);
      if (f.key === 'articles') return ARTICLE_RE.test(v);
      return REGION_RE.test(v) && (!s.jurisdiction || v.startsWith(`${s.jurisdiction}-`));
    };
    for (const v of vals) {
      if (ok(v)) continue;
      if (f.enumName) s.problems.push(oneOf(name, v, f.enumName));
      else s.problems.push({ param: name, value: v, expected: t(f.key === 'articles' ? 'stLinkExpectedArticle' : 'linkExpectedRegion') });
    }
    s.lists[f.key] = [...new Set(vals.filter(ok))];
  }
  // Report dates (from, to) and first-instance decision dates (decidedFrom, decidedTo).
  for (const prop of DATE_PARAMS) {
    const { name, value } = linkValue(p, PARAMS[prop].param, PARAMS[prop].alias);
    if (value && !DATE_RE.test(value)) s.problems.push({ param: name, value, expected: t('linkExpectedDate') });
    if (DATE_RE.test(value)) s[prop] = value;
  }
  s.q = linkValue(p, PARAMS.q.param, PARAMS.q.alias).value.trim().slice(0, MAX_SEARCH_LENGTH);
  const order = linkValue(p, PARAMS.order.param, PARAMS.order.alias);
  if (order.value && isCode('CaseOrder', order.value)) s.order = order.value;
  else if (order.value) s.problems.push(oneOf(order.name, order.value, 'CaseOrder'));
  s.after = p.get('after') || null;
  return s;
}

// The date filters, by the filters' own name (their link parameters are in PARAMS).
export const DATE_PARAMS = ['from', 'to', 'decidedFrom', 'decidedTo'];

// oneOf is the problem of a value that is not a code of the enumeration enumName.
export function oneOf(param, value, enumName) {
  return { param, value, expected: t('linkExpectedOneOf', codes(enumName).join(', ')) };
}

// reportLinkProblems says on the page which parts of the link were not understood, what
// was expected, and that they are left out.
export function reportLinkProblems(problems) {
  if (!problems || !problems.length) return;
  showErrors(problems.map((x) => ({ message: t('linkProblem', `${x.param}=${x.value}`, x.expected) })));
}

// filterParams writes the filters as hash parameters; lists stay readable ("categories=A,B").
export function filterParams(s) {
  const parts = [];
  const add = (k, v) => parts.push(`${k}=${encodeURIComponent(v)}`);
  if (s.jurisdiction) add('jurisdiction', s.jurisdiction);
  for (const f of FACETS) {
    if (s.lists[f.key].length) parts.push(`${f.field}=${s.lists[f.key].map(encodeURIComponent).join(',')}`);
  }
  for (const prop of DATE_PARAMS) if (s[prop]) add(PARAMS[prop].param, s[prop]);
  if (s.q) add(PARAMS.q.param, s.q);
  return parts;
}

// filtersHash writes the case list's address for filters s.
export function filtersHash(s, after) {
  const parts = filterParams(s);
  if (s.order && s.order !== DEFAULT_ORDER) parts.push(`${PARAMS.order.param}=${encodeURIComponent(s.order)}`);
  if (after) parts.push(`after=${encodeURIComponent(after)}`);
  return `#/cases${parts.length ? `?${parts.join('&')}` : ''}`;
}

// caseFilter turns the filters into the CaseFilter variable; empty parts are left out.
export function caseFilter(s) {
  const f = {};
  if (s.jurisdiction) f.jurisdiction = s.jurisdiction;
  for (const d of FACETS) if (s.lists[d.key].length) f[d.field] = s.lists[d.key];
  if (s.from) f.reportedFrom = s.from;
  if (s.to) f.reportedTo = s.to;
  if (s.decidedFrom) f.decidedFrom = s.decidedFrom;
  if (s.decidedTo) f.decidedTo = s.decidedTo;
  if (s.q) f.search = s.q;
  return f;
}

// facetOptions lists the choices of a facet; regions and articles carry their jurisdiction
// (the form groups them by it).
function facetOptions(f, regions, articles) {
  if (f.key === 'regions') {
    return regions.map((r) => ({ code: r.code, label: `${regionLabel(r)} (${r.code})`, jurisdiction: r.jurisdiction }));
  }
  if (f.key === 'articles') {
    return (articles || []).map((a) => ({ code: a.code, label: a.title ? `${a.code} — ${a.title}` : a.code, jurisdiction: a.jurisdiction }));
  }
  if (f.key === 'categories') {
    return codes('ContentCategory').map((c) => ({ code: c, label: categoryLabel(c) }));
  }
  return codes(f.enumName).map((c) => ({ code: c, label: term(f.enumName, c) }));
}

// facetDetails builds one collapsible group of checkboxes and records it in ui.facets.
// prefix keeps the ids of two forms apart; articles are the API's list, for that facet.
// Regions and articles are grouped by jurisdiction.
export function facetDetails(ui, f, regions, prefix = 'f', articles = []) {
  const options = facetOptions(f, regions, articles);
  const summaryCount = h('span', { class: 'facet-count' });
  const box = (o) => {
    const id = `${prefix}-${f.key}-${o.code.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    return h('label', { class: 'check', for: id },
      h('input', { type: 'checkbox', id, name: f.key, value: o.code }), ' ', o.label);
  };
  let boxes = options.map(box);
  const groups = [...new Set(options.map((o) => o.jurisdiction).filter(Boolean))];
  if (groups.length) {
    boxes = groups.map((j) => h('fieldset', { class: 'facet-group' },
      h('legend', null, term('Jurisdiction', j)),
      options.filter((o) => o.jurisdiction === j).map(box)));
  }
  const details = h('details', { class: 'facet', dataset: { facet: f.key, field: f.field } },
    h('summary', null, h('span', null, t(f.label)), ' ', summaryCount),
    h('fieldset', null, h('legend', { class: 'visually-hidden' }, t(f.label)),
      boxes.length ? boxes : h('p', { class: 'hint' }, '—')));
  const openKey = `${prefix}:${f.key}`;
  if (openFacets.has(openKey)) details.open = true;
  details.addEventListener('toggle', () => {
    if (details.open) openFacets.add(openKey); else openFacets.delete(openKey);
  });
  ui.facets[f.key] = { details, count: summaryCount };
  return details;
}

// syncFacets shows the lists of s in the checkboxes and counts of ui.facets.
export function syncFacets(ui, s) {
  for (const key of Object.keys(ui.facets)) {
    const selected = new Set(s.lists[key]);
    for (const box of ui.form.querySelectorAll(`input[type=checkbox][name="${key}"]`)) {
      if (box.checked !== selected.has(box.value)) box.checked = selected.has(box.value);
    }
    const n = selected.size;
    ui.facets[key].count.textContent = n ? `(${t('selectedN', n)})` : '';
    ui.facets[key].details.classList.toggle('has-selection', n > 0);
  }
}

export function buildFilterForm(s, regions) {
  const form = h('form', { class: 'filters', id: 'filters', role: 'search', 'aria-labelledby': 'filters-title', novalidate: true });
  const ui = { form, facets: {} };

  const jurisdiction = h('select', { id: 'f-jurisdiction', name: 'jurisdiction' },
    h('option', { value: '' }, t('any')),
    codes('Jurisdiction').map((c) => h('option', { value: c }, term('Jurisdiction', c))));
  const order = h('select', { id: 'f-order', name: 'order' },
    codes('CaseOrder').map((c) => h('option', { value: c }, term('CaseOrder', c))));
  const from = h('input', { id: 'f-from', name: 'from', type: 'date', min: '2000-01-01', max: '2099-12-31' });
  const to = h('input', { id: 'f-to', name: 'to', type: 'date', min: '2000-01-01', max: '2099-12-31' });
  const search = h('input', {
    id: 'f-search', name: 'q', type: 'search', maxlength: String(MAX_SEARCH_LENGTH),
    'aria-describedby': 'f-search-hint', autocomplete: 'off', spellcheck: 'false',
  });
  Object.assign(ui, { jurisdiction, order, from, to, search });

  const field = (id, label, control, extra) => h('div', { class: 'field' },
    h('label', { for: id }, label), control, extra || null);

  form.append(
    h('h2', { id: 'filters-title', class: 'visually-hidden' }, t('filters')),
    h('div', { class: 'filter-row filter-row-main' },
      h('div', { class: 'field field-search' },
        h('label', { for: 'f-search' }, t('fSearch')),
        h('div', { class: 'search-box' }, search, h('button', { type: 'submit', class: 'primary' }, t('apply'))),
        h('p', { id: 'f-search-hint', class: 'hint' }, t('fSearchHint'))),
      field('f-jurisdiction', t('fJurisdiction'), jurisdiction),
      field('f-from', t('fFrom'), from),
      field('f-to', t('fTo'), to),
      field('f-order', t('fOrder'), order)),
  );

  // The case list does not offer articles (it has no list of them); a link's articles and
  // decision dates still apply, show as chips and are kept when the form changes.
  const facetBox = h('div', { class: 'facets' });
  for (const f of FACETS) if (f.key !== 'articles') facetBox.append(facetDetails(ui, f, regions));
  form.append(facetBox);

  ui.chips = h('div', { class: 'chips', 'aria-live': 'polite' });
  form.append(ui.chips);

  // Every choice applies at once; the search text on submit (Enter or the button). Dates
  // wait a moment: typing a year fires a change per digit.
  let dateTimer = 0;
  form.addEventListener('change', (ev) => {
    if (ev.target === search) return;
    clearTimeout(dateTimer);
    if (ev.target === from || ev.target === to) {
      const origin = ev.target;
      dateTimer = setTimeout(() => applyForm(ui, origin), 700);
      return;
    }
    applyForm(ui, ev.target);
  });
  // The clear button of the search box.
  search.addEventListener('search', () => {
    if (search.value === '') applyForm(ui, search);
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    applyForm(ui, search);
  });
  return ui;
}

function formFilters(ui) {
  const s = emptyFilters();
  const kept = ui.state || emptyFilters();
  s.decidedFrom = kept.decidedFrom || '';
  s.decidedTo = kept.decidedTo || '';
  s.jurisdiction = ui.jurisdiction.value || null;
  s.order = ui.order.value || DEFAULT_ORDER;
  s.from = ui.from.value;
  s.to = ui.to.value;
  s.q = ui.search.value.trim().slice(0, MAX_SEARCH_LENGTH);
  for (const f of FACETS) {
    s.lists[f.key] = ui.facets[f.key]
      ? [...ui.form.querySelectorAll(`input[type=checkbox][name="${f.key}"]:checked`)].map((i) => i.value)
      : [...(kept.lists[f.key] || [])];
  }
  // Regions belong to one jurisdiction.
  if (s.jurisdiction) s.lists.regions = s.lists.regions.filter((r) => r.startsWith(`${s.jurisdiction}-`));
  return s;
}

function applyForm(ui, origin) {
  for (const d of [ui.from, ui.to]) {
    if (d.value && !DATE_RE.test(d.value)) {
      showErrors([{ message: t('errDateFormat') }]);
      return;
    }
  }
  const s = formFilters(ui);
  ui.pendingFocus = origin && origin.id ? origin.id : null;
  navigate(filtersHash(s, null));
}

// syncForm shows s in the form, touching only controls whose value differs (so that a date
// being typed or a select being browsed is not reset under the user's hands).
export function syncForm(ui, s) {
  ui.state = s;
  const set = (el, v) => { if (el.value !== v) el.value = v; };
  set(ui.jurisdiction, s.jurisdiction || '');
  set(ui.order, s.order);
  set(ui.from, s.from);
  set(ui.to, s.to);
  if (ui.search.value.trim() !== s.q) ui.search.value = s.q;
  syncFacets(ui, s);
  renderChips(ui, s);
}

// renderChips lists the active filters as buttons that remove one each. toHash gives the
// address of the filters left (the case list's unless told otherwise).
export function renderChips(ui, s, toHash = (n) => filtersHash(n, null), resetHash = '#/cases') {
  const chips = [];
  // chip adds a button that removes one filter: without(copy) edits a copy of s.
  const chip = (label, value, without) => {
    const text = `${label}: ${value}`;
    chips.push(h('button', {
      type: 'button', class: 'chip', 'aria-label': t('removeFilter', text),
      onclick: () => {
        const next = JSON.parse(JSON.stringify(s));
        without(next);
        navigate(toHash(next));
      },
    }, h('span', null, text), h('span', { class: 'chip-x', 'aria-hidden': 'true' }, '×')));
  };
  if (s.jurisdiction) {
    chip(t('fJurisdiction'), term('Jurisdiction', s.jurisdiction), (n) => { n.jurisdiction = null; });
  }
  for (const f of FACETS) {
    for (const code of s.lists[f.key]) {
      let label;
      if (f.key === 'regions') {
        const r = [...state.regions.values()].flat().find((x) => x.code === code);
        label = r ? regionLabel(r) : code;
      } else if (f.key === 'categories') label = categoryLabel(code);
      else if (!f.enumName) label = code;
      else label = term(f.enumName, code);
      chip(t(f.label), label, (n) => { n.lists[f.key] = n.lists[f.key].filter((c) => c !== code); });
    }
  }
  if (s.from) chip(t('fFrom'), s.from, (n) => { n.from = ''; });
  if (s.to) chip(t('fTo'), s.to, (n) => { n.to = ''; });
  if (s.decidedFrom) chip(t('stfDecidedFrom'), s.decidedFrom, (n) => { n.decidedFrom = ''; });
  if (s.decidedTo) chip(t('stfDecidedTo'), s.decidedTo, (n) => { n.decidedTo = ''; });
  if (s.q) chip(t('fSearch'), t('quoted', s.q), (n) => { n.q = ''; });
  if (chips.length) {
    ui.chips.replaceChildren(
      h('span', { class: 'chips-label' }, t('activeFilters')), ' ', ...chips, ' ',
      h('a', { href: resetHash, class: 'reset-link' }, t('reset')));
  } else {
    ui.chips.replaceChildren();
  }
}
