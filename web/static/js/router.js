// Routing: the URL hash names the view and carries its choices (the case filters), so any
// view can be shared as a link.

import { APIError } from './api.js';
import { clearErrors, setTitle, showErrors, showException } from './chrome.js';
import { boot, loadBoot } from './data.js';
import { t } from './i18n.js';
import { session } from './state.js';
import { h } from './util.js';
import { viewCase } from './views/case.js';
import { viewCases } from './views/cases.js';
import { viewMethodology } from './views/methodology.js';
import { viewOverview } from './views/overview.js';
import { viewReleases } from './views/releases.js';
import { viewSources } from './views/sources.js';
import { viewStatistics } from './views/statistics.js';

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

export async function route(opts = {}) {
  const r = parseHash();
  const prev = current;
  if (prev) prev.controller.abort();
  const controller = new AbortController();
  const sameView = prev && prev.view === r.view && prev.arg === r.arg;
  current = { view: r.view, arg: r.arg, controller };
  clearErrors();
  if (!boot.done) {
    await loadBoot();
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
    h('p', null, h('a', { href: '#/cases' }, t('goHome')))));
}

