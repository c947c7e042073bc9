// The portal's own words, one JSON file per language in ../i18n/:
// {"ui": {key: text}, "methodology": {…the methodology page…}}. Every code's label comes
// from the API, never from here. English is the fallback of every string, so it is always
// loaded; another language is loaded when it is chosen.

import { state } from './state.js';

// The languages of the portal, in the order of the language switch. Adding one takes its
// file in ../i18n/ (with the keys of en.json) and an entry here. code: the API's Lang;
// tag: the BCP 47 tag of the page and of the browser's preferred languages.
export const LANGUAGES = [
  { code: 'KK', tag: 'kk', locale: 'kk-KZ', name: 'Қазақша', url: new URL('../i18n/kk.json', import.meta.url) },
  { code: 'KY', tag: 'ky', locale: 'ky-KG', name: 'Кыргызча', url: new URL('../i18n/ky.json', import.meta.url) },
  { code: 'RU', tag: 'ru', locale: 'ru-RU', name: 'Русский', url: new URL('../i18n/ru.json', import.meta.url) },
  { code: 'EN', tag: 'en', locale: 'en-GB', name: 'English', url: new URL('../i18n/en.json', import.meta.url) },
];

const FALLBACK_LANG = 'EN';
// The language shown to readers of a language the portal does not have, by tag.
const READ_AS = {};
const DEFAULT_LANG = 'RU';
const LANG_STORAGE_KEY = 'casewatch.lang';

const texts = new Map(); // code -> Promise of { ui, methodology }
const loaded = new Map(); // code -> { ui, methodology }

export function language(code) {
  return LANGUAGES.find((l) => l.code === code) || null;
}

// loadTexts fetches the texts of a language (once) and resolves when t can use them.
function loadTexts(code) {
  const lang = language(code);
  if (!lang) return Promise.reject(new Error(`no language ${code}`));
  if (!texts.has(code)) {
    const p = fetch(lang.url, { credentials: 'same-origin' }).then(async (res) => {
      if (!res.ok) throw new Error(`${lang.url.pathname}: HTTP ${res.status}`);
      const body = await res.json();
      if (!body || typeof body.ui !== 'object' || typeof body.methodology !== 'object') {
        throw new Error(`${lang.url.pathname}: no ui or methodology`);
      }
      loaded.set(code, body);
      return body;
    });
    p.catch(() => texts.delete(code)); // tried again next time
    texts.set(code, p);
  }
  return texts.get(code);
}

// loadLanguage loads the texts of a language and of the fallback.
export function loadLanguage(code) {
  return Promise.all([loadTexts(FALLBACK_LANG), loadTexts(code)]);
}

// textsLoaded says whether t has texts to give (the English ones at least).
export function textsLoaded() {
  return loaded.has(FALLBACK_LANG);
}

export function t(key, ...args) {
  const fallback = (loaded.get(FALLBACK_LANG) || {}).ui || {};
  const table = (loaded.get(state.lang) || {}).ui || fallback;
  let s = table[key] ?? fallback[key] ?? key;
  args.forEach((a, i) => { s = s.split(`{${i}}`).join(String(a)); });
  return s;
}

// methodology is the methodology page in the current language.
export function methodology() {
  return (loaded.get(state.lang) || loaded.get(FALLBACK_LANG)).methodology;
}

export function locale() {
  const l = language(state.lang);
  return l ? l.locale : 'en-GB';
}

export function initialLang() {
  try {
    const saved = localStorage.getItem(LANG_STORAGE_KEY);
    if (language(saved)) return saved;
  } catch { /* storage may be blocked */ }
  const byTag = (tag) => LANGUAGES.find((l) => l.tag === tag);
  for (const l of navigator.languages || [navigator.language || '']) {
    const p = String(l).slice(0, 2).toLowerCase();
    const lang = byTag(p) || byTag(READ_AS[p]);
    if (lang) return lang.code;
  }
  return DEFAULT_LANG;
}

export function saveLang(code) {
  try { localStorage.setItem(LANG_STORAGE_KEY, code); } catch { /* ignore */ }
}
