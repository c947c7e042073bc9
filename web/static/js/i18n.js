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

// ---------------------------------------------------------------- numbers and dates
// The portal formats numbers and dates itself, by these rules, instead of asking the
// browser's locale data (Intl, toLocaleString), which some browsers lack for Kazakh or
// Kyrgyz: the same page reads the same everywhere. Month names come from the texts
// (lnMonths: the month alone, lnMonthsOf: the month in a date; comma-separated), the order
// of day, month and year from lnDate and lnMonthYear.
const NARROW_NBSP = '\u202f';
const NUMBER_RULES = {
  KK: { group: NARROW_NBSP, decimal: ',', percent: '{0}%' },
  KY: { group: NARROW_NBSP, decimal: ',', percent: '{0}%' },
  RU: { group: NARROW_NBSP, decimal: ',', percent: '{0}\u00a0%' },
  EN: { group: ',', decimal: '.', percent: '{0}%' },
};

function numberRules() {
  return NUMBER_RULES[state.lang] || NUMBER_RULES.EN;
}

// formatNumber writes n with at most maxDigits decimals (trailing zeros dropped, at least
// minDigits kept) and the language's group and decimal separators: 12 345,6 (KK, KY, RU:
// a narrow no-break space between thousands) or 12,345.6 (EN). '' for null or undefined.
export function formatNumber(n, maxDigits = 0, minDigits = 0) {
  if (n === null || n === undefined || n === '') return '';
  const x = Number(n);
  if (!Number.isFinite(x)) return String(n);
  const r = numberRules();
  const fixed = Math.abs(x).toFixed(Math.max(0, Math.min(maxDigits, 20)));
  const [whole, frac0 = ''] = fixed.split('.');
  let frac = frac0.replace(/0+$/, '');
  while (frac.length < minDigits) frac += '0';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, r.group);
  const negative = x < 0 && /[1-9]/.test(fixed);
  return `${negative ? '-' : ''}${grouped}${frac ? r.decimal + frac : ''}`;
}

// formatPercent writes a share (0.125) as a percentage: 12.5% (EN), 12,5 % (RU), 12,5% (KK, KY).
export function formatPercent(share, maxDigits = 1) {
  if (share === null || share === undefined) return '';
  return numberRules().percent.replace('{0}', formatNumber(Number(share) * 100, maxDigits));
}

function monthName(key, m) {
  const names = t(key).split(',').map((x) => x.trim());
  return names[m - 1] || String(m);
}

// formatDate writes a date (YYYY-MM-DD, or the date of an RFC 3339 time in UTC) in the
// language: 30 June 2025, 30 июня 2025, 2025 жылғы 30 маусым, 2025-жылдын 30-июну.
// A year alone or a year and month are written as such (formatMonth); anything else as it is.
export function formatDate(value) {
  if (value === null || value === undefined || value === '') return '';
  const s = String(value);
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$/.exec(s);
  if (!m) return s;
  if (!m[2]) return m[1];
  if (!m[3]) return formatMonth(`${m[1]}-${m[2]}`);
  return t('lnDate').replace('{d}', String(Number(m[3]))).replace('{m}', monthName('lnMonthsOf', Number(m[2]))).replace('{y}', m[1]);
}

// formatMonth writes a month (YYYY-MM): June 2025, июнь 2025, 2025 жылғы маусым.
export function formatMonth(value) {
  const m = /^(\d{4})-(\d{2})$/.exec(String(value || ''));
  if (!m) return String(value || '');
  return t('lnMonthYear').replace('{m}', monthName('lnMonths', Number(m[2]))).replace('{y}', m[1]);
}

// formatTime writes an RFC 3339 time in UTC: 30 June 2025, 14:05 UTC.
export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const utc = d.toISOString();
  return t('lnDateTime', formatDate(utc.slice(0, 10)), utc.slice(11, 16));
}

// ---------------------------------------------------------------- the language of a link
// A shared link may name its language: #/statistics?by=REGION&lang=kk. It wins over the
// saved choice and the browser's languages. A link of the page itself (/?lang=kk, the
// form link previews use) counts too.

// langParam reads the lang parameter of the address: { code } when it names a language of
// the portal, { bad } when it names none, null when there is none.
export function langParam() {
  const hash = location.hash.replace(/^#!?\/?/, '');
  const qi = hash.indexOf('?');
  const fromHash = new URLSearchParams(qi >= 0 ? hash.slice(qi + 1) : '').get('lang');
  const value = fromHash !== null ? fromHash : new URLSearchParams(location.search).get('lang');
  if (value === null || value === '') return null;
  const l = LANGUAGES.find((x) => x.tag === value.toLowerCase() || x.code === value.toUpperCase());
  return l ? { code: l.code } : { bad: value };
}

// withLang returns a hash address (#/view?…) carrying lang=<the current language>.
export function withLang(hash, code = state.lang) {
  const l = language(code);
  if (!l || !String(hash).startsWith('#/')) return hash;
  const qi = hash.indexOf('?');
  const path = qi >= 0 ? hash.slice(0, qi) : hash;
  const params = qi >= 0 ? hash.slice(qi + 1).split('&').filter((x) => x && !/^lang=/.test(x)) : [];
  params.push(`lang=${l.tag}`);
  return `${path}?${params.join('&')}`;
}

export function initialLang() {
  const fromLink = langParam();
  if (fromLink && fromLink.code) return fromLink.code;
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

// compareText orders two texts for the language (sorting a table's text column).
export function compareText(a, b) {
  return a.localeCompare(b, locale(), { numeric: true });
}
