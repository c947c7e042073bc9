// Routing: the URL hash names the view and carries its choices (the case filters), so any
// view can be shared as a link.

import { APIError, dropPrefetched } from './api.js';
import { clearErrors, setLang, setTitle, showErrors, showException } from './chrome.js';
import { boot, loadBoot } from './data.js';
import { reportLinkProblems } from './filters.js';
import { langParam, LANGUAGES, loadLanguage, t, withLang } from './i18n.js';
import { session, state } from './state.js';
import { viewTitle } from './title.js';
import { h } from './util.js';
import { viewCase } from './views/case.js';
import { viewCases } from './views/cases.js';
import { viewMethodology } from './views/methodology.js';
import { viewOverview } from './views/overview.js';
import { viewReleases } from './views/releases.js';
import { viewSources } from './views/sources.js';
import { viewStatistics } from './views/statistics.js';
// What the views ask for ahead (PREFETCH below).
import { prefetchCase } from './views/case.js';
import { prefetchCases } from './views/cases.js';
import { prefetchOverview } from './views/overview.js';
import { prefetchReleases } from './views/releases.js';
import { prefetchSources } from './views/sources.js';
import { prefetchStatistics } from './views/statistics.js';

let current = null; // { view, arg, controller }

function parseHash() {
  let raw = location.hash.replace(/^#!?\/?/, '');
  const qi = raw.indexOf('?');
  const params = new URLSearchParams(qi >= 0 ? raw.slice(qi + 1) : '');
  raw = qi >= 0 ? raw.slice(0, qi) : raw;
  const segs = raw.split('/').filter(Boolean).map((s) => {
    try { return decodeURIComponent(s); } catch { return s; }
  });
  return { view: segs[0] || 'overview', arg: segs.length > 1 ? segs.slice(1).join('/') : null, params };
}

const VIEWS = {
  overview: viewOverview,
  cases: viewCases,
  case: viewCase,
  statistics: viewStatistics,
  releases: viewReleases,
  sources: viewSources,
  methodology: viewMethodology,
};

// What a view asks the API for, sent as soon as the address is known (see prefetch in
// api.js): together with the reference data (boot) and, on the first view, while the modules
// run and the portal's texts load, instead of one round trip after the other. A view may
// have none; it then asks when it runs.
const PREFETCH = {
  overview: prefetchOverview,
  cases: prefetchCases,
  case: prefetchCase,
  statistics: prefetchStatistics,
  releases: prefetchReleases,
  sources: prefetchSources,
};

// The portal's texts: main.js loads them while the first view's requests are under way; no
// view is shown before they are there (false: they could not be loaded).
let textsReady = Promise.resolve(true);

export function waitForTexts(p) {
  textsReady = p;
}

// The language of the link (lang=kk) is followed once it is loaded; from then on, and after
// the reader switches language, the address keeps naming it, so a copied link opens in the
// same language. An unknown value is reported like any other misspelt parameter.
async function followLinkLang() {
  const lp = langParam();
  if (lp && lp.code) {
    session.langInLink = true;
    if (lp.code !== state.lang) {
      try {
        await loadLanguage(lp.code);
        setLang(lp.code);
      } catch (e) {
        showException(e);
      }
    }
  }
  return lp && lp.bad ? lp.bad : null;
}

// keepLangInLink writes the current language into the address (without a new history entry)
// and into the portal's links on the page, when the address is to carry it.
export function keepLangInLink(root = document) {
  if (!session.langInLink) return;
  if (location.hash.startsWith('#/') || !location.hash) {
    const hash = withLang(location.hash || '#/overview');
    if (hash !== location.hash) history.replaceState(history.state, '', hash);
  }
  for (const a of root.querySelectorAll('a[href^="#/"]')) a.setAttribute('href', withLang(a.getAttribute('href')));
}

export async function route(opts = {}) {
  const badLang = await followLinkLang();
  const r = parseHash();
  const prev = current;
  if (prev) prev.controller.abort();
  const controller = new AbortController();
  const sameView = prev && prev.view === r.view && prev.arg === r.arg;
  current = { view: r.view, arg: r.arg, controller };
  clearErrors();
  dropPrefetched(); // what the view left behind asked for
  try {
    if (PREFETCH[r.view]) PREFETCH[r.view](r);
  } catch { /* the view will ask itself, and say what went wrong */ }
  const booted = boot.done ? null : loadBoot();
  if (!(await textsReady) || current.controller !== controller) return;
  if (badLang) {
    reportLinkProblems([{ param: 'lang', value: badLang, expected: t('lnLinkExpectedLang', LANGUAGES.map((l) => l.tag).join(', ')) }]);
  }
  if (booted) {
    await booted;
    if (current.controller !== controller) return;
  }
  if (boot.errors.length) {
    showErrors(boot.errors);
    if (boot.done) boot.errors = []; // partial answer: say it once
  }
  for (const a of document.querySelectorAll('[data-nav]')) {
    const active = a.dataset.nav === r.view || (r.view === 'case' && a.dataset.nav === 'cases');
    if (active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const main = document.getElementById('main');
  const ctx = {
    signal: controller.signal,
    rebuild: !!opts.rebuild || !sameView,
    isCurrent: () => current && current.controller === controller,
    mount(node) {
      if (!ctx.isCurrent()) return;
      if (r.view !== 'cases') session.casesUI = null;
      if (r.view !== 'statistics') session.statsUI = null;
      main.replaceChildren(node);
      keepLangInLink(node);
      if (prev && !sameView) {
        window.scrollTo(0, 0);
        const title = node.querySelector('h1');
        if (title) title.focus({ preventScroll: true });
      }
    },
  };
  const view = VIEWS[r.view] || viewNotFound;
  let retryAfter = boot.retryAfter;
  try {
    await view(r, ctx);
    const title = viewTitle(r);
    if (title && ctx.isCurrent()) setTitle(title);
    if (ctx.isCurrent()) keepLangInLink();
  } catch (e) {
    if (ctx.isCurrent()) showException(e);
    if (e instanceof APIError && e.retryAfter) retryAfter = e.retryAfter;
  }
  // The server is still starting: try the same view again when it said to.
  if (retryAfter && ctx.isCurrent()) {
    setTimeout(() => { if (ctx.isCurrent()) route({ rebuild: true }); }, retryAfter * 1000);
  }
}

function viewNotFound(r, ctx) {
  setTitle(t('notFoundTitle'));
  ctx.mount(h('section', { class: 'view' },
    h('h1', { tabindex: '-1' }, t('notFoundTitle')),
    h('p', null, t('notFoundText')),
    h('p', null, h('a', { href: '#/overview' }, t('goHome')))));
}

