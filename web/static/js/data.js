// Reference data from the API: the release, labels of codes, categories and regions.

import { APIError, gql, prefetch } from './api.js';
import { showErrors, updateRelease } from './chrome.js';
import { t } from './i18n.js';
import { Q_BOOT, Q_REGIONS } from './queries.js';
import { state } from './state.js';

function labelsOf(x) {
  return { KK: x.kk, KY: x.ky, RU: x.ru, EN: x.en };
}

// loadBoot fetches the release, labels and categories into state and says how it went in
// boot; it is tried again on every navigation until it has worked once (the API may come
// up after the page).
export const boot = {
  done: false,
  errors: [],
  retryAfter: 0,
};

let booting = null;

// loadBoot asks once at a time: a navigation while it is under way waits for the same answer.
export function loadBoot() {
  if (!booting) booting = askBoot().finally(() => { booting = null; });
  return booting;
}

async function askBoot() {
  let resp;
  try {
    resp = await gql(Q_BOOT, {});
  } catch (e) {
    // The text is looked up when it is shown: the portal's texts may not be there yet.
    boot.errors = e instanceof APIError ? e.errors : [{ get message() { return t('errUnexpected', e && e.message); } }];
    boot.retryAfter = e instanceof APIError ? e.retryAfter : 0;
    return;
  }
  const { data, errors } = resp;
  boot.errors = errors;
  boot.retryAfter = 0;
  if (!data) return;
  boot.done = true;
  if (data.currentRelease) updateRelease(data.currentRelease);
  for (const v of data.vocabulary || []) {
    state.vocab.set(v.name, new Map((v.terms || []).map((x) => [x.code, labelsOf(x)])));
  }
  state.categories = (data.categories || []).map((c) => ({ code: c.code, concern: c.concern, labels: labelsOf(c) }));
}

// prefetchRegions sends the request of loadRegions ahead (see prefetch in api.js).
export function prefetchRegions(jurisdiction) {
  if (!state.regions.has(jurisdiction || '')) prefetch(Q_REGIONS, { jurisdiction: jurisdiction || null });
}

export async function loadRegions(jurisdiction, signal) {
  const key = jurisdiction || '';
  if (state.regions.has(key)) return state.regions.get(key);
  const { data, errors } = await gql(Q_REGIONS, { jurisdiction: jurisdiction || null }, signal);
  if (errors.length) showErrors(errors);
  const list = ((data && data.regions) || []).map((r) => ({
    code: r.code, jurisdiction: r.jurisdiction, kind: r.kind, createdYear: r.createdYear, labels: labelsOf(r),
  }));
  if (data) state.regions.set(key, list);
  return list;
}
