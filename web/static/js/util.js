// Helpers shared by the views: building elements, labels of codes, numbers and dates.

import { ENUMS } from './enums.js';
import { formatDate, formatMonth, formatNumber, formatPercent, formatTime, t } from './i18n.js';
import { state } from './state.js';

const CODE_RE = /^[A-Z][A-Z0-9_]*$/;

// h builds an element. attrs: class, text, on<event>, dataset, or plain attributes.
// Children are nodes or strings (added as text, never parsed).
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function humanize(code) {
  const s = String(code).toLowerCase().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function codes(enumName) {
  const v = state.vocab.get(enumName);
  if (v && v.size) return [...v.keys()];
  return ENUMS[enumName] || [];
}

export function isCode(enumName, code) {
  return codes(enumName).includes(code) || (ENUMS[enumName] || []).includes(code);
}

// term returns the label of an enumeration code in the current language.
export function term(enumName, code) {
  if (code === null || code === undefined || code === '') return '';
  const labels = state.vocab.get(enumName)?.get(code);
  return (labels && (labels[state.lang] || labels.EN)) || humanize(code);
}

export function categoryLabel(code) {
  const c = state.categories.find((x) => x.code === code);
  return (c && (c.labels[state.lang] || c.labels.EN)) || term('ContentCategory', code);
}

export function regionLabel(region) {
  if (!region) return '';
  if (region.labels) return region.labels[state.lang] || region.labels.EN || region.code;
  return region.name || region.code;
}

// Numbers and dates by the portal's own rules (i18n.js), never the browser's locale data.
export function fmtInt(n) {
  return formatNumber(n, 0);
}

export function fmtNumber(n, maxDigits = 2) {
  return formatNumber(n, maxDigits);
}

export function fmtPercent(share, maxDigits = 1) {
  return formatPercent(share, maxDigits);
}

// fmtDate shows a date (YYYY-MM-DD) or a month (YYYY-MM) in the language.
export function fmtDate(value) {
  return formatDate(value);
}

export function fmtMonth(value) {
  return formatMonth(value);
}

// fmtTime shows an RFC 3339 time in UTC in the language: "30 June 2025, 14:05 UTC".
export function fmtTime(iso) {
  return formatTime(iso);
}

// articleNode shows an article's code as the language writes it (КоАП 456-2), the code of
// law spelt out in its tooltip. article: { code, label, codeName } (label and codeName in
// the current language); a bare code string is shown as it is.
export function articleNode(article) {
  if (!article) return dash();
  if (typeof article === 'string') return h('span', { class: 'nowrap' }, article);
  const text = article.label || article.code;
  if (!article.codeName) return h('span', { class: 'nowrap' }, text);
  return h('abbr', { class: 'nowrap', title: article.codeName }, text);
}

export function dash() {
  return h('span', { class: 'empty' },
    h('span', { 'aria-hidden': 'true' }, '—'),
    h('span', { class: 'visually-hidden' }, t('none')));
}

export function orDash(v) {
  return v === null || v === undefined || v === '' ? dash() : String(v);
}

// Only http(s) links from the API become links; anything else stays text.
function safeURL(u) {
  if (typeof u !== 'string' || !u) return null;
  try {
    const url = new URL(u, location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch { return null; }
}

export function sourceNode(src) {
  if (!src) return dash();
  const href = safeURL(src.url);
  if (!href) return String(src.title || '');
  return h('a', { href, rel: 'noopener noreferrer external', target: '_blank' }, src.title || src.url);
}

export function unitAbbr(unit, year) {
  const key = unit === 'MCI' ? 'unitMCI' : unit === 'RP' ? 'unitRP' : null;
  const short = key ? t(key) : String(unit || '');
  const long = key ? t(key + 'Long') : String(unit || '');
  return h('abbr', { title: year ? t('unitOfYear', long, year) : long }, short);
}

// fineBandNode renders the band a fine is published in (the case view never gives its
// amount): "up to 10 MCI", "10–20 MCI", "over 2000 MCI", the unit spelt out in its tooltip.
export function fineBandNode(b) {
  if (!b) return dash();
  const key = b.indexUnit === 'MCI' ? 'unitMCI' : b.indexUnit === 'RP' ? 'unitRP' : null;
  const unit = key ? t(key) : String(b.indexUnit || '');
  const text = b.to === null || b.to === undefined ? t('bandOver', fmtInt(b.from), unit)
    : b.from === 0 ? t('bandUpTo', fmtInt(b.to), unit)
      : t('bandRange', fmtInt(b.from), fmtInt(b.to), unit);
  return h('span', { class: 'money fine-band', title: key ? t(key + 'Long') : null }, text);
}

export function badge(text, cls) {
  return h('span', { class: `badge ${cls || ''}`.trim() }, text);
}

export function concernTag(code) {
  if (!code) return null;
  const cls = CODE_RE.test(code) ? `concern concern-${code.toLowerCase().replace(/_/g, '-')}` : 'concern';
  return h('span', { class: cls }, term('Concern', code));
}

export function loadingNode() {
  return h('p', { class: 'loading', role: 'status' }, t('loading'));
}

// refocus puts the focus back on the form control that had it before a view was rebuilt
// around it, so typing in a filter is not interrupted.
export function refocus(ctx, focusId) {
  if (ctx.rebuild || !focusId) return;
  const el = document.getElementById(focusId);
  if (el && el !== document.activeElement) el.focus({ preventScroll: true });
}

// navigate opens an address: a new one through the browser's history, the current one
// again by rendering it anew.
export function navigate(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}
