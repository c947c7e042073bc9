// One case: its overview, defendant, outcome, appeals, timeline, summary and privacy.

import { gql, prefetch } from '../api.js';
import { setTitle, showErrors, updateRelease } from '../chrome.js';
import { tableDownload } from '../downloads.js';
import { t } from '../i18n.js';
import { Q_CASE } from '../queries.js';
import { session, state } from '../state.js';
import { articleNode, badge, categoryLabel, concernTag, dash, fineBandNode, fmtTime, h, humanize, loadingNode, orDash, term } from '../util.js';

// Which enumeration a timeline event's result code belongs to.
const EVENT_RESULT_ENUM = {
  EXPERT_CONCLUSION: 'ExpertConclusion',
  PROSECUTOR_DECISION: 'ProsecutorDecision',
  COURT_DECISION: 'Decision',
  APPEAL_DECIDED: 'AppealStatus',
  CASSATION_DECIDED: 'AppealStatus',
};

// Names used in Case.generalized, mapped to the UI strings that name them.
const GENERALIZED_FIELDS = {
  'region': 'fRegion',
  'defendant.kind': 'fieldKind',
  'defendant.ageBand': 'fieldAgeBand',
  'defendant.gender': 'fieldGender',
  'dates': 'genDates',
  'platform': 'fPlatform',
  'appeals': 'genAppeals',
  'outcome.fine': 'colFine',
  'article': 'colArticle',
  'outcome.sanction': 'fSanction',
  'category': 'fCategory',
  'case': 'genCase',
  'summary': 'secSummary',
};

