// The GraphQL client.

import { t } from './i18n.js';

const API_URL = 'graphql';

export class APIError extends Error {
  constructor(errors, retryAfter) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'APIError';
    this.errors = errors;
    this.retryAfter = retryAfter || 0; // seconds, when the server asked to come back
  }
}

// gql posts one operation. It resolves to { data, errors } when the server answered with
// GraphQL (errors may be partial), and throws APIError when it did not.
export async function gql(query, variables, signal) {
  const m = /^\s*query\s+(\w+)/.exec(query);
  let res;
  try {
    res = await fetch(API_URL, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/graphql-response+json, application/json;q=0.9',
      },
      body: JSON.stringify({ query, variables: variables || {}, operationName: m ? m[1] : undefined }),
      credentials: 'same-origin',
      signal,
    });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new APIError([{ message: t('errNetwork') }]);
  }
  let body = null;
  try { body = await res.json(); } catch (e) {
    if (e && e.name === 'AbortError') throw e;
  }
  if (!body || typeof body !== 'object') {
    // 503 while the server prepares its database: it says when to come back.
    const retry = res.status === 503 ? Math.min(Math.max(parseInt(res.headers.get('Retry-After'), 10) || 5, 1), 60) : 0;
    throw new APIError([{ message: t(retry ? 'errStarting' : 'errHTTP', res.status) }], retry);
  }
  const errors = Array.isArray(body.errors) ? body.errors : [];
  if (!res.ok && errors.length === 0) throw new APIError([{ message: t('errHTTP', res.status) }]);
  if (!body.data && errors.length) throw new APIError(errors);
  return { data: body.data || null, errors };
}
