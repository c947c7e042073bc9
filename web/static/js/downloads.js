// Download links and embed codes: the figures a view shows, as files (the exports of
// README "Exports") and as a frame other sites may show (/embed/…). Both name the same
// question as the view: the CaseFilter fields as parameters (filterParams), the case
// list's order, the statistics' grouping and interval.

import { filterParams } from './filters.js';
import { t } from './i18n.js';
import { state } from './state.js';
import { h } from './util.js';

let uid = 0;

// query joins parameters ("k=v", already encoded) into a query string.
function query(parts) {
  return parts.length ? `?${parts.join('&')}` : '';
}

// casesExportURL is the export of the case list of filters s (every page, in its order).
export function casesExportURL(s, format) {
  const parts = filterParams(s);
  if (s.order) parts.push(`orderBy=${encodeURIComponent(s.order)}`);
  parts.push(`lang=${state.lang}`);
  if (format === 'csv') parts.push('bom=1');
  return `/export/cases.${format}${query(parts)}`;
}

// statsQueryParams are the parameters of one statistics question: groupBy (one or more
// dimensions; none is not a question the exports answer), interval and the filters.
export function statsQueryParams(groupBy, interval, s) {
  // No groupBy at all for no grouping: the total per period, as groupBy: [] asks.
  const parts = groupBy.length ? [`groupBy=${groupBy.map(encodeURIComponent).join(',')}`] : [];
  if (interval) parts.push(`interval=${encodeURIComponent(interval)}`);
  parts.push(...filterParams(s));
  return parts;
}

// statisticsExportURL is the export of the statistics of groupBy, interval and filters s.
export function statisticsExportURL(groupBy, interval, s, format) {
  const parts = statsQueryParams(groupBy, interval, s);
  parts.push(`lang=${state.lang}`);
  if (format === 'csv') parts.push('bom=1');
  return `/export/statistics.${format}${query(parts)}`;
}

// downloadLinks is a line of download links: files: [{ href, format }] (format: csv, json,
// ndjson); hint: a sentence under them, or none.
export function downloadLinks(files, hint) {
  const label = { csv: 'dlCsv', json: 'dlJson', ndjson: 'dlNdjson' };
  const id = `dl-${++uid}`;
  return h('div', { class: 'downloads', role: 'group', 'aria-labelledby': id },
    h('span', { class: 'downloads-label', id }, t('dlLabel')),
    h('ul', { class: 'downloads-list' }, files.map((f) => h('li', null,
      h('a', { href: f.href, download: '', class: 'download-link', dataset: { format: f.format } },
        h('span', { class: 'download-icon', 'aria-hidden': 'true' }, '⤓'), ' ', t(label[f.format]))))),
    hint ? h('p', { class: 'hint' }, hint) : null);
}

// casesDownloads are the case list's files.
export function casesDownloads(s) {
  return downloadLinks([
    { href: casesExportURL(s, 'csv'), format: 'csv' },
    { href: casesExportURL(s, 'ndjson'), format: 'ndjson' },
  ], t('dlCasesHint'));
}

// statisticsDownloads are the files of one statistics question.
export function statisticsDownloads(groupBy, interval, s, hint) {
  return downloadLinks([
    { href: statisticsExportURL(groupBy, interval, s, 'csv'), format: 'csv' },
    { href: statisticsExportURL(groupBy, interval, s, 'json'), format: 'json' },
  ], hint);
}

// embedURL is the address of the embeddable page kind ('statistics': the table,
// 'chart': the chart over the periods, 'overview-trend': the overview's trend, which has no
// grouping: by null) for one question, in the current language.
export function embedURL(kind, by, interval, s) {
  const parts = by ? [`by=${encodeURIComponent(by)}`] : [];
  if (interval) parts.push(`interval=${encodeURIComponent(interval)}`);
  parts.push(...filterParams(s));
  const lang = { KK: 'kk', KY: 'ky', RU: 'ru', EN: 'en' }[state.lang] || 'en';
  parts.push(`lang=${lang}`);
  return `${location.origin}/embed/${kind}${query(parts)}`;
}

