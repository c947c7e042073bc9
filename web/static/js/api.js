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

// message is an error whose text is found when it is shown: an error may come before the
// portal's texts have arrived (the first requests are sent while they load).
function message(key, ...args) {
  return { get message() { return t(key, ...args); } };
}

// Requests sent ahead of the view that will ask for them (see prefetch), by request body.
const ahead = new Map();

// gql posts one operation. It resolves to { data, errors } when the server answered with
// GraphQL (errors may be partial), and throws APIError when it did not. An operation sent
// ahead with the same variables (prefetch) is not sent again: its answer is taken.
export function gql(query, variables, signal) {
  const body = requestBody(query, variables);
  const sent = ahead.get(body);
  if (!sent) return post(body, signal);
  ahead.delete(body);
  if (signal) {
    if (signal.aborted) sent.controller.abort();
    else signal.addEventListener('abort', () => sent.controller.abort(), { once: true });
  }
  return sent.answer;
}

// prefetch sends an operation at once, before the view that needs it asks for it with gql
// (which then waits for this answer instead of sending its own): a view's requests then
// travel while the modules run, the portal's texts load and the reference data (boot)
// arrives, instead of after them. What no view took is cancelled by dropPrefetched.
export function prefetch(query, variables) {
  const body = requestBody(query, variables);
  if (ahead.has(body)) return;
  const controller = new AbortController();
  const answer = post(body, controller.signal);
  answer.catch(() => {}); // a view that takes it sees the error; one that does not, never
  ahead.set(body, { answer, controller });
}

// dropPrefetched cancels the requests sent ahead that no view has taken (the reader went
// elsewhere).
export function dropPrefetched() {
  for (const { controller } of ahead.values()) controller.abort();
  ahead.clear();
}

function requestBody(query, variables) {
  const m = /^\s*query\s+(\w+)/.exec(query);
  return JSON.stringify({ query, variables: variables || {}, operationName: m ? m[1] : undefined });
}

async function post(requestBody, signal) {
  let res;
  try {
    res = await fetch(API_URL, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/graphql-response+json, application/json;q=0.9',
      },
      body: requestBody,
      credentials: 'same-origin',
      signal,
    });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new APIError([message('errNetwork')]);
  }
  let body = null;
  try { body = await res.json(); } catch (e) {
    if (e && e.name === 'AbortError') throw e;
  }
  if (!body || typeof body !== 'object') {
    // 503 while the server prepares its database: it says when to come back.
    const retry = res.status === 503 ? Math.min(Math.max(parseInt(res.headers.get('Retry-After'), 10) || 5, 1), 60) : 0;
    throw new APIError([message(retry ? 'errStarting' : 'errHTTP', res.status)], retry);
  }
  const errors = Array.isArray(body.errors) ? body.errors : [];
  if (!res.ok && errors.length === 0) throw new APIError([message('errHTTP', res.status)]);
  if (!body.data && errors.length) throw new APIError(errors);
  return { data: body.data || null, errors };
}
