// "Copy link": the address of the current view in the current language, in the form link
// previews can read: /?lang=kk&view=statistics#/statistics?by=REGION&lang=kk. The server
// gives the page at /?lang=kk&view=statistics a preview (og:title, og:description) of that
// view in that language; the view's choices are in the hash, which crawlers never see.

import { language, t, withLang } from './i18n.js';
import { state } from './state.js';
import { h } from './util.js';

// shareLink is the link of the current view in the current language.
export function shareLink() {
  const l = language(state.lang);
  const hash = withLang(location.hash && location.hash.startsWith('#/') ? location.hash : '#/overview');
  const view = (/^#\/([a-z]+)/.exec(hash) || [])[1] || 'overview';
  return `${location.origin}/?lang=${l ? l.tag : 'en'}&view=${view}${hash}`;
}

function showLink(box, link) {
  const input = h('input', { type: 'text', readonly: true, id: 'share-link-text', class: 'share-link-text', value: link });
  box.replaceChildren(
    h('label', { for: 'share-link-text', class: 'share-link-label' }, t('lnCopyManually')),
    input);
  input.focus();
  input.select();
}

export function initShare() {
  const button = document.getElementById('copy-link');
  const box = document.getElementById('share-status');
  if (!button || !box) return;
  button.hidden = false;
  button.addEventListener('click', async () => {
    const link = shareLink();
    try {
      if (!navigator.clipboard || !window.isSecureContext) throw new Error('no clipboard');
      await navigator.clipboard.writeText(link);
      box.replaceChildren(h('span', { class: 'share-done' }, t('lnLinkCopied')));
    } catch {
      showLink(box, link);
    }
  });
}