// attr escapes a text for an HTML attribute in double quotes.
function attr(s) {
  return String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// iframeCode is the HTML another site pastes to show the page at src.
export function iframeCode(src, title, height) {
  return `<iframe src="${attr(src)}" width="100%" height="${height}" title="${attr(title)}" loading="lazy"></iframe>`;
}

// embedDisclosure offers the code of an iframe showing src: a disclosure with the code in
// a read-only text box and a button that copies it.
export function embedDisclosure(src, title, height = 520) {
  const id = `embed-code-${++uid}`;
  const code = iframeCode(src, title, height);
  const box = h('textarea', { id, class: 'embed-code', readonly: true, rows: '4', spellcheck: 'false', 'aria-describedby': `${id}-hint` });
  box.value = code;
  const status = h('span', { class: 'embed-status', role: 'status' });
  const copy = h('button', {
    type: 'button', class: 'embed-copy',
    onclick: async () => {
      try {
        if (!navigator.clipboard || !window.isSecureContext) throw new Error('no clipboard');
        await navigator.clipboard.writeText(code);
        status.textContent = t('emCopied');
      } catch {
        box.focus();
        box.select();
        status.textContent = t('emCopyManually');
      }
    },
  }, t('emCopy'));
  return h('details', { class: 'embed-box', dataset: { src } },
    h('summary', null, t('emEmbed')),
    h('p', { class: 'hint', id: `${id}-hint` }, t('emEmbedIntro')),
    h('label', { for: id }, t('emCodeLabel')),
    box,
    h('p', { class: 'embed-actions' }, copy, ' ', status));
}

// ---------------------------------------------------------------- a table as CSV

// cellText is what a reader sees in a table cell: its data-value where it carries one (a
// number as a machine reads it), else its text without what is only read aloud
// (.visually-hidden). A withheld or empty mark (.withheld, .empty) is an empty cell; the
// reason a withheld mark gives (its title) goes to reasons.
function cellText(cell, reasons) {
  if (cell.dataset && cell.dataset.value !== undefined && cell.dataset.value !== '') return cell.dataset.value;
  let text = '';
  const walk = (node) => {
    for (const c of node.childNodes) {
      if (c.nodeType === Node.TEXT_NODE) text += c.nodeValue;
      else if (c.nodeType !== Node.ELEMENT_NODE || c.classList.contains('visually-hidden')) continue;
      else if (c.classList.contains('withheld') || c.classList.contains('empty')) {
        if (c.classList.contains('withheld') && c.title) reasons.add(c.title);
      } else walk(c);
    }
  };
  walk(cell);
  return text.replace(/[ \t\n\r\f]+/g, ' ').trim();
}

// csvField quotes a field as RFC 4180 asks: in double quotes, its quotes doubled, when it
// holds a comma, a quote or a line break (or starts or ends with a space).
function csvField(s) {
  return /[",\r\n]|^ | $/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// tableRows are the rows of a table as shown: its head, bodies and foot (not its caption),
// each row its cells' text, then one row per reason a withheld mark gives, after an
// empty row.
export function tableRows(table) {
  const reasons = new Set();
  const rows = [...table.querySelectorAll(':scope > thead > tr, :scope > tbody > tr, :scope > tfoot > tr')]
    .map((tr) => [...tr.cells].map((c) => cellText(c, reasons)));
  if (reasons.size) rows.push([''], ...[...reasons].map((r) => [r]));
  return rows;
}

// tableCSV is the table as an RFC 4180 CSV text (CRLF line ends), after a byte-order
// mark so that spreadsheets read it as UTF-8 (Kazakh, Kyrgyz and Russian letters).
export function tableCSV(table) {
  return `\uFEFF${tableRows(table).map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

// tableDownload is a download link for a table that has no export on the server: the CSV
// of the table as it stands when the link is used (rows loaded later included), made in
// the page (a blob: address, let go a minute later). name names the file:
// casewatch-<name>-<lang>.csv.
export function tableDownload(table, name) {
  const id = `dl-${++uid}`;
  const file = `casewatch-${String(name).replace(/[^A-Za-z0-9_-]+/g, '-')}-${String(state.lang || 'en').toLowerCase()}.csv`;
  const caption = table.querySelector(':scope > caption[id]');
  const region = table.closest('[aria-labelledby]');
  let url = null;
  const link = h('a', {
    href: '#', download: file, class: 'download-link table-download-link', dataset: { format: 'csv' },
    'aria-describedby': caption ? caption.id : region ? region.getAttribute('aria-labelledby') : null,
  }, h('span', { class: 'download-icon', 'aria-hidden': 'true' }, '⤓'), ' ', t('tbCsv'));
  // A fresh file whenever the link is about to be used: clicked, focused or pointed at
  // (so that "save link as" gets it too).
  const make = () => {
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(new Blob([tableCSV(table)], { type: 'text/csv;charset=utf-8' }));
    link.href = url;
    const made = url;
    setTimeout(() => {
      if (url !== made) return;
      URL.revokeObjectURL(made);
      url = null;
      link.href = '#';
    }, 60000);
  };
  link.addEventListener('click', make);
  link.addEventListener('focus', make);
  link.addEventListener('pointerenter', make);
  return h('div', { class: 'downloads table-download', role: 'group', 'aria-labelledby': id },
    h('span', { class: 'downloads-label', id }, t('dlLabel')),
    h('ul', { class: 'downloads-list' }, h('li', null, link)));
}