function dl(rows) {
  return h('dl', { class: 'fields' }, rows.filter(Boolean).map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

function caseVariables(r) {
  return { reference: (r.arg || '').trim(), lang: state.lang };
}

// prefetchCase sends the case page's request for the address r ahead (see prefetch in api.js).
export function prefetchCase(r) {
  prefetch(Q_CASE, caseVariables(r));
}

export async function viewCase(r, ctx) {
  const reference = (r.arg || '').trim();
  setTitle(t('caseTitle', reference));
  const back = h('p', { class: 'back' }, h('a', { href: session.lastCasesHash }, t('backToCases')));
  const title = h('h1', { tabindex: '-1' }, t('caseTitle', reference));
  const body = h('div', { class: 'case-body' }, loadingNode());
  ctx.mount(h('article', { class: 'view view-case' }, back, title, body));

  const { data, errors } = await gql(Q_CASE, caseVariables(r), ctx.signal);
  if (!ctx.isCurrent()) return;
  if (errors.length) showErrors(errors);
  if (data && data.currentRelease) updateRelease(data.currentRelease);
  const c = data && data.case;
  if (!c) {
    body.replaceChildren(h('p', { class: 'empty-state' }, t('caseNotFound', reference)));
    return;
  }
  if (c.firstRelease && c.firstRelease.synthetic) title.append(' ', badge(t('syntheticBadge'), 'badge-synthetic'));

  const withheld = h('span', { class: 'muted' }, t('withheld'));
  const gen = new Set(c.generalized || []);
  const profile = (field, enumName, value) => {
    if (value) return term(enumName, value);
    return gen.has(`defendant.${field}`) ? withheld.cloneNode(true) : h('span', { class: 'muted' }, t('notPublished'));
  };

  const article = c.article;
  const overview = dl([
    [t('colReference'), h('span', { class: 'ref' }, c.reference)],
    [t('fJurisdiction'), term('Jurisdiction', c.jurisdiction)],
    [t('fRegion'), c.region
      ? `${c.region.name || c.region.code} (${c.region.code})`
      : withheld.cloneNode(true)],
    [t('fCategory'), c.category ? categoryLabel(c.category) : withheld.cloneNode(true)],
    [t('fConcern'), concernTag(c.concern)],
    [t('fPlatform'), c.platform ? term('Platform', c.platform) : withheld.cloneNode(true)],
    [t('fLiability'), term('Liability', c.liability)],
    [t('colArticle'), article
      ? [articleNode(article), article.title ? ` — ${article.title}` : '',
        article.listed ? '' : [' ', h('span', { class: 'muted' }, `(${t('articleUnlisted')})`)]]
      : gen.has('article') ? withheld.cloneNode(true) : dash()],
    article && article.penalties ? [t('fieldPenalties'), article.penalties] : null,
    article && article.verification ? [t('fieldVerification'), article.verification] : null,
    [t('fStage'), term('CaseStage', c.stage)],
    [t('fieldReportedMonth'), c.reportedMonth],
    [t('fieldExpert'), c.expertConclusion ? term('ExpertConclusion', c.expertConclusion) : dash()],
    [t('fieldProsecutor'), c.prosecutorDecision ? term('ProsecutorDecision', c.prosecutorDecision) : dash()],
  ]);

  const d = c.defendant || {};
  const defendant = dl([
    [t('fieldKind'), profile('kind', 'DefendantKind', d.kind)],
    [t('fieldAgeBand'), profile('ageBand', 'AgeBand', d.ageBand)],
    [t('fieldGender'), profile('gender', 'Gender', d.gender)],
  ]);

  const o = c.outcome;
  const outcome = o
    ? dl([
      [t('fDecision'), term('Decision', o.decision)],
      [t('fieldDecidedMonth'), orDash(o.decidedMonth)],
      [t('fSanction'), o.sanction ? term('Sanction', o.sanction) : dash()],
      [t('colFine'), fineBandNode(o.fineBand)],
    ])
    : h('p', { class: 'muted' }, t('noOutcome'));

  const appealsTable = (c.appeals || []).length
    ? h('table', { class: 'data' },
      h('thead', null, h('tr', null, [t('colLevel'), t('colFiledBy'), t('colFiled'), t('colStatus'), t('fieldDecidedMonth'), t('colFineAfter')]
        .map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, c.appeals.map((a) => h('tr', null,
        h('th', { scope: 'row' }, term('AppealLevel', a.level)),
        h('td', null, a.filedBy ? term('AppealParty', a.filedBy) : dash()),
        h('td', { class: 'nowrap' }, orDash(a.filedMonth)),
        h('td', null, term('AppealStatus', a.status)),
        h('td', { class: 'nowrap' }, orDash(a.decidedMonth)),
        h('td', { class: 'num' }, fineBandNode(a.fineBand))))))
    : null;
  const appeals = appealsTable
    ? [h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': 'sec-appeals', tabindex: '0' }, appealsTable),
      tableDownload(appealsTable, `case-${c.reference}-appeals`)]
    : h('p', { class: 'muted' }, t('noAppeals'));

  const timeline = (c.timeline || []).length
    ? h('ol', { class: 'timeline' }, c.timeline.map((e) => {
      const resultEnum = EVENT_RESULT_ENUM[e.kind];
      return h('li', null,
        h('span', { class: 'tl-month' }, e.month),
        h('span', { class: 'tl-label' }, e.label || term('CaseEventKind', e.kind)),
        e.result ? h('span', { class: 'tl-result' }, t('resultLabel', resultEnum ? term(resultEnum, e.result) : humanize(e.result))) : null);
    }))
    : h('p', { class: 'muted' }, t('noTimeline'));

  // The summary is untrusted text: textContent only, shown as written (pre-wrap).
  const summary = c.summary
    ? [h('blockquote', { class: 'summary' }, h('p', { text: c.summary })), h('p', { class: 'hint' }, t('summaryNote'))]
    : h('p', { class: 'muted' }, t('noSummary'));

  const privacy = (c.generalized || []).length
    ? [h('p', null, t('generalizedIntro')),
      h('ul', { class: 'generalized' }, c.generalized.map((g) => h('li', null,
        GENERALIZED_FIELDS[g] ? t(GENERALIZED_FIELDS[g]) : g, ' ', h('code', null, g))))]
    : h('p', { class: 'muted' }, t('generalizedNone'));

  const fr = c.firstRelease;
  const release = dl([
    [t('fieldRelease'), fr ? `v${fr.version}` : dash()],
    [t('fieldPublished'), fr ? fmtTime(fr.publishedAt) : dash()],
    [t('fieldSynthetic'), fr ? (fr.synthetic ? [t('yes'), ' ', badge(t('syntheticBadge'), 'badge-synthetic')] : t('no')) : dash()],
    [t('fieldId'), h('code', null, c.id)],
  ]);

  const section = (id, heading, content) => h('section', { class: 'case-section', 'aria-labelledby': id },
    h('h2', { id }, heading), content);

  body.replaceChildren(
    h('div', { class: 'case-grid' },
      section('sec-overview', t('secOverview'), overview),
      h('div', null,
        section('sec-defendant', t('secDefendant'), defendant),
        section('sec-outcome', t('secOutcome'), outcome))),
    section('sec-appeals', t('secAppeals'), appeals),
    section('sec-timeline', t('secTimeline'), timeline),
    section('sec-summary', t('secSummary'), summary),
    h('div', { class: 'case-grid' },
      section('sec-privacy', t('secPrivacy'), privacy),
      section('sec-release', t('secRelease'), release)));
}
