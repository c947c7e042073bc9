// casewatch portal: native ES modules, no dependencies, no build step. This module starts it.
//
// Rules the modules keep:
// - Data from the API is put on the page with textContent / createElement only; nothing is
//   ever parsed as HTML. Summaries, notes and source titles are untrusted text.
// - User input reaches the API only as GraphQL variables. The documents (queries.js) are
//   constants (web_test.go validates every Q_* constant against schema.graphqls).
// - The URL hash carries the view and the case filters, so any view can be shared as a link.
// - The portal's own words live in ../i18n/<language>.json; every code's label comes from
//   the API.

import { setLang, showException } from './chrome.js';
import { initialLang, LANGUAGES, loadLanguage, t, withLang } from './i18n.js';
import { route, waitForTexts } from './router.js';
import { initShare } from './share.js';
import { session, state } from './state.js';
import { h } from './util.js';

// loadFirstLanguage loads the texts of the reader's language, or else English, and says
// which it got (null if none).
async function loadFirstLanguage() {
  const bootLoading = document.getElementById('boot-loading');
  for (const lang of [...new Set([initialLang(), 'EN'])]) {
    try {
      await loadLanguage(lang);
      return lang;
    } catch (e) {
      console.error(e); // eslint-disable-line no-console
      if (bootLoading) bootLoading.textContent = `Could not load the portal's texts (${e.message}).`;
    }
  }
  return null;
}

// showTexts sets the page up in the language whose texts were loaded; false when none was.
function showTexts(lang) {
  if (!lang) return false;
  document.querySelector('.lang-switch').append(...LANGUAGES.map((l) => h('button', {
    type: 'button', dataset: { lang: l.code }, lang: l.tag, title: l.name, 'aria-pressed': 'false',
  }, l.code)));
  setLang(lang);
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.addEventListener('click', async () => {
      if (b.dataset.lang === state.lang) return;
      try {
        await loadLanguage(b.dataset.lang);
      } catch (e) {
        showException(e);
        return;
      }
      setLang(b.dataset.lang);
      // The address names the new language, so that the link shared now opens in it.
      session.langInLink = true;
      history.replaceState(history.state, '', withLang(location.hash || '#/overview'));
      route({ rebuild: true });
    });
  }
  initShare();
  const bootLoading = document.getElementById('boot-loading');
  if (bootLoading) bootLoading.textContent = t('loading');
  return true;
}

async function start() {
  // The first view's requests go out while the texts load (route waits for them before it
  // shows anything): they need only the language, which is known without its texts.
  state.lang = initialLang();
  waitForTexts(loadFirstLanguage().then(showTexts));
  // navigate (util.js) opens the current address again with a hashchange event too.
  window.addEventListener('hashchange', () => route());
  await route();
}

start();
