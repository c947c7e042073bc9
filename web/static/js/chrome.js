// The page around the views: the error box, the synthetic-data banner, the footer, the
// title and the language.

import { APIError } from './api.js';
import { language, saveLang, t, textsLoaded } from './i18n.js';
import { state } from './state.js';
import { badge, fmtTime, h } from './util.js';

export function clearErrors() {
  const box = document.getElementById('error-box');
  box.hidden = true;
  box.replaceChildren();
}

// showErrors adds messages to the error box (errors[].message, with extensions.code).
export function showErrors(errors) {
  if (!errors || !errors.length) return;
  const box = document.getElementById('error-box');
  let list = box.querySelector('ul');
  if (box.hidden || !list) {
    list = h('ul');
    box.replaceChildren(
      h('div', { class: 'error-head' },
        h('strong', null, t('errTitle')),
        h('button', { type: 'button', class: 'link-button', onclick: clearErrors }, t('dismiss'))),
      list);
  }
  const seen = new Set([...list.children].map((li) => li.textContent));
  for (const e of errors) {
    const code = e && e.extensions && typeof e.extensions.code === 'string' ? e.extensions.code : null;
    const li = h('li', null,
      String((e && e.message) || e),
      code ? [' ', h('code', { class: 'error-code' }, code)] : null);
    if (!seen.has(li.textContent)) { seen.add(li.textContent); list.append(li); }
  }
  box.hidden = false;
}

export function showException(e) {
  if (e && e.name === 'AbortError') return;
  if (e instanceof APIError) showErrors(e.errors);
  else {
    console.error(e); // eslint-disable-line no-console
    showErrors([{ message: t('errUnexpected', e && e.message ? e.message : String(e)) }]);
  }
}

export function updateRelease(rel) {
  if (!rel) return;
  state.release = rel;
  if (textsLoaded()) renderChrome(); // else setLang will, once they are there
}

function renderChrome() {
  const rel = state.release;
  const banner = document.getElementById('synthetic-banner');
  const synthetic = !!(rel && rel.synthetic);
  banner.hidden = !synthetic;
  document.body.classList.toggle('is-synthetic', synthetic);
  banner.replaceChildren(
    h('strong', { id: 'synthetic-banner-text' }, t('banner')),
    h('span', { class: 'banner-detail' }, t('bannerDetail')));
  const footer = document.getElementById('footer-release');
  footer.textContent = rel ? t('footerRelease', `v${rel.version}`, fmtTime(rel.publishedAt)) : '';
  if (synthetic) footer.append(' ', badge(t('syntheticBadge'), 'badge-synthetic'));
  document.getElementById('footer-privacy').textContent = t('footerPrivacy');
  document.getElementById('skip-link').textContent = t('skip');
  document.getElementById('tagline').textContent = t('tagline');
  document.getElementById('site-nav').setAttribute('aria-label', t('mainNav'));
  document.getElementById('lang-switch-label').textContent = t('language');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
  }
}

export function setTitle(text) {
  const prefix = state.release && state.release.synthetic ? t('titleSynthetic') : '';
  document.title = `${prefix}${text} — casewatch`;
}

// setLang switches the page to a language whose texts are loaded (see loadLanguage).
export function setLang(lang) {
  const l = language(lang);
  if (!l) return;
  state.lang = lang;
  document.documentElement.lang = l.tag;
  saveLang(lang);
  renderChrome();
}
