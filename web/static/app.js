// casewatch portal: plain ES module, no dependencies, no build step.
//
// Rules this file keeps:
// - Data from the API is put on the page with textContent / createElement only; nothing is
//   ever parsed as HTML. Summaries, notes and source titles are untrusted text.
// - User input reaches the API only as GraphQL variables. The documents below are constants
//   (web_test.go validates every Q_* constant against schema.graphqls).
// - The URL hash carries the view and the case filters, so any view can be shared as a link.

const API_URL = 'graphql';
const PAGE_SIZE = 50;
const RELEASES_PAGE_SIZE = 20;
const LANGS = ['KK', 'RU', 'EN'];
const LOCALES = { KK: 'kk-KZ', RU: 'ru-RU', EN: 'en-GB' };
const LANG_STORAGE_KEY = 'casewatch.lang';
const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const REGION_RE = /^[A-Z]{2}-[A-Z0-9]{1,3}$/;
const CODE_RE = /^[A-Z][A-Z0-9_]*$/;
const MAX_SEARCH_LENGTH = 200;

// ---------------------------------------------------------------- GraphQL documents

const Q_BOOT = /* GraphQL */ `
query Boot {
  currentRelease { version publishedAt synthetic }
  vocabulary {
    name
    terms { code kk: label(lang: KK) ru: label(lang: RU) en: label(lang: EN) }
  }
  categories { code concern kk: label(lang: KK) ru: label(lang: RU) en: label(lang: EN) }
}`;

const Q_REGIONS = /* GraphQL */ `
query Regions($jurisdiction: Jurisdiction) {
  regions(jurisdiction: $jurisdiction) {
    code
    jurisdiction
    kind
    createdYear
    kk: name(lang: KK)
    ru: name(lang: RU)
    en: name(lang: EN)
  }
}`;

const Q_CASES = /* GraphQL */ `
query Cases($filter: CaseFilter, $orderBy: CaseOrder!, $first: Int!, $after: String, $lang: Lang!) {
  currentRelease { version publishedAt synthetic }
  cases(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        reference
        reportedMonth
        jurisdiction
        region { code name(lang: $lang) }
        category
        concern
        stage
        article { code }
        outcome {
          decision
          sanction
          fineBand { from to indexUnit }
        }
        appeals { level status }
      }
    }
  }
}`;

const Q_CASE = /* GraphQL */ `
query Case($reference: String!, $lang: Lang!) {
  currentRelease { version publishedAt synthetic }
  case(reference: $reference) {
    id
    reference
    jurisdiction
    region { code kind name(lang: $lang) }
    category
    concern
    platform
    article { code jurisdiction liability title(lang: $lang) penalties listed verification }
    liability
    stage
    reportedMonth
    expertConclusion
    prosecutorDecision
    defendant { kind ageBand gender }
    outcome {
      decision
      decidedMonth
      sanction
      fineBand { from to indexUnit }
    }
    appeals {
      level
      filedBy
      filedMonth
      status
      decidedMonth
      fineBand { from to indexUnit }
    }
    timeline { kind month result label(lang: $lang) }
    summary
    generalized
    firstRelease { version publishedAt synthetic }
  }
}`;

const Q_RELEASES = /* GraphQL */ `
query Releases($first: Int!, $after: String) {
  currentRelease { version publishedAt synthetic }
  releases(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        version
        publishedAt
        note
        synthetic
        rowsAdded
        rowsUpdated
        rowsUnchanged
        checksum
      }
    }
  }
}`;

const Q_SOURCES = /* GraphQL */ `
query Sources($lang: Lang!) {
  currentRelease { version publishedAt synthetic }
  officialFigures {
    jurisdiction
    metric
    periodStart
    periodEnd
    value
    unit
    definition
    source { title url }
    verified
  }
  indexUnits {
    jurisdiction
    year
    unit
    value
    currency
    source { title url }
  }
  articles {
    code
    jurisdiction
    liability
    title(lang: $lang)
    penalties
    listed
    verification
  }
}`;

const Q_METHODOLOGY = /* GraphQL */ `
query Methodology {
  currentRelease { version publishedAt synthetic }
  disclosureControl {
    suppressionThreshold
    perturbationTable { count orMore outcomes { perturbation probability } }
  }
}`;

const Q_STATISTICS = /* GraphQL */ `
query Statistics($filter: CaseFilter, $groupBy: [Dimension!]!, $interval: Interval, $lang: Lang!) {
  currentRelease { version publishedAt synthetic }
  statistics(filter: $filter, groupBy: $groupBy, interval: $interval) {
    suppressionThreshold
    total { ...StatFigures }
    buckets {
      key { dimension code label(lang: $lang) }
      ...StatFigures
    }
  }
}

fragment StatFigures on StatBucket {
  period
  count
  suppressed
  liable
  fined
  appealed
  appealsSucceeded
  fines { currency count median indexUnits { unit median } }
  medianDaysToDecision
  prosecutorRejectionRate
  expertNoOffenceRate
  countPer100k
}`;

const Q_FUNNEL = /* GraphQL */ `
query Funnel($filter: CaseFilter, $lang: Lang!) {
  funnel(filter: $filter) {
    suppressionThreshold
    steps { step label(lang: $lang) count suppressed available shareOfPrevious }
  }
}`;

// ---------------------------------------------------------------- enumerations
// The codes of the schema's enumerations, used to check values read from a shared link and
// as a fallback when the API's vocabulary cannot be loaded. The ENUMS literal is generated
// from schema.graphqls by `go generate ./internal/model/`: do not edit it by hand. Labels
// always come from the API (vocabulary, categories, regions).

const ENUMS = /* enums */ {
  "CaseOrder": ["REPORTED_DESC", "REPORTED_ASC", "DECIDED_DESC", "DECIDED_ASC"],
  "Dimension": ["JURISDICTION", "REGION", "CATEGORY", "CONCERN", "PLATFORM", "ARTICLE", "LIABILITY", "DEFENDANT_KIND", "STAGE", "DECISION", "SANCTION", "APPEAL_STATUS"],
  "Interval": ["YEAR", "QUARTER", "MONTH"],
  "FunnelStepKind": ["DETECTED", "REFERRED", "EXPERT_REVIEWED", "OFFENCE_FOUND", "CASE_OPENED", "APPROVED", "DECIDED", "LIABLE", "FINED", "APPEALED", "OVERTURNED_OR_MODIFIED"],
  "DetectionDimension": ["JURISDICTION", "REGION", "CATEGORY", "CONCERN", "PLATFORM", "ACTION"],
  "Jurisdiction": ["KZ", "KG"],
  "Lang": ["KK", "KY", "RU", "EN"],
  "RegionKind": ["CITY", "REGION"],
  "ContentCategory": ["TERRORISM_PROPAGANDA", "RELIGIOUS_EXTREMISM", "DRUG_PROMOTION", "GAMBLING_ADVERTISING", "PYRAMID_SCHEME", "FALSE_INFORMATION", "INCITEMENT_OF_DISCORD", "INSULT_OR_LIBEL", "UNSANCTIONED_ASSEMBLY", "OTHER"],
  "Concern": ["CORE_EXPRESSION", "CONTESTED", "HARM", "OTHER"],
  "Platform": ["INSTAGRAM", "TELEGRAM", "TIKTOK", "FACEBOOK", "YOUTUBE", "VK", "WHATSAPP", "X", "WEBSITE", "OTHER"],
  "Liability": ["ADMINISTRATIVE", "CRIMINAL"],
  "CaseStage": ["EXPERT_REVIEW", "INVESTIGATION", "PROSECUTOR_REVIEW", "TRIAL", "APPEAL", "CASSATION", "CLOSED"],
  "ExpertConclusion": ["ADMINISTRATIVE_OFFENSE", "CRIMINAL_OFFENSE", "NO_OFFENSE", "INCONCLUSIVE"],
  "ProsecutorDecision": ["APPROVED", "REJECTED", "RETURNED", "PENDING"],
  "Decision": ["LIABLE", "NOT_LIABLE", "DISMISSED", "TERMINATED", "PENDING"],
  "Sanction": ["FINE", "WARNING", "ADMINISTRATIVE_ARREST", "RESTRICTION_OF_FREEDOM", "IMPRISONMENT", "CORRECTIONAL_LABOUR", "OTHER"],
  "AppealLevel": ["APPEAL", "CASSATION"],
  "AppealParty": ["DEFENDANT", "PROSECUTOR"],
  "AppealStatus": ["PENDING", "UPHELD", "OVERTURNED", "MODIFIED", "REMANDED", "WITHDRAWN"],
  "DefendantKind": ["INDIVIDUAL", "BLOGGER", "JOURNALIST", "ACTIVIST", "MEDIA_OUTLET", "LEGAL_ENTITY", "OFFICIAL", "UNKNOWN"],
  "Gender": ["MALE", "FEMALE"],
  "AgeBand": ["UNDER_18", "FROM_18_TO_24", "FROM_25_TO_34", "FROM_35_TO_44", "FROM_45_TO_54", "FROM_55_TO_64", "FROM_65"],
  "DetectionAction": ["REMOVAL_REQUESTED", "REMOVED", "BLOCKED", "REFERRED_TO_POLICE", "NO_ACTION"],
  "CaseEventKind": ["REPORTED", "EXPERT_CONCLUSION", "CASE_OPENED", "PROSECUTOR_DECISION", "COURT_DECISION", "APPEAL_FILED", "APPEAL_DECIDED", "CASSATION_FILED", "CASSATION_DECIDED"]
};

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

// ---------------------------------------------------------------- UI strings
// Only the portal's own words live here; every code's label comes from the API.
// Strict JSON (web_test.go checks that kk, ru and en have the same keys).

const UI = /* i18n */ {
  "EN": {
    "skip": "Skip to content",
    "tagline": "Online-content enforcement in Kazakhstan and Kyrgyzstan: anonymized case outcomes",
    "mainNav": "Main",
    "navCases": "Cases",
    "navReleases": "Releases",
    "navSources": "Sources",
    "navMethodology": "Methodology",
    "language": "Language",
    "banner": "Synthetic demo data — not real cases",
    "bannerDetail": "Every figure and case on this site is generated for demonstration. None describes a real person or proceeding.",
    "titleSynthetic": "[Synthetic data] ",
    "loading": "Loading…",
    "errTitle": "Something went wrong",
    "errNetwork": "Could not reach the API. Check the connection and try again.",
    "errHTTP": "The server answered with HTTP status {0}.",
    "errStarting": "The server is still preparing its data; this page will try again in a few seconds.",
    "errUnexpected": "Unexpected error in the page: {0}",
    "errDateOrder": "“Reported from” must not be later than “Reported to”.",
    "errDateFormat": "Dates must be written as YYYY-MM-DD.",
    "dismiss": "Dismiss",
    "casesTitle": "Cases",
    "casesIntro": "Anonymized enforcement cases, one row per defendant. The page address keeps the filters you choose: copy it to share this selection.",
    "filters": "Filters",
    "fJurisdiction": "Jurisdiction",
    "fRegion": "Region",
    "fCategory": "Content category",
    "fConcern": "Concern",
    "fPlatform": "Platform",
    "fKind": "Defendant",
    "fLiability": "Liability",
    "fStage": "Stage",
    "fDecision": "Court decision",
    "fSanction": "Sanction",
    "fAppeal": "Appeal status",
    "fFrom": "Reported from",
    "fTo": "Reported to",
    "fSearch": "Search the summaries",
    "fSearchHint": "Finds cases whose summary contains all the words.",
    "fOrder": "Order",
    "any": "Any",
    "apply": "Apply",
    "reset": "Clear all filters",
    "activeFilters": "Active filters:",
    "removeFilter": "Remove filter: {0}",
    "quoted": "“{0}”",
    "selectedN": "{0} selected",
    "openRef": "Open a case by its reference",
    "openRefPlaceholder": "e.g. KZ-2024-7Q3M2C",
    "open": "Open",
    "casesCaption": "Cases matching the filters",
    "colReference": "Reference",
    "colReported": "Reported",
    "colArticle": "Article",
    "colFine": "Fine (band)",
    "colAppeal": "Appeal",
    "totalN": "{0} cases",
    "showingRange": "Cases {0}–{1} of {2}",
    "noCases": "No cases match these filters.",
    "pagination": "Pages",
    "firstPage": "« First page",
    "prevPage": "‹ Previous page",
    "nextPage": "Next page ›",
    "withheld": "withheld for privacy",
    "notPublished": "not published",
    "none": "none",
    "caseTitle": "Case {0}",
    "backToCases": "← Back to the case list",
    "caseNotFound": "No case with the reference “{0}” was found.",
    "secOverview": "Overview",
    "secDefendant": "Defendant",
    "secOutcome": "First-instance decision",
    "secAppeals": "Appeal and cassation",
    "secTimeline": "Timeline",
    "secSummary": "Summary (redacted)",
    "secPrivacy": "Privacy",
    "secRelease": "First published",
    "fieldReportedMonth": "Reported (quarter or year)",
    "fieldExpert": "Expert conclusion",
    "fieldProsecutor": "Prosecutor's decision",
    "fieldPenalties": "Penalties under the article",
    "fieldVerification": "Verification of the article",
    "articleUnlisted": "not yet in the reference list",
    "fieldKind": "Kind",
    "fieldAgeBand": "Age band",
    "fieldGender": "Gender",
    "fieldDecidedMonth": "Decided (quarter or year)",
    "noOutcome": "The case has not reached a court decision.",
    "noAppeals": "No appeal has been filed.",
    "colLevel": "Level",
    "colFiledBy": "Filed by",
    "colFiled": "Filed (quarter or year)",
    "colStatus": "Status",
    "colFineAfter": "Fine after the decision (band)",
    "noTimeline": "No events are published.",
    "resultLabel": "Result: {0}",
    "noSummary": "No summary is published for this case: nothing safe remained after redaction.",
    "summaryNote": "Identifiers are replaced by tokens such as [NAME], [PHONE] or [LINK].",
    "generalizedIntro": "These fields were coarsened or withheld so that the case cannot be singled out:",
    "generalizedNone": "No field needed to be coarsened.",
    "genDates": "Dates (by year only)",
    "genAppeals": "Appeals, their dates and the sanction",
    "genCase": "The case itself (not shown)",
    "bandUpTo": "up to {0} {1}",
    "bandRange": "{0}–{1} {2}",
    "bandOver": "over {0} {1}",
    "fieldRelease": "Release",
    "fieldPublished": "Published",
    "fieldSynthetic": "Synthetic data",
    "fieldId": "API id",
    "yes": "yes",
    "no": "no",
    "syntheticBadge": "synthetic",
    "releasesTitle": "Releases",
    "releasesIntro": "Every committed import creates one numbered release; the API always answers from the current one.",
    "releasesTotal": "{0} releases",
    "colVersion": "Version",
    "colPublished": "Published (UTC)",
    "colNote": "Note",
    "colData": "Data",
    "real": "real",
    "colAdded": "Added",
    "colUpdated": "Updated",
    "colUnchanged": "Unchanged",
    "colChecksum": "Input checksum (SHA-256)",
    "loadMore": "Show more",
    "current": "current",
    "sourcesTitle": "Sources and reference data",
    "sourcesIntro": "Each official figure keeps its own source and definition: agencies count differently, so figures are never merged.",
    "secFigures": "Official figures",
    "colMetric": "Metric",
    "colPeriod": "Period",
    "colValue": "Value",
    "colDefinition": "Definition",
    "colSource": "Source",
    "colVerified": "How firm",
    "secIndexUnits": "Index units (MCI, RP)",
    "colYear": "Year",
    "colUnit": "Unit",
    "secArticles": "Legal provisions",
    "colTitle": "Title",
    "colPenalties": "Penalties (as the law states them, in English)",
    "colListed": "In the reference list",
    "colVerification": "Verification",
    "untitled": "not yet described",
    "noRows": "Nothing is published yet.",
    "methodologyTitle": "Methodology",
    "notFoundTitle": "Page not found",
    "notFoundText": "This address does not match any view of the portal.",
    "goHome": "Go to the case list",
    "footerRelease": "Data: release {0}, published {1}",
    "footerPrivacy": "No names, IINs, phone numbers, addresses, account handles or case numbers are stored or published.",
    "unitMCI": "MCI",
    "unitMCILong": "monthly calculation index",
    "unitRP": "RP",
    "unitRPLong": "calculation index (Kyrgyzstan)",
    "unitOfYear": "{0}, {1}",
    "navStatistics": "Statistics",
    "statsTitle": "Statistics",
    "statsIntro": "Figures for all cases matching the filters, grouped the way you choose. The page address keeps your choices: copy it to share this view.",
    "statsGroupBy": "Group by",
    "statsInterval": "Periods",
    "intervalNone": "Whole period",
    "intervalYEAR": "By year",
    "intervalQUARTER": "By quarter",
    "intervalMONTH": "By month",
    "statsNoteTitle": "How to read these figures",
    "statsNoteDisclosure": "Disclosure control: every count here is perturbed — moved by at most 4 up or down, always the same way for the same cases — so that no figure, alone or subtracted from another, reveals a single person. A count below {0} after perturbation is withheld (—): fewer than {0}, possibly none; a row with nothing to show is left out. Fine totals move by 20–50% of the largest fine; medians need at least 10 values. Rows need not add up to the total exactly. See Methodology.",
    "statsNoteDates": "Dates: cases, per-capita figures and the two rates follow the date the content was reported; liable, fined, fines, appeals and days to decision follow the date of the first-instance decision. Within one period the outcome columns are therefore not a part of the cases column.",
    "statsNoteExact": "These figures use each case's exact region and defendant kind, which the case list may coarsen. Per 100,000 inhabitants is given when grouping by region (its official population) or by jurisdiction (the country's official population, see Sources).",
    "secFunnel": "From flagged content to punishment",
    "funnelIntro": "Each case step counts the cases of the step before that went on to it. Bars are scaled to the first case step. Case steps are perturbed (by at most 4, see Methodology); detections are exact.",
    "funnelDetections": "Flagged content (detections)",
    "funnelDetectionsNote": "Detections are a different kind of record: a piece of flagged content is never linked to a case, so the case steps below are not a share of the referrals. These bars have their own scale.",
    "funnelCases": "Cases",
    "funnelUnavailable": "not available for this filter",
    "funnelUnavailableTitle": "Detections have no article, outcome, defendant, decision date or summary, so this filter cannot be applied to them.",
    "funnelWithheld": "withheld (fewer than {0} cases after perturbation)",
    "shareOfPrevious": "{0} of the step before",
    "secStatsTable": "Figures by group",
    "statsCaption": "Case figures by {0}",
    "statsCaptionPeriod": "Case figures by {0}, {1}",
    "colCases": "Cases",
    "colPer100k": "Per 100,000 inhabitants",
    "colLiable": "Found liable",
    "colFined": "Fined",
    "colMedianFine": "Median fine",
    "colAppealed": "Appealed",
    "colAppealsSucceeded": "Appeals succeeded",
    "colMedianDays": "Median days to decision",
    "colRejection": "Rejected by the prosecutor",
    "colNoOffence": "Expert found no offence",
    "totalRow": "Total",
    "withheldCell": "Withheld: fewer than {0} cases after perturbation, possibly none",
    "notShownCell": "Not shown: too few values (a median needs 10, a rate {0} cases on each side)",
    "per100kCell": "Not available: the population of this group is not known",
    "noneGroup": "none",
    "statsMatchN": "{0} cases match the filters",
    "statsMatchWithheld": "The number of matching cases is withheld",
    "showCases": "Show these cases in the case list",
    "showAllCases": "Show the matching cases",
    "noStats": "No cases match these filters.",
    "notShown": "not shown",
    "notAvailable": "not available"
  },
  "RU": {
    "skip": "Перейти к содержимому",
    "tagline": "Преследование за онлайн-контент в Казахстане и Кыргызстане: обезличенные итоги дел",
    "mainNav": "Основное меню",
    "navCases": "Дела",
    "navReleases": "Релизы",
    "navSources": "Источники",
    "navMethodology": "Методология",
    "language": "Язык",
    "banner": "Синтетические демонстрационные данные — не реальные дела",
    "bannerDetail": "Все цифры и дела на этом сайте сгенерированы для демонстрации. Ни одно из них не описывает реального человека или процесс.",
    "titleSynthetic": "[Синтетические данные] ",
    "loading": "Загрузка…",
    "errTitle": "Произошла ошибка",
    "errNetwork": "Не удалось связаться с API. Проверьте подключение и повторите попытку.",
    "errHTTP": "Сервер ответил кодом HTTP {0}.",
    "errStarting": "Сервер ещё готовит данные; страница повторит запрос через несколько секунд.",
    "errUnexpected": "Непредвиденная ошибка на странице: {0}",
    "errDateOrder": "Дата «Выявлено с» не может быть позже даты «Выявлено по».",
    "errDateFormat": "Даты указываются в формате ГГГГ-ММ-ДД.",
    "dismiss": "Закрыть",
    "casesTitle": "Дела",
    "casesIntro": "Обезличенные дела, одна строка — одно привлекаемое лицо. Адрес страницы сохраняет выбранные фильтры: скопируйте его, чтобы поделиться этой выборкой.",
    "filters": "Фильтры",
    "fJurisdiction": "Юрисдикция",
    "fRegion": "Регион",
    "fCategory": "Категория контента",
    "fConcern": "Отношение к свободе слова",
    "fPlatform": "Платформа",
    "fKind": "Привлекаемое лицо",
    "fLiability": "Вид ответственности",
    "fStage": "Стадия",
    "fDecision": "Решение суда",
    "fSanction": "Санкция",
    "fAppeal": "Статус обжалования",
    "fFrom": "Выявлено с",
    "fTo": "Выявлено по",
    "fSearch": "Поиск по описаниям",
    "fSearchHint": "Находит дела, в описании которых есть все слова.",
    "fOrder": "Сортировка",
    "any": "Любая",
    "apply": "Применить",
    "reset": "Сбросить все фильтры",
    "activeFilters": "Активные фильтры:",
    "removeFilter": "Убрать фильтр: {0}",
    "quoted": "«{0}»",
    "selectedN": "выбрано: {0}",
    "openRef": "Открыть дело по номеру",
    "openRefPlaceholder": "напр. KZ-2024-7Q3M2C",
    "open": "Открыть",
    "casesCaption": "Дела, соответствующие фильтрам",
    "colReference": "Номер",
    "colReported": "Выявлено",
    "colArticle": "Статья",
    "colFine": "Штраф (диапазон)",
    "colAppeal": "Обжалование",
    "totalN": "Дел: {0}",
    "showingRange": "Дела {0}–{1} из {2}",
    "noCases": "Нет дел, соответствующих этим фильтрам.",
    "pagination": "Страницы",
    "firstPage": "« Первая страница",
    "prevPage": "‹ Предыдущая страница",
    "nextPage": "Следующая страница ›",
    "withheld": "скрыто для защиты данных",
    "notPublished": "не публикуется",
    "none": "нет",
    "caseTitle": "Дело {0}",
    "backToCases": "← К списку дел",
    "caseNotFound": "Дело с номером «{0}» не найдено.",
    "secOverview": "Общие сведения",
    "secDefendant": "Привлекаемое лицо",
    "secOutcome": "Решение суда первой инстанции",
    "secAppeals": "Апелляция и кассация",
    "secTimeline": "Хронология",
    "secSummary": "Описание (обезличенное)",
    "secPrivacy": "Защита данных",
    "secRelease": "Впервые опубликовано",
    "fieldReportedMonth": "Выявлено (квартал или год)",
    "fieldExpert": "Заключение экспертизы",
    "fieldProsecutor": "Решение прокурора",
    "fieldPenalties": "Санкции статьи",
    "fieldVerification": "Проверка статьи",
    "articleUnlisted": "пока нет в справочнике",
    "fieldKind": "Тип",
    "fieldAgeBand": "Возрастная группа",
    "fieldGender": "Пол",
    "fieldDecidedMonth": "Решение (квартал или год)",
    "noOutcome": "Дело ещё не дошло до решения суда.",
    "noAppeals": "Жалобы не подавались.",
    "colLevel": "Инстанция",
    "colFiledBy": "Кем подана",
    "colFiled": "Подана (квартал или год)",
    "colStatus": "Статус",
    "colFineAfter": "Штраф после решения (диапазон)",
    "noTimeline": "События не опубликованы.",
    "resultLabel": "Итог: {0}",
    "noSummary": "Описание этого дела не публикуется: после обезличивания не осталось безопасного текста.",
    "summaryNote": "Идентификаторы заменены метками вида [NAME], [PHONE] или [LINK].",
    "generalizedIntro": "Эти поля обобщены или скрыты, чтобы дело нельзя было выделить:",
    "generalizedNone": "Обобщать поля не потребовалось.",
    "genDates": "Даты (только год)",
    "genAppeals": "Обжалование, его даты и санкция",
    "genCase": "Само дело (не показывается)",
    "bandUpTo": "до {0} {1}",
    "bandRange": "{0}–{1} {2}",
    "bandOver": "свыше {0} {1}",
    "fieldRelease": "Релиз",
    "fieldPublished": "Опубликовано",
    "fieldSynthetic": "Синтетические данные",
    "fieldId": "Идентификатор в API",
    "yes": "да",
    "no": "нет",
    "syntheticBadge": "синтетика",
    "releasesTitle": "Релизы",
    "releasesIntro": "Каждый успешный импорт создаёт один пронумерованный релиз; API всегда отвечает по текущему.",
    "releasesTotal": "Релизов: {0}",
    "colVersion": "Версия",
    "colPublished": "Опубликовано (UTC)",
    "colNote": "Примечание",
    "colData": "Данные",
    "real": "реальные",
    "colAdded": "Добавлено",
    "colUpdated": "Обновлено",
    "colUnchanged": "Без изменений",
    "colChecksum": "Контрольная сумма входных данных (SHA-256)",
    "loadMore": "Показать ещё",
    "current": "текущий",
    "sourcesTitle": "Источники и справочные данные",
    "sourcesIntro": "Каждая официальная цифра приводится со своим источником и определением: ведомства считают по-разному, поэтому цифры не объединяются.",
    "secFigures": "Официальные данные",
    "colMetric": "Показатель",
    "colPeriod": "Период",
    "colValue": "Значение",
    "colDefinition": "Определение",
    "colSource": "Источник",
    "colVerified": "Достоверность",
    "secIndexUnits": "Расчётные показатели (МРП, РП)",
    "colYear": "Год",
    "colUnit": "Единица",
    "secArticles": "Статьи законов",
    "colTitle": "Название",
    "colPenalties": "Санкции (по тексту закона, на английском)",
    "colListed": "В справочнике",
    "colVerification": "Проверка",
    "untitled": "ещё не описана",
    "noRows": "Пока ничего не опубликовано.",
    "methodologyTitle": "Методология",
    "notFoundTitle": "Страница не найдена",
    "notFoundText": "Этот адрес не соответствует ни одному разделу портала.",
    "goHome": "Перейти к списку дел",
    "footerRelease": "Данные: релиз {0}, опубликован {1}",
    "footerPrivacy": "Имена, ИИН, номера телефонов, адреса, аккаунты и номера дел не хранятся и не публикуются.",
    "unitMCI": "МРП",
    "unitMCILong": "месячный расчётный показатель",
    "unitRP": "РП",
    "unitRPLong": "расчётный показатель (Кыргызстан)",
    "unitOfYear": "{0}, {1}",
    "navStatistics": "Статистика",
    "statsTitle": "Статистика",
    "statsIntro": "Цифры по всем делам, соответствующим фильтрам, сгруппированные по вашему выбору. Адрес страницы сохраняет выбранное: скопируйте его, чтобы поделиться этим видом.",
    "statsGroupBy": "Группировать по",
    "statsInterval": "Периоды",
    "intervalNone": "Весь период",
    "intervalYEAR": "По годам",
    "intervalQUARTER": "По кварталам",
    "intervalMONTH": "По месяцам",
    "statsNoteTitle": "Как читать эти цифры",
    "statsNoteDisclosure": "Защита от раскрытия: каждое число здесь слегка искажено случайным шумом — не более чем на 4 в большую или меньшую сторону, всегда одинаково для одних и тех же дел, — чтобы ни одно число ни само по себе, ни в разности с другим не раскрывало отдельного человека. Число меньше {0} после внесения шума скрыто (—): меньше {0}, возможно ни одного; строки, где нечего показать, не выводятся. Суммы штрафов сдвигаются на 20–50% крупнейшего штрафа; медианы требуют не менее 10 значений. Строки не обязательно в точности дают итог. См. «Методология».",
    "statsNoteDates": "Даты: дела, цифры на душу населения и обе доли считаются по дате выявления материала; признанные виновными, оштрафованные, штрафы, обжалования и сроки до решения — по дате решения суда первой инстанции. Поэтому в пределах одного периода столбцы итогов не являются частью столбца дел.",
    "statsNoteExact": "Эти цифры учитывают точный регион и тип лица каждого дела, которые в списке дел могут быть обобщены. Число на 100 000 жителей приводится при группировке по региону (его официальная численность населения) или по юрисдикции (официальная численность населения страны, см. «Источники»).",
    "secFunnel": "От выявленного материала до наказания",
    "funnelIntro": "Каждый шаг по делам считает дела предыдущего шага, дошедшие до этого. Полосы масштабированы по первому шагу по делам. Шаги по делам слегка искажены шумом (не более чем на 4, см. «Методология»); выявленные материалы — точные.",
    "funnelDetections": "Выявленные материалы",
    "funnelDetectionsNote": "Выявленные материалы — записи другого вида: материал никогда не связывается с делом, поэтому шаги по делам ниже не являются долей переданных в полицию. У этих полос свой масштаб.",
    "funnelCases": "Дела",
    "funnelUnavailable": "недоступно для этого фильтра",
    "funnelUnavailableTitle": "У выявленных материалов нет статьи, итога, привлекаемого лица, даты решения и описания, поэтому к ним нельзя применить этот фильтр.",
    "funnelWithheld": "скрыто (меньше {0} дел после внесения шума)",
    "shareOfPrevious": "{0} от предыдущего шага",
    "secStatsTable": "Цифры по группам",
    "statsCaption": "Цифры по делам: {0}",
    "statsCaptionPeriod": "Цифры по делам: {0}, {1}",
    "colCases": "Дела",
    "colPer100k": "На 100 000 жителей",
    "colLiable": "Признаны виновными",
    "colFined": "Оштрафованы",
    "colMedianFine": "Медианный штраф",
    "colAppealed": "Обжалованы",
    "colAppealsSucceeded": "Успешные жалобы",
    "colMedianDays": "Медиана дней до решения",
    "colRejection": "Отклонено прокурором",
    "colNoOffence": "Экспертиза не нашла нарушения",
    "totalRow": "Итого",
    "withheldCell": "Скрыто: меньше {0} дел после внесения шума, возможно ни одного",
    "notShownCell": "Не показано: слишком мало значений (медиане нужно 10, доле — по {0} дел с каждой стороны)",
    "per100kCell": "Недоступно: численность населения этой группы неизвестна",
    "noneGroup": "нет",
    "statsMatchN": "Дел, соответствующих фильтрам: {0}",
    "statsMatchWithheld": "Число дел, соответствующих фильтрам, скрыто",
    "showCases": "Показать эти дела в списке дел",
    "showAllCases": "Показать соответствующие дела",
    "noStats": "Нет дел, соответствующих этим фильтрам.",
    "notShown": "не показано",
    "notAvailable": "недоступно"
  },
  "KK": {
    "skip": "Мазмұнға өту",
    "tagline": "Қазақстан мен Қырғызстандағы онлайн-контент үшін жауапкершілік: істердің иесіздендірілген нәтижелері",
    "mainNav": "Негізгі мәзір",
    "navCases": "Істер",
    "navReleases": "Релиздер",
    "navSources": "Дереккөздер",
    "navMethodology": "Әдістеме",
    "language": "Тіл",
    "banner": "Синтетикалық демо-деректер — нақты істер емес",
    "bannerDetail": "Осы сайттағы барлық сандар мен істер көрсету үшін жасалған. Олардың ешқайсысы нақты адамды немесе іс жүргізуді сипаттамайды.",
    "titleSynthetic": "[Синтетикалық деректер] ",
    "loading": "Жүктелуде…",
    "errTitle": "Қате орын алды",
    "errNetwork": "API-мен байланыс орнатылмады. Қосылымды тексеріп, қайталап көріңіз.",
    "errHTTP": "Сервер HTTP {0} кодымен жауап берді.",
    "errStarting": "Сервер деректерді әлі дайындап жатыр; бет бірнеше секундтан кейін қайта сұрайды.",
    "errUnexpected": "Беттегі күтпеген қате: {0}",
    "errDateOrder": "«Анықталған күннен» күні «Анықталған күнге дейін» күнінен кеш болмауы керек.",
    "errDateFormat": "Күндер ЖЖЖЖ-АА-КК пішімінде жазылады.",
    "dismiss": "Жабу",
    "casesTitle": "Істер",
    "casesIntro": "Иесіздендірілген істер, бір жол — бір тұлға. Бет мекенжайы таңдалған сүзгілерді сақтайды: осы іріктемемен бөлісу үшін оны көшіріп алыңыз.",
    "filters": "Сүзгілер",
    "fJurisdiction": "Юрисдикция",
    "fRegion": "Өңір",
    "fCategory": "Контент санаты",
    "fConcern": "Сөз бостандығына қатысы",
    "fPlatform": "Платформа",
    "fKind": "Жауапқа тартылған тұлға",
    "fLiability": "Жауапкершілік түрі",
    "fStage": "Кезең",
    "fDecision": "Сот шешімі",
    "fSanction": "Санкция",
    "fAppeal": "Шағымдану мәртебесі",
    "fFrom": "Анықталған күннен",
    "fTo": "Анықталған күнге дейін",
    "fSearch": "Сипаттамалардан іздеу",
    "fSearchHint": "Сипаттамасында барлық сөз кездесетін істерді табады.",
    "fOrder": "Сұрыптау",
    "any": "Кез келген",
    "apply": "Қолдану",
    "reset": "Барлық сүзгіні тазарту",
    "activeFilters": "Қолданылған сүзгілер:",
    "removeFilter": "Сүзгіні алып тастау: {0}",
    "quoted": "«{0}»",
    "selectedN": "таңдалды: {0}",
    "openRef": "Істі нөмірі бойынша ашу",
    "openRefPlaceholder": "мысалы, KZ-2024-7Q3M2C",
    "open": "Ашу",
    "casesCaption": "Сүзгілерге сәйкес істер",
    "colReference": "Нөмірі",
    "colReported": "Анықталды",
    "colArticle": "Бап",
    "colFine": "Айыппұл (аралық)",
    "colAppeal": "Шағымдану",
    "totalN": "Істер саны: {0}",
    "showingRange": "{2} істің {0}–{1} аралығы",
    "noCases": "Бұл сүзгілерге сәйкес істер жоқ.",
    "pagination": "Беттер",
    "firstPage": "« Бірінші бет",
    "prevPage": "‹ Алдыңғы бет",
    "nextPage": "Келесі бет ›",
    "withheld": "деректерді қорғау үшін жасырылған",
    "notPublished": "жарияланбайды",
    "none": "жоқ",
    "caseTitle": "{0} ісі",
    "backToCases": "← Істер тізіміне оралу",
    "caseNotFound": "«{0}» нөмірлі іс табылмады.",
    "secOverview": "Жалпы мәліметтер",
    "secDefendant": "Жауапқа тартылған тұлға",
    "secOutcome": "Бірінші сатыдағы сот шешімі",
    "secAppeals": "Апелляция және кассация",
    "secTimeline": "Хронология",
    "secSummary": "Сипаттама (иесіздендірілген)",
    "secPrivacy": "Деректерді қорғау",
    "secRelease": "Алғаш жарияланды",
    "fieldReportedMonth": "Анықталды (тоқсан немесе жыл)",
    "fieldExpert": "Сараптама қорытындысы",
    "fieldProsecutor": "Прокурор шешімі",
    "fieldPenalties": "Баптың санкциялары",
    "fieldVerification": "Бапты тексеру",
    "articleUnlisted": "анықтамалықта әлі жоқ",
    "fieldKind": "Түрі",
    "fieldAgeBand": "Жас тобы",
    "fieldGender": "Жынысы",
    "fieldDecidedMonth": "Шешім (тоқсан немесе жыл)",
    "noOutcome": "Іс бойынша әлі сот шешімі шықпаған.",
    "noAppeals": "Шағым берілмеген.",
    "colLevel": "Сатысы",
    "colFiledBy": "Кім берді",
    "colFiled": "Берілген (тоқсан немесе жыл)",
    "colStatus": "Мәртебесі",
    "colFineAfter": "Шешімнен кейінгі айыппұл (аралық)",
    "noTimeline": "Оқиғалар жарияланбаған.",
    "resultLabel": "Нәтижесі: {0}",
    "noSummary": "Бұл іс бойынша сипаттама жарияланбайды: иесіздендіруден кейін қауіпсіз мәтін қалмады.",
    "summaryNote": "Сәйкестендіргіштер [NAME], [PHONE] немесе [LINK] сияқты белгілермен ауыстырылған.",
    "generalizedIntro": "Істі жеке анықтауға болмайтындай мына өрістер жалпыланған немесе жасырылған:",
    "generalizedNone": "Өрістерді жалпылау қажет болмады.",
    "genDates": "Күндер (тек жыл)",
    "genAppeals": "Шағымдар, олардың күндері және санкция",
    "genCase": "Істің өзі (көрсетілмейді)",
    "bandUpTo": "{0} {1}-ке дейін",
    "bandRange": "{0}–{1} {2}",
    "bandOver": "{0} {1}-тен жоғары",
    "fieldRelease": "Релиз",
    "fieldPublished": "Жарияланды",
    "fieldSynthetic": "Синтетикалық деректер",
    "fieldId": "API идентификаторы",
    "yes": "иә",
    "no": "жоқ",
    "syntheticBadge": "синтетикалық",
    "releasesTitle": "Релиздер",
    "releasesIntro": "Әрбір сәтті импорт бір нөмірленген релиз жасайды; API әрқашан ағымдағы релиз бойынша жауап береді.",
    "releasesTotal": "Релиздер саны: {0}",
    "colVersion": "Нұсқа",
    "colPublished": "Жарияланды (UTC)",
    "colNote": "Ескертпе",
    "colData": "Деректер",
    "real": "нақты",
    "colAdded": "Қосылды",
    "colUpdated": "Жаңартылды",
    "colUnchanged": "Өзгеріссіз",
    "colChecksum": "Кіріс деректерінің бақылау сомасы (SHA-256)",
    "loadMore": "Тағы көрсету",
    "current": "ағымдағы",
    "sourcesTitle": "Дереккөздер және анықтамалық деректер",
    "sourcesIntro": "Әр ресми сан өз дереккөзімен және анықтамасымен беріледі: ведомстволар әртүрлі есептейді, сондықтан сандар біріктірілмейді.",
    "secFigures": "Ресми деректер",
    "colMetric": "Көрсеткіш",
    "colPeriod": "Кезең",
    "colValue": "Мәні",
    "colDefinition": "Анықтама",
    "colSource": "Дереккөз",
    "colVerified": "Сенімділігі",
    "secIndexUnits": "Есептік көрсеткіштер (АЕК, ЕК)",
    "colYear": "Жыл",
    "colUnit": "Бірлік",
    "secArticles": "Заң баптары",
    "colTitle": "Атауы",
    "colPenalties": "Санкциялар (заң мәтіні бойынша, ағылшынша)",
    "colListed": "Анықтамалықта",
    "colVerification": "Тексеру",
    "untitled": "әлі сипатталмаған",
    "noRows": "Әзірге ештеңе жарияланбаған.",
    "methodologyTitle": "Әдістеме",
    "notFoundTitle": "Бет табылмады",
    "notFoundText": "Бұл мекенжай порталдың ешбір бөліміне сәйкес келмейді.",
    "goHome": "Істер тізіміне өту",
    "footerRelease": "Деректер: {0} релизі, жарияланған уақыты {1}",
    "footerPrivacy": "Аты-жөні, ЖСН, телефон нөмірлері, мекенжайлар, аккаунттар мен іс нөмірлері сақталмайды және жарияланбайды.",
    "unitMCI": "АЕК",
    "unitMCILong": "айлық есептік көрсеткіш",
    "unitRP": "ЕК",
    "unitRPLong": "есептік көрсеткіш (Қырғызстан)",
    "unitOfYear": "{0}, {1}",
    "navStatistics": "Статистика",
    "statsTitle": "Статистика",
    "statsIntro": "Сүзгілерге сәйкес барлық істер бойынша сандар, өзіңіз таңдағандай топтастырылған. Бет мекенжайы таңдауыңызды сақтайды: осы көрініспен бөлісу үшін оны көшіріп алыңыз.",
    "statsGroupBy": "Топтастыру",
    "statsInterval": "Кезеңдер",
    "intervalNone": "Бүкіл кезең",
    "intervalYEAR": "Жылдар бойынша",
    "intervalQUARTER": "Тоқсандар бойынша",
    "intervalMONTH": "Айлар бойынша",
    "statsNoteTitle": "Бұл сандарды қалай оқу керек",
    "statsNoteDisclosure": "Ашып көрсетуден қорғау: мұндағы әрбір сан кездейсоқ шуылмен сәл өзгертілген — жоғары не төмен 4-тен аспайтын шамаға, бірдей істер үшін әрқашан бірдей, — сондықтан ешбір сан өздігінен де, басқа саннан азайтқанда да жеке адамды ашпайды. Шуылдан кейін {0}-ден аз сан жасырылады (—): {0}-ден аз, мүмкін мүлде жоқ; көрсететін ештеңесі жоқ жолдар шығарылмайды. Айыппұлдар сомасы ең ірі айыппұлдың 20–50%-ына ығысады; медианаға кемінде 10 мән қажет. Жолдардың қосындысы жиынға дәл тең болмауы мүмкін. «Әдістеме» бөлімін қараңыз.",
    "statsNoteDates": "Күндер: істер, халықтың 100 000 адамына шаққандағы сандар және екі үлес материалдың анықталған күні бойынша есептеледі; кінәлі деп танылғандар, айыппұл салынғандар, айыппұлдар, шағымдар мен шешімге дейінгі күндер бірінші сатыдағы сот шешімінің күні бойынша есептеледі. Сондықтан бір кезең ішінде нәтиже бағандары істер бағанының бөлігі емес.",
    "statsNoteExact": "Бұл сандар әр істің нақты өңірі мен тұлға түрін ескереді, ал істер тізімінде олар жалпылануы мүмкін. 100 000 тұрғынға шаққандағы сан өңір (оның ресми халық саны) немесе юрисдикция (елдің ресми халық саны, «Дереккөздер» бөлімін қараңыз) бойынша топтастырғанда беріледі.",
    "secFunnel": "Анықталған материалдан жазаға дейін",
    "funnelIntro": "Істер бойынша әр қадам алдыңғы қадамның осы қадамға жеткен істерін санайды. Жолақтар істер бойынша бірінші қадамға қатысты масштабталған. Істер қадамдарына шағын шуыл қосылған (4-тен аспайды, «Әдістеме» бөлімін қараңыз); анықталған материалдар — нақты.",
    "funnelDetections": "Анықталған материалдар",
    "funnelDetectionsNote": "Анықталған материалдар — жазбалардың басқа түрі: материал ешқашан іспен байланыстырылмайды, сондықтан төмендегі істер қадамдары полицияға берілгендердің үлесі емес. Бұл жолақтардың өз масштабы бар.",
    "funnelCases": "Істер",
    "funnelUnavailable": "бұл сүзгі үшін қолжетімсіз",
    "funnelUnavailableTitle": "Анықталған материалдарда бап, нәтиже, жауапқа тартылған тұлға, шешім күні және сипаттама жоқ, сондықтан бұл сүзгіні оларға қолдануға болмайды.",
    "funnelWithheld": "жасырылған (шуылдан кейін {0} істен аз)",
    "shareOfPrevious": "алдыңғы қадамның {0}",
    "secStatsTable": "Топтар бойынша сандар",
    "statsCaption": "Істер бойынша сандар: {0}",
    "statsCaptionPeriod": "Істер бойынша сандар: {0}, {1}",
    "colCases": "Істер",
    "colPer100k": "100 000 тұрғынға",
    "colLiable": "Кінәлі деп танылды",
    "colFined": "Айыппұл салынды",
    "colMedianFine": "Айыппұлдың медианасы",
    "colAppealed": "Шағым берілді",
    "colAppealsSucceeded": "Сәтті шағымдар",
    "colMedianDays": "Шешімге дейінгі күндер медианасы",
    "colRejection": "Прокурор қабылдамады",
    "colNoOffence": "Сараптама құқық бұзушылық таппады",
    "totalRow": "Барлығы",
    "withheldCell": "Жасырылған: шуылдан кейін {0} істен аз, мүмкін мүлде жоқ",
    "notShownCell": "Көрсетілмеген: мәндер тым аз (медианаға 10, үлеске әр жағынан {0} іс қажет)",
    "per100kCell": "Қолжетімсіз: бұл топтың халық саны белгісіз",
    "noneGroup": "жоқ",
    "statsMatchN": "Сүзгілерге сәйкес істер саны: {0}",
    "statsMatchWithheld": "Сүзгілерге сәйкес істер саны жасырылған",
    "showCases": "Бұл істерді істер тізімінен көрсету",
    "showAllCases": "Сәйкес істерді көрсету",
    "noStats": "Бұл сүзгілерге сәйкес істер жоқ.",
    "notShown": "көрсетілмеген",
    "notAvailable": "қолжетімсіз"
  }
};

// The methodology page, per language: a list of sections, each a heading and paragraphs.
// Concern sections are completed with the categories the API puts in each concern.
// Strict JSON, like UI.

const METHODOLOGY = /* methodology */ {
  "EN": {
    "intro": [
      "Each row of the case list is one enforcement case against one defendant, from the linguistic expert review of flagged online content, through the prosecutor's approval and the first-instance court, to appeal and cassation. Records are anonymized on import and published in numbered releases."
    ],
    "concernHeading": "How close is it to free expression? The concern split",
    "concernIntro": "Every content category belongs to exactly one concern group. The split shows how much enforcement touches protected expression rather than clear harms.",
    "concerns": {
      "CORE_EXPRESSION": "Speech at the core of freedom of expression: false information, insult or libel, calls to assemble. Cases in this group deserve the closest scrutiny.",
      "CONTESTED": "Incitement of discord and religious extremism: offences whose vague definitions have been criticised by human-rights bodies.",
      "HARM": "Clear harms: terrorism propaganda, drug promotion, gambling advertising, pyramid schemes.",
      "OTHER": "Everything else."
    },
    "perturbation": {
      "heading": "Protecting the figures: perturbation",
      "paragraphs": [
        "Exact counts for any filter a visitor chooses cannot be protected by hiding small numbers alone: the difference between two large counts — a total and the same question without one platform, or two overlapping date ranges — can be a single person. So statistics and the funnel are published with a small random perturbation, by the cell key method that official statistics offices use for flexible tables (the Australian Bureau of Statistics' TableBuilder, the UK Office for National Statistics' census custom datasets).",
        "Every case carries a secret record key. A figure adds up the keys of the cases it counts; that sum picks the perturbation from the published table below. The same cases therefore always get the same figure, however the question is asked, so repeating it averages nothing away; and a group that differs by one case gets an unrelated perturbation, so the difference of two figures does not reveal that case.",
        "Counts move by at most 4 up or down (variance 2); a count below 4 moves by at most itself, so it never becomes negative and a single case is never published. After perturbation, a count below the threshold k is withheld and shown as —: it means fewer than k, possibly none. Rows with nothing to show are left out, so an empty group and a group of two look the same. Totals are perturbed on their own, so rows do not add up to them exactly.",
        "Amounts and other figures: a total of fines moves by 20–50% of the largest fine in the group, up or down, and the mean is that total divided by the perturbed count; the smallest and largest fines shown are amounts at least k fines share. Medians and the 90th percentile are read at a rank moved by up to 5% of the count and need at least 10 values. Rates and per-capita figures are computed from perturbed counts; a rate needs at least k cases on each side, so it is never shown as exactly 0% or 100%. Repeat defendants are shown only for groups of at least 50 cases.",
        "What stays exact: counts of flagged content (detections), which are about content, never about a person, and the number of cases in the case list, which counts only what the list itself shows. Official figures on the Sources page are quoted as published.",
        "Accuracy, measured on the demo data (50,000 cases): the mean absolute error of published counts is about 1 whatever their size — 0.97 for counts of 1–9, 1.09 for 10–99, 1.05 for 100 and more. Fine totals of 100 fines or more are off by 2.9% on average, median days to decision by 3.7%. A count of 100 is published within ±2 93% of the time, and never more than ±4 away.",
        "The limit, said plainly: someone able to ask very many different questions around the same person can average independent perturbations; the API's rate limits bound how many questions that takes."
      ],
      "tableCaption": "The perturbation table: the share of key sums that moves a count by each amount",
      "colCount": "Exact count",
      "colPerturbation": "Perturbation",
      "colProbability": "Probability",
      "orMore": "{0} or more",
      "parameters": "Threshold k on this server: {0}."
    },
    "sections": [
      {
        "heading": "Dates by quarter or year",
        "paragraphs": [
          "Case-level dates (report, decision, appeal) are published by quarter (2024-Q2), never as months or days; where a quarter would still single a case out, by year alone (2024). Date filters take calendar days and find every case whose published quarter or year overlaps the range. Case lists are ordered by quarter, a case dated by year alone after that year's quarters."
        ]
      },
      {
        "heading": "What is never published",
        "paragraphs": [
          "Names, IINs (individual identification numbers), Kyrgyz PINs, birth dates, phone numbers, addresses, e-mail addresses, account handles, links to accounts or posts, and source, police or court case numbers are neither stored nor published. Case references such as KZ-2024-7Q3M2C are not derived from any official number.",
          "Summaries are redacted before storage: identifiers are replaced with tokens such as [NAME], [IIN], [PHONE], [EMAIL], [HANDLE] or [LINK]. When in doubt, no summary is published.",
          "The case-level view is k-anonymous: within a jurisdiction and year, every combination it publishes (dates, region, category, platform, article, decisions, sanction, fine band, appeals, defendant kind) is shared by at least as many cases as the suppression threshold. The defendant's age band and gender appear in statistics only. Where needed, fields are coarsened or withheld step by step, and each case lists what was; a case that would still stand out is left out of the case list and the exports, though statistics count it. Aggregate figures are perturbed, and those below the suppression threshold are withheld (see below)."
        ]
      },
      {
        "heading": "Money",
        "paragraphs": [
          "In the case list and on case pages a fine is shown as a band of the index unit of its year (up to 10, 10–20, 20–50, … over 2000), never as an amount: the monthly calculation index (MCI) in Kazakhstan, the calculation index (RP) in Kyrgyzstan. First-instance fines are shown separately from what appeal and cassation changed. Statistics give median fines in whole tenge (KZT) or som (KGS) and in index units."
        ]
      },
      {
        "heading": "Synthetic data",
        "paragraphs": [
          "While the portal serves generated demonstration data, a banner on every page says so, and the API marks the release as synthetic."
        ]
      }
    ]
  },
  "RU": {
    "intro": [
      "Каждая строка списка — одно дело против одного лица: от лингвистической экспертизы выявленного онлайн-контента через согласование прокурором и суд первой инстанции до апелляции и кассации. Записи обезличиваются при импорте и публикуются пронумерованными релизами."
    ],
    "concernHeading": "Насколько это близко к свободе слова: разделение по группам",
    "concernIntro": "Каждая категория контента относится ровно к одной группе. Разделение показывает, какая доля преследований касается защищённого высказывания, а не явного вреда.",
    "concerns": {
      "CORE_EXPRESSION": "Высказывания, составляющие ядро свободы выражения: ложная информация, оскорбление или клевета, призывы к собраниям. Дела этой группы требуют самого пристального внимания.",
      "CONTESTED": "Возбуждение розни и религиозный экстремизм: составы с размытыми определениями, которые критикуют правозащитные органы.",
      "HARM": "Явный вред: пропаганда терроризма, пропаганда наркотиков, реклама азартных игр, финансовые пирамиды.",
      "OTHER": "Всё остальное."
    },
    "perturbation": {
      "heading": "Защита цифр: внесение шума",
      "paragraphs": [
        "Точные числа по любому фильтру, который выбирает посетитель, нельзя защитить, только скрывая малые значения: разность двух больших чисел — итога и того же вопроса без одной платформы или двух пересекающихся периодов — может оказаться одним человеком. Поэтому статистика и воронка публикуются с небольшим случайным шумом по методу ключей ячеек (cell key method), который официальные статистические службы применяют для гибких таблиц (TableBuilder Австралийского бюро статистики, пользовательские таблицы переписи Управления национальной статистики Великобритании).",
        "У каждого дела есть секретный ключ записи. Число складывает ключи дел, которые оно учитывает; эта сумма выбирает сдвиг из опубликованной ниже таблицы. Поэтому одни и те же дела всегда дают одно и то же число, как бы ни был задан вопрос, и повторение вопроса ничего не усредняет; а группа, отличающаяся на одно дело, получает не связанный с первым сдвиг, так что разность двух чисел это дело не раскрывает.",
        "Числа сдвигаются не более чем на 4 вверх или вниз (дисперсия 2); число меньше 4 сдвигается не больше чем на само себя, поэтому никогда не становится отрицательным, а одно-единственное дело никогда не публикуется. Число, которое после сдвига меньше порога k, скрывается и показывается как —: это значит «меньше k, возможно ни одного». Строки, где нечего показать, не выводятся, поэтому пустая группа и группа из двух дел выглядят одинаково. Итоги сдвигаются отдельно, поэтому строки не складываются в них в точности.",
        "Суммы и другие показатели: сумма штрафов сдвигается на 20–50% крупнейшего штрафа группы вверх или вниз, а среднее — это эта сумма, делённая на сдвинутое число; наименьший и наибольший показанные штрафы — суммы, которые получили не менее k дел. Медианы и 90-й процентиль берутся на ранге, сдвинутом не более чем на 5% числа значений, и требуют не менее 10 значений. Доли и числа на 100 000 жителей считаются из сдвинутых чисел; доле нужно не менее k дел с каждой стороны, поэтому она никогда не показывается как ровно 0% или 100%. Повторные нарушители показываются только для групп не менее чем из 50 дел.",
        "Что остаётся точным: число выявленных материалов (это сведения о контенте, а не о людях) и число дел в списке дел, который считает только то, что сам список показывает. Официальные цифры на странице «Источники» приводятся так, как опубликованы.",
        "Точность, измеренная на демонстрационных данных (50 000 дел): средняя абсолютная ошибка опубликованных чисел около 1 при любом их размере — 0,97 для чисел 1–9, 1,09 для 10–99, 1,05 для 100 и больше. Суммы штрафов по 100 и более штрафам отличаются в среднем на 2,9%, медианные сроки до решения — на 3,7%. Число 100 в 93% случаев публикуется с отклонением не больше ±2 и никогда — больше ±4.",
        "Ограничение, прямо: тот, кто может задать очень много разных вопросов вокруг одного и того же человека, способен усреднить независимые сдвиги; лимиты запросов API ограничивают, сколько вопросов на это потребуется."
      ],
      "tableCaption": "Таблица сдвигов: доля сумм ключей, сдвигающих число на каждую величину",
      "colCount": "Точное число",
      "colPerturbation": "Сдвиг",
      "colProbability": "Вероятность",
      "orMore": "{0} и больше",
      "parameters": "Порог k на этом сервере: {0}."
    },
    "sections": [
      {
        "heading": "Даты с точностью до квартала или года",
        "paragraphs": [
          "Даты по делам (выявление, решение, обжалование) публикуются с точностью до квартала (2024-Q2), без месяцев и дней; если и квартал позволил бы выделить дело — только годом (2024). Фильтры по датам принимают календарные дни и находят все дела, чей опубликованный квартал или год пересекается с периодом. Списки дел упорядочены по кварталам, дела, датированные только годом, идут после кварталов этого года."
        ]
      },
      {
        "heading": "Что никогда не публикуется",
        "paragraphs": [
          "Имена, ИИН, киргизские ПИН, даты рождения, номера телефонов, адреса, электронная почта, имена аккаунтов, ссылки на аккаунты или публикации, а также номера материалов, полицейских и судебных дел не хранятся и не публикуются. Номера дел вида KZ-2024-7Q3M2C не выводятся из официальных номеров.",
          "Описания обезличиваются до сохранения: идентификаторы заменяются метками [NAME], [IIN], [PHONE], [EMAIL], [HANDLE] или [LINK]. При сомнении описание не публикуется.",
          "Сведения по делам k-анонимны: в пределах юрисдикции и года каждое опубликованное сочетание (даты, регион, категория, платформа, статья, решения, санкция, диапазон штрафа, обжалование, тип лица) встречается не меньше чем у стольких дел, каков порог подавления. Возрастная группа и пол лица приводятся только в статистике. При необходимости поля обобщаются или скрываются шаг за шагом, и в каждом деле указано, что обобщено; дело, которое всё равно выделялось бы, не показывается в списке дел и выгрузках, но учитывается в статистике. Сводные цифры искажаются небольшим шумом, а те, что ниже порога подавления, скрываются (см. ниже)."
        ]
      },
      {
        "heading": "Денежные суммы",
        "paragraphs": [
          "В списке и на страницах дел штраф показывается не суммой, а диапазоном в расчётных показателях своего года (до 10, 10–20, 20–50, … свыше 2000): МРП в Казахстане, РП в Кыргызстане. Штрафы первой инстанции показываются отдельно от изменений, внесённых апелляцией и кассацией. В статистике медианы штрафов даются в целых тенге (KZT) или сомах (KGS) и в расчётных показателях."
        ]
      },
      {
        "heading": "Синтетические данные",
        "paragraphs": [
          "Пока портал показывает сгенерированные демонстрационные данные, об этом сообщает баннер на каждой странице, а API помечает релиз как синтетический."
        ]
      }
    ]
  },
  "KK": {
    "intro": [
      "Тізімдегі әр жол — бір тұлғаға қатысты бір іс: анықталған онлайн-контенттің лингвистикалық сараптамасынан бастап прокурордың келісімі мен бірінші сатыдағы сот арқылы апелляция мен кассацияға дейін. Жазбалар импорт кезінде иесіздендіріліп, нөмірленген релиздермен жарияланады."
    ],
    "concernHeading": "Сөз бостандығына қаншалықты жақын: топтарға бөлу",
    "concernIntro": "Әр контент санаты тек бір топқа жатады. Бұл бөлу қудалаудың қаншалықты үлесі айқын зиянға емес, қорғалатын пікір білдіруге қатысты екенін көрсетеді.",
    "concerns": {
      "CORE_EXPRESSION": "Пікір білдіру бостандығының өзегін құрайтын сөздер: жалған ақпарат, қорлау немесе жала жабу, жиналысқа шақыру. Бұл топтағы істер аса мұқият назарды қажет етеді.",
      "CONTESTED": "Алауыздықты қоздыру және діни экстремизм: анықтамалары бұлыңғыр, құқық қорғау органдары сынға алған құқық бұзушылықтар.",
      "HARM": "Айқын зиян: терроризмді насихаттау, есірткіні насихаттау, құмар ойындардың жарнамасы, қаржы пирамидалары.",
      "OTHER": "Қалғанының бәрі."
    },
    "perturbation": {
      "heading": "Сандарды қорғау: шуыл қосу",
      "paragraphs": [
        "Келуші таңдаған кез келген сүзгі бойынша нақты сандарды тек кіші мәндерді жасыру арқылы қорғау мүмкін емес: екі үлкен санның айырмасы — жиын мен бір платформасыз сол сұрақ немесе бір-бірімен қиылысатын екі кезең — бір адам болып шығуы мүмкін. Сондықтан статистика мен воронка шағын кездейсоқ шуылмен жарияланады: бұл ресми статистика қызметтері икемді кестелер үшін қолданатын ұяшық кілті әдісі (cell key method) (Австралия статистика бюросының TableBuilder құралы, Ұлыбритания Ұлттық статистика басқармасының санақ бойынша пайдаланушы кестелері).",
        "Әр істің құпия жазба кілті бар. Сан өзі есептейтін істердің кілттерін қосады; осы қосынды төмендегі жарияланған кестеден ығысуды таңдайды. Сондықтан бірдей істер сұрақ қалай қойылса да әрқашан бірдей сан береді, ал сұрақты қайталау ештеңені орташаламайды; бір іспен ерекшеленетін топ алғашқысымен байланыссыз ығысу алады, сондықтан екі санның айырмасы сол істі ашпайды.",
        "Сандар жоғары немесе төмен 4-тен аспайтын шамаға ығысады (дисперсия 2); 4-тен кіші сан өз шамасынан артық ығыспайды, сондықтан ешқашан теріс болмайды, ал жалғыз іс ешқашан жарияланбайды. Ығысудан кейін k шегінен кіші сан жасырылып, — түрінде көрсетіледі: бұл «k-дан аз, мүмкін мүлде жоқ» дегенді білдіреді. Көрсететін ештеңесі жоқ жолдар шығарылмайды, сондықтан бос топ пен екі істен тұратын топ бірдей көрінеді. Жиындар бөлек ығыстырылады, сондықтан жолдардың қосындысы оларға дәл тең болмайды.",
        "Сомалар және басқа көрсеткіштер: айыппұлдар сомасы топтағы ең ірі айыппұлдың 20–50%-ына жоғары немесе төмен ығысады, ал орташа мән — осы сома ығыстырылған санға бөлінгені; көрсетілген ең кіші және ең үлкен айыппұл — кемінде k іс алған сомалар. Медиана мен 90-процентиль мәндер санының 5%-ынан аспайтын шамаға ығыстырылған дәрежеде алынады және кемінде 10 мәнді қажет етеді. Үлестер мен 100 000 тұрғынға шаққандағы сандар ығыстырылған сандардан есептеледі; үлеске әр жағынан кемінде k іс қажет, сондықтан ол ешқашан дәл 0% немесе 100% болып көрсетілмейді. Қайталанған құқық бұзушылар кемінде 50 істен тұратын топтар үшін ғана көрсетіледі.",
        "Нақты қалатындар: анықталған материалдар саны (бұл адамдар туралы емес, контент туралы мәлімет) және тізімнің өзі көрсететінді ғана санайтын істер тізіміндегі істер саны. «Дереккөздер» бетіндегі ресми сандар жарияланған күйінде беріледі.",
        "Демо деректерде (50 000 іс) өлшенген дәлдік: жарияланған сандардың орташа абсолюттік қателігі олардың шамасына қарамастан шамамен 1 — 1–9 сандар үшін 0,97, 10–99 үшін 1,09, 100 және одан көп үшін 1,05. 100 және одан көп айыппұл бойынша айыппұлдар сомасы орта есеппен 2,9%-ға, шешімге дейінгі медианалық мерзім 3,7%-ға ауытқиды. 100 саны 93% жағдайда ±2-ден аспайтын ауытқумен жарияланады және ешқашан ±4-тен асып кетпейді.",
        "Шектеуді ашық айтамыз: бір адамның төңірегінде өте көп әртүрлі сұрақ қоя алатын адам тәуелсіз ығысуларды орташалай алады; API сұрау лимиттері бұған қанша сұрақ қажет болатынын шектейді."
      ],
      "tableCaption": "Ығысу кестесі: санды әр шамаға ығыстыратын кілт қосындыларының үлесі",
      "colCount": "Нақты сан",
      "colPerturbation": "Ығысу",
      "colProbability": "Ықтималдық",
      "orMore": "{0} және одан көп",
      "parameters": "Бұл сервердегі k шегі: {0}."
    },
    "sections": [
      {
        "heading": "Күндер тоқсан немесе жыл дәлдігімен",
        "paragraphs": [
          "Істер бойынша күндер (анықталуы, шешім, шағымдану) айсыз және күнсіз, тоқсан дәлдігімен (2024-Q2) жарияланады; тоқсан да істі жеке анықтауға мүмкіндік берсе, тек жылымен (2024). Күн сүзгілері күнтізбелік күндерді қабылдайды және жарияланған тоқсаны немесе жылы кезеңмен қиылысатын барлық істерді табады. Істер тізімі тоқсандар бойынша реттеледі, тек жылымен белгіленген істер сол жылдың тоқсандарынан кейін тұрады."
        ]
      },
      {
        "heading": "Ешқашан жарияланбайтын мәліметтер",
        "paragraphs": [
          "Аты-жөні, ЖСН, қырғыз ПИН-і, туған күні, телефон нөмірлері, мекенжайлар, электрондық пошта, аккаунт атаулары, аккаунттарға немесе жарияланымдарға сілтемелер, сондай-ақ материалдардың, полиция мен сот істерінің нөмірлері сақталмайды және жарияланбайды. KZ-2024-7Q3M2C сияқты іс нөмірлері ешбір ресми нөмірден алынбайды.",
          "Сипаттамалар сақталар алдында иесіздендіріледі: сәйкестендіргіштер [NAME], [IIN], [PHONE], [EMAIL], [HANDLE] немесе [LINK] белгілерімен ауыстырылады. Күмән болса, сипаттама жарияланбайды.",
          "Істер туралы мәліметтер k-анонимді: бір юрисдикция мен бір жыл ішінде әр жарияланған үйлесім (күндер, өңір, санат, платформа, бап, шешімдер, санкция, айыппұл аралығы, шағымдар, тұлға түрі) кемінде жасыру шегіне тең істерге ортақ. Тұлғаның жас тобы мен жынысы тек статистикада беріледі. Қажет болса, өрістер біртіндеп жалпыланады немесе жасырылады, әр істе не жалпыланғаны көрсетілген; сонда да ерекшеленетін іс істер тізімі мен жүктемелерде көрсетілмейді, бірақ статистикада есептеледі. Жиынтық сандарға шағын шуыл қосылады, ал жасыру шегінен кішілері жасырылады (төменде қараңыз)."
        ]
      },
      {
        "heading": "Ақша сомалары",
        "paragraphs": [
          "Істер тізімінде және іс беттерінде айыппұл сомамен емес, өз жылының есептік көрсеткішіндегі аралықпен беріледі (10-ға дейін, 10–20, 20–50, … 2000-нан жоғары): Қазақстанда АЕК, Қырғызстанда ЕК. Бірінші сатыдағы айыппұлдар апелляция мен кассация енгізген өзгерістерден бөлек көрсетіледі. Статистикада айыппұлдардың медианасы бүтін теңгемен (KZT) немесе сомен (KGS) және есептік көрсеткішпен беріледі."
        ]
      },
      {
        "heading": "Синтетикалық деректер",
        "paragraphs": [
          "Портал жасанды демонстрациялық деректерді көрсетіп тұрғанда, бұл туралы әр беттегі баннер хабарлайды, ал API релизді синтетикалық деп белгілейді."
        ]
      }
    ]
  }
};

// ---------------------------------------------------------------- state

const state = {
  lang: 'EN',
  release: null, // { version, publishedAt, synthetic }
  vocab: new Map(), // enum name -> Map(code -> { KK, RU, EN })
  categories: [], // [{ code, concern, labels }]
  regions: new Map(), // jurisdiction ('' for all) -> [{ code, jurisdiction, kind, createdYear, labels }]
};

// Pages of the case list seen in this tab: key of (filters, endCursor) -> { prev, start }.
// Lets "previous page" and the "cases 51–100" line work with forward-only cursors.
const pageMemo = new Map();
// Which filter groups the user has opened, kept across re-renders.
const openFacets = new Set();
let lastCasesHash = '#/cases';
let current = null; // { view, arg, controller }
let casesUI = null; // the mounted case browser, reused while only the filters change

// ---------------------------------------------------------------- helpers

function t(key, ...args) {
  const table = UI[state.lang] || UI.EN;
  let s = table[key] ?? UI.EN[key] ?? key;
  args.forEach((a, i) => { s = s.split(`{${i}}`).join(String(a)); });
  return s;
}

// h builds an element. attrs: class, text, on<event>, dataset, or plain attributes.
// Children are nodes or strings (added as text, never parsed).
function h(tag, attrs, ...children) {
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

function humanize(code) {
  const s = String(code).toLowerCase().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function codes(enumName) {
  const v = state.vocab.get(enumName);
  if (v && v.size) return [...v.keys()];
  return ENUMS[enumName] || [];
}

function isCode(enumName, code) {
  return codes(enumName).includes(code) || (ENUMS[enumName] || []).includes(code);
}

// term returns the label of an enumeration code in the current language.
function term(enumName, code) {
  if (code === null || code === undefined || code === '') return '';
  const labels = state.vocab.get(enumName)?.get(code);
  return (labels && (labels[state.lang] || labels.EN)) || humanize(code);
}

function categoryLabel(code) {
  const c = state.categories.find((x) => x.code === code);
  return (c && (c.labels[state.lang] || c.labels.EN)) || term('ContentCategory', code);
}

function regionLabel(region) {
  if (!region) return '';
  if (region.labels) return region.labels[state.lang] || region.labels.EN || region.code;
  return region.name || region.code;
}

function locale() {
  return LOCALES[state.lang] || 'en-GB';
}

function fmtInt(n) {
  if (n === null || n === undefined) return '';
  try { return new Intl.NumberFormat(locale()).format(n); } catch { return String(n); }
}

function fmtNumber(n, maxDigits = 2) {
  if (n === null || n === undefined) return '';
  try {
    return new Intl.NumberFormat(locale(), { maximumFractionDigits: maxDigits }).format(n);
  } catch { return String(n); }
}

// fmtTime shows an RFC 3339 time as "2025-06-30 14:05 UTC": the same in every language,
// unambiguous.
function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function dash() {
  return h('span', { class: 'empty' },
    h('span', { 'aria-hidden': 'true' }, '—'),
    h('span', { class: 'visually-hidden' }, t('none')));
}

function orDash(v) {
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

function sourceNode(src) {
  if (!src) return dash();
  const href = safeURL(src.url);
  if (!href) return String(src.title || '');
  return h('a', { href, rel: 'noopener noreferrer external', target: '_blank' }, src.title || src.url);
}

function unitAbbr(unit, year) {
  const key = unit === 'MCI' ? 'unitMCI' : unit === 'RP' ? 'unitRP' : null;
  const short = key ? t(key) : String(unit || '');
  const long = key ? t(key + 'Long') : String(unit || '');
  return h('abbr', { title: year ? t('unitOfYear', long, year) : long }, short);
}

// fineBandNode renders the band a fine is published in (the case view never gives its
// amount): "up to 10 MCI", "10–20 MCI", "over 2000 MCI", the unit spelt out in its tooltip.
function fineBandNode(b) {
  if (!b) return dash();
  const key = b.indexUnit === 'MCI' ? 'unitMCI' : b.indexUnit === 'RP' ? 'unitRP' : null;
  const unit = key ? t(key) : String(b.indexUnit || '');
  const text = b.to === null || b.to === undefined ? t('bandOver', fmtInt(b.from), unit)
    : b.from === 0 ? t('bandUpTo', fmtInt(b.to), unit)
      : t('bandRange', fmtInt(b.from), fmtInt(b.to), unit);
  return h('span', { class: 'money fine-band', title: key ? t(key + 'Long') : null }, text);
}

function badge(text, cls) {
  return h('span', { class: `badge ${cls || ''}`.trim() }, text);
}

function concernTag(code) {
  if (!code) return null;
  const cls = CODE_RE.test(code) ? `concern concern-${code.toLowerCase().replace(/_/g, '-')}` : 'concern';
  return h('span', { class: cls }, term('Concern', code));
}

// ---------------------------------------------------------------- API

class APIError extends Error {
  constructor(errors, retryAfter) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'APIError';
    this.errors = errors;
    this.retryAfter = retryAfter || 0; // seconds, when the server asked to come back
  }
}

// gql posts one operation. It resolves to { data, errors } when the server answered with
// GraphQL (errors may be partial), and throws APIError when it did not.
async function gql(query, variables, signal) {
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

// ---------------------------------------------------------------- error box

function clearErrors() {
  const box = document.getElementById('error-box');
  box.hidden = true;
  box.replaceChildren();
}

// showErrors adds messages to the error box (errors[].message, with extensions.code).
function showErrors(errors) {
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

function showException(e) {
  if (e && e.name === 'AbortError') return;
  if (e instanceof APIError) showErrors(e.errors);
  else {
    console.error(e); // eslint-disable-line no-console
    showErrors([{ message: t('errUnexpected', e && e.message ? e.message : String(e)) }]);
  }
}

// ---------------------------------------------------------------- release banner

function updateRelease(rel) {
  if (!rel) return;
  state.release = rel;
  renderChrome();
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

function setTitle(text) {
  const prefix = state.release && state.release.synthetic ? t('titleSynthetic') : '';
  document.title = `${prefix}${text} — casewatch`;
}

// ---------------------------------------------------------------- language

function initialLang() {
  try {
    const saved = localStorage.getItem(LANG_STORAGE_KEY);
    if (LANGS.includes(saved)) return saved;
  } catch { /* storage may be blocked */ }
  for (const l of navigator.languages || [navigator.language || '']) {
    const p = String(l).slice(0, 2).toLowerCase();
    if (p === 'kk') return 'KK';
    if (p === 'ru' || p === 'ky') return 'RU';
    if (p === 'en') return 'EN';
  }
  return 'RU';
}

function setLang(lang) {
  if (!LANGS.includes(lang)) return;
  state.lang = lang;
  document.documentElement.lang = lang.toLowerCase();
  try { localStorage.setItem(LANG_STORAGE_KEY, lang); } catch { /* ignore */ }
  renderChrome();
}

// ---------------------------------------------------------------- reference data

function labelsOf(x) {
  return { KK: x.kk, RU: x.ru, EN: x.en };
}

// loadBoot fetches the release, labels and categories; it is tried again on every
// navigation until it has worked once (the API may come up after the page).
let bootDone = false;
let bootErrors = [];
let bootRetryAfter = 0;

async function loadBoot() {
  let resp;
  try {
    resp = await gql(Q_BOOT, {});
  } catch (e) {
    bootErrors = e instanceof APIError ? e.errors : [{ message: t('errUnexpected', e && e.message) }];
    bootRetryAfter = e instanceof APIError ? e.retryAfter : 0;
    return;
  }
  const { data, errors } = resp;
  bootErrors = errors;
  bootRetryAfter = 0;
  if (!data) return;
  bootDone = true;
  if (data.currentRelease) updateRelease(data.currentRelease);
  for (const v of data.vocabulary || []) {
    state.vocab.set(v.name, new Map((v.terms || []).map((x) => [x.code, labelsOf(x)])));
  }
  state.categories = (data.categories || []).map((c) => ({ code: c.code, concern: c.concern, labels: labelsOf(c) }));
}

async function loadRegions(jurisdiction, signal) {
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

// ---------------------------------------------------------------- routing

function parseHash() {
  let raw = location.hash.replace(/^#!?\/?/, '');
  const qi = raw.indexOf('?');
  const params = new URLSearchParams(qi >= 0 ? raw.slice(qi + 1) : '');
  raw = qi >= 0 ? raw.slice(0, qi) : raw;
  const segs = raw.split('/').filter(Boolean).map((s) => {
    try { return decodeURIComponent(s); } catch { return s; }
  });
  return { view: segs[0] || 'cases', arg: segs.length > 1 ? segs.slice(1).join('/') : null, params };
}

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

const VIEWS = {
  cases: viewCases,
  case: viewCase,
  statistics: viewStatistics,
  releases: viewReleases,
  sources: viewSources,
  methodology: viewMethodology,
};

async function route(opts = {}) {
  const r = parseHash();
  const prev = current;
  if (prev) prev.controller.abort();
  const controller = new AbortController();
  const sameView = prev && prev.view === r.view && prev.arg === r.arg;
  current = { view: r.view, arg: r.arg, controller };
  clearErrors();
  if (!bootDone) {
    await loadBoot();
    if (current.controller !== controller) return;
  }
  if (bootErrors.length) {
    showErrors(bootErrors);
    if (bootDone) bootErrors = []; // partial answer: say it once
  }
  for (const a of document.querySelectorAll('[data-nav]')) {
    const active = a.dataset.nav === r.view || (r.view === 'case' && a.dataset.nav === 'cases');
    if (active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const main = document.getElementById('main');
  const ctx = {
    signal: controller.signal,
    rebuild: !!opts.rebuild || !sameView,
    isCurrent: () => current && current.controller === controller,
    mount(node) {
      if (!ctx.isCurrent()) return;
      if (r.view !== 'cases') casesUI = null;
      if (r.view !== 'statistics') statsUI = null;
      main.replaceChildren(node);
      if (prev && !sameView) {
        window.scrollTo(0, 0);
        const title = node.querySelector('h1');
        if (title) title.focus({ preventScroll: true });
      }
    },
  };
  const view = VIEWS[r.view] || viewNotFound;
  let retryAfter = bootRetryAfter;
  try {
    await view(r, ctx);
  } catch (e) {
    if (ctx.isCurrent()) showException(e);
    if (e instanceof APIError && e.retryAfter) retryAfter = e.retryAfter;
  }
  // The server is still starting: try the same view again when it said to.
  if (retryAfter && ctx.isCurrent()) {
    setTimeout(() => { if (ctx.isCurrent()) route({ rebuild: true }); }, retryAfter * 1000);
  }
}

function viewNotFound(r, ctx) {
  setTitle(t('notFoundTitle'));
  ctx.mount(h('section', { class: 'view' },
    h('h1', { tabindex: '-1' }, t('notFoundTitle')),
    h('p', null, t('notFoundText')),
    h('p', null, h('a', { href: '#/cases' }, t('goHome')))));
}

// refocus puts the focus back on the form control that had it before a view was rebuilt
// around it, so typing in a filter is not interrupted.
function refocus(ctx, focusId) {
  if (ctx.rebuild || !focusId) return;
  const el = document.getElementById(focusId);
  if (el && el !== document.activeElement) el.focus({ preventScroll: true });
}

function loadingNode() {
  return h('p', { class: 'loading', role: 'status' }, t('loading'));
}

// ---------------------------------------------------------------- case filters

// The list filters, in the order of the form. key: name in the URL hash; field: CaseFilter
// field; enumName: the schema enumeration (regions have none).
const FACETS = [
  { key: 'regions', field: 'regions', label: 'fRegion' },
  { key: 'categories', field: 'categories', enumName: 'ContentCategory', label: 'fCategory' },
  { key: 'concerns', field: 'concerns', enumName: 'Concern', label: 'fConcern' },
  { key: 'platforms', field: 'platforms', enumName: 'Platform', label: 'fPlatform' },
  { key: 'kinds', field: 'defendantKinds', enumName: 'DefendantKind', label: 'fKind' },
  { key: 'liabilities', field: 'liabilities', enumName: 'Liability', label: 'fLiability' },
  { key: 'stages', field: 'stages', enumName: 'CaseStage', label: 'fStage' },
  { key: 'decisions', field: 'decisions', enumName: 'Decision', label: 'fDecision' },
  { key: 'sanctions', field: 'sanctions', enumName: 'Sanction', label: 'fSanction' },
  { key: 'appeals', field: 'appealStatuses', enumName: 'AppealStatus', label: 'fAppeal' },
];

const DEFAULT_ORDER = 'REPORTED_DESC';

function emptyFilters() {
  const s = { jurisdiction: null, lists: {}, from: '', to: '', q: '', order: DEFAULT_ORDER, after: null };
  for (const f of FACETS) s.lists[f.key] = [];
  return s;
}

// filtersFromParams reads the filters of a shared link, dropping what is not a valid code.
function filtersFromParams(p) {
  const s = emptyFilters();
  const j = p.get('jurisdiction');
  if (j && isCode('Jurisdiction', j)) s.jurisdiction = j;
  for (const f of FACETS) {
    const vals = (p.get(f.key) || '').split(',').map((v) => v.trim()).filter(Boolean);
    s.lists[f.key] = [...new Set(vals.filter((v) => (f.enumName
      ? isCode(f.enumName, v)
      : REGION_RE.test(v) && (!s.jurisdiction || v.startsWith(`${s.jurisdiction}-`)))))];
  }
  const from = p.get('from') || '';
  const to = p.get('to') || '';
  if (DATE_RE.test(from)) s.from = from;
  if (DATE_RE.test(to)) s.to = to;
  s.q = (p.get('q') || '').trim().slice(0, MAX_SEARCH_LENGTH);
  const order = p.get('order');
  if (order && isCode('CaseOrder', order)) s.order = order;
  s.after = p.get('after') || null;
  return s;
}

// filterParams writes the filters as hash parameters; lists stay readable ("categories=A,B").
function filterParams(s) {
  const parts = [];
  const add = (k, v) => parts.push(`${k}=${encodeURIComponent(v)}`);
  if (s.jurisdiction) add('jurisdiction', s.jurisdiction);
  for (const f of FACETS) {
    if (s.lists[f.key].length) parts.push(`${f.key}=${s.lists[f.key].map(encodeURIComponent).join(',')}`);
  }
  if (s.from) add('from', s.from);
  if (s.to) add('to', s.to);
  if (s.q) add('q', s.q);
  return parts;
}

// filtersHash writes the case list's address for filters s.
function filtersHash(s, after) {
  const parts = filterParams(s);
  if (s.order && s.order !== DEFAULT_ORDER) parts.push(`order=${encodeURIComponent(s.order)}`);
  if (after) parts.push(`after=${encodeURIComponent(after)}`);
  return `#/cases${parts.length ? `?${parts.join('&')}` : ''}`;
}

// caseFilter turns the filters into the CaseFilter variable; empty parts are left out.
function caseFilter(s) {
  const f = {};
  if (s.jurisdiction) f.jurisdiction = s.jurisdiction;
  for (const d of FACETS) if (s.lists[d.key].length) f[d.field] = s.lists[d.key];
  if (s.from) f.reportedFrom = s.from;
  if (s.to) f.reportedTo = s.to;
  if (s.q) f.search = s.q;
  return f;
}

function facetOptions(f, regions) {
  if (f.key === 'regions') return regions.map((r) => ({ code: r.code, label: `${regionLabel(r)} (${r.code})` }));
  if (f.key === 'categories') {
    return codes('ContentCategory').map((c) => ({ code: c, label: categoryLabel(c) }));
  }
  return codes(f.enumName).map((c) => ({ code: c, label: term(f.enumName, c) }));
}

// facetDetails builds one collapsible group of checkboxes and records it in ui.facets.
// prefix keeps the ids of two forms apart.
function facetDetails(ui, f, regions, prefix = 'f') {
  const options = facetOptions(f, regions);
  const summaryCount = h('span', { class: 'facet-count' });
  const boxes = options.map((o) => {
    const id = `${prefix}-${f.key}-${o.code}`;
    return h('label', { class: 'check', for: id },
      h('input', { type: 'checkbox', id, name: f.key, value: o.code }), ' ', o.label);
  });
  const details = h('details', { class: 'facet', dataset: { facet: f.key } },
    h('summary', null, h('span', null, t(f.label)), ' ', summaryCount),
    h('fieldset', null, h('legend', { class: 'visually-hidden' }, t(f.label)),
      boxes.length ? boxes : h('p', { class: 'hint' }, '—')));
  const openKey = `${prefix}:${f.key}`;
  if (openFacets.has(openKey)) details.open = true;
  details.addEventListener('toggle', () => {
    if (details.open) openFacets.add(openKey); else openFacets.delete(openKey);
  });
  ui.facets[f.key] = { details, count: summaryCount };
  return details;
}

// syncFacets shows the lists of s in the checkboxes and counts of ui.facets.
function syncFacets(ui, s) {
  for (const key of Object.keys(ui.facets)) {
    const selected = new Set(s.lists[key]);
    for (const box of ui.form.querySelectorAll(`input[type=checkbox][name="${key}"]`)) {
      if (box.checked !== selected.has(box.value)) box.checked = selected.has(box.value);
    }
    const n = selected.size;
    ui.facets[key].count.textContent = n ? `(${t('selectedN', n)})` : '';
    ui.facets[key].details.classList.toggle('has-selection', n > 0);
  }
}

function buildFilterForm(s, regions) {
  const form = h('form', { class: 'filters', id: 'filters', role: 'search', 'aria-labelledby': 'filters-title', novalidate: true });
  const ui = { form, facets: {} };

  const jurisdiction = h('select', { id: 'f-jurisdiction', name: 'jurisdiction' },
    h('option', { value: '' }, t('any')),
    codes('Jurisdiction').map((c) => h('option', { value: c }, term('Jurisdiction', c))));
  const order = h('select', { id: 'f-order', name: 'order' },
    codes('CaseOrder').map((c) => h('option', { value: c }, term('CaseOrder', c))));
  const from = h('input', { id: 'f-from', name: 'from', type: 'date', min: '2000-01-01', max: '2099-12-31' });
  const to = h('input', { id: 'f-to', name: 'to', type: 'date', min: '2000-01-01', max: '2099-12-31' });
  const search = h('input', {
    id: 'f-search', name: 'q', type: 'search', maxlength: String(MAX_SEARCH_LENGTH),
    'aria-describedby': 'f-search-hint', autocomplete: 'off', spellcheck: 'false',
  });
  Object.assign(ui, { jurisdiction, order, from, to, search });

  const field = (id, label, control, extra) => h('div', { class: 'field' },
    h('label', { for: id }, label), control, extra || null);

  form.append(
    h('h2', { id: 'filters-title', class: 'visually-hidden' }, t('filters')),
    h('div', { class: 'filter-row filter-row-main' },
      h('div', { class: 'field field-search' },
        h('label', { for: 'f-search' }, t('fSearch')),
        h('div', { class: 'search-box' }, search, h('button', { type: 'submit', class: 'primary' }, t('apply'))),
        h('p', { id: 'f-search-hint', class: 'hint' }, t('fSearchHint'))),
      field('f-jurisdiction', t('fJurisdiction'), jurisdiction),
      field('f-from', t('fFrom'), from),
      field('f-to', t('fTo'), to),
      field('f-order', t('fOrder'), order)),
  );

  const facetBox = h('div', { class: 'facets' });
  for (const f of FACETS) facetBox.append(facetDetails(ui, f, regions));
  form.append(facetBox);

  ui.chips = h('div', { class: 'chips', 'aria-live': 'polite' });
  form.append(ui.chips);

  // Every choice applies at once; the search text on submit (Enter or the button). Dates
  // wait a moment: typing a year fires a change per digit.
  let dateTimer = 0;
  form.addEventListener('change', (ev) => {
    if (ev.target === search) return;
    clearTimeout(dateTimer);
    if (ev.target === from || ev.target === to) {
      const origin = ev.target;
      dateTimer = setTimeout(() => applyForm(ui, origin), 700);
      return;
    }
    applyForm(ui, ev.target);
  });
  // The clear button of the search box.
  search.addEventListener('search', () => {
    if (search.value === '') applyForm(ui, search);
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    applyForm(ui, search);
  });
  return ui;
}

function formFilters(ui) {
  const s = emptyFilters();
  s.jurisdiction = ui.jurisdiction.value || null;
  s.order = ui.order.value || DEFAULT_ORDER;
  s.from = ui.from.value;
  s.to = ui.to.value;
  s.q = ui.search.value.trim().slice(0, MAX_SEARCH_LENGTH);
  for (const f of FACETS) {
    s.lists[f.key] = [...ui.form.querySelectorAll(`input[type=checkbox][name="${f.key}"]:checked`)].map((i) => i.value);
  }
  // Regions belong to one jurisdiction.
  if (s.jurisdiction) s.lists.regions = s.lists.regions.filter((r) => r.startsWith(`${s.jurisdiction}-`));
  return s;
}

function applyForm(ui, origin) {
  for (const d of [ui.from, ui.to]) {
    if (d.value && !DATE_RE.test(d.value)) {
      showErrors([{ message: t('errDateFormat') }]);
      return;
    }
  }
  const s = formFilters(ui);
  ui.pendingFocus = origin && origin.id ? origin.id : null;
  navigate(filtersHash(s, null));
}

// syncForm shows s in the form, touching only controls whose value differs (so that a date
// being typed or a select being browsed is not reset under the user's hands).
function syncForm(ui, s) {
  const set = (el, v) => { if (el.value !== v) el.value = v; };
  set(ui.jurisdiction, s.jurisdiction || '');
  set(ui.order, s.order);
  set(ui.from, s.from);
  set(ui.to, s.to);
  if (ui.search.value.trim() !== s.q) ui.search.value = s.q;
  syncFacets(ui, s);
  renderChips(ui, s);
}

// renderChips lists the active filters as buttons that remove one each. toHash gives the
// address of the filters left (the case list's unless told otherwise).
function renderChips(ui, s, toHash = (n) => filtersHash(n, null), resetHash = '#/cases') {
  const chips = [];
  // chip adds a button that removes one filter: without(copy) edits a copy of s.
  const chip = (label, value, without) => {
    const text = `${label}: ${value}`;
    chips.push(h('button', {
      type: 'button', class: 'chip', 'aria-label': t('removeFilter', text),
      onclick: () => {
        const next = JSON.parse(JSON.stringify(s));
        without(next);
        navigate(toHash(next));
      },
    }, h('span', null, text), h('span', { class: 'chip-x', 'aria-hidden': 'true' }, '×')));
  };
  if (s.jurisdiction) {
    chip(t('fJurisdiction'), term('Jurisdiction', s.jurisdiction), (n) => { n.jurisdiction = null; });
  }
  for (const f of FACETS) {
    for (const code of s.lists[f.key]) {
      let label;
      if (f.key === 'regions') {
        const r = [...state.regions.values()].flat().find((x) => x.code === code);
        label = r ? regionLabel(r) : code;
      } else if (f.key === 'categories') label = categoryLabel(code);
      else label = term(f.enumName, code);
      chip(t(f.label), label, (n) => { n.lists[f.key] = n.lists[f.key].filter((c) => c !== code); });
    }
  }
  if (s.from) chip(t('fFrom'), s.from, (n) => { n.from = ''; });
  if (s.to) chip(t('fTo'), s.to, (n) => { n.to = ''; });
  if (s.q) chip(t('fSearch'), t('quoted', s.q), (n) => { n.q = ''; });
  if (chips.length) {
    ui.chips.replaceChildren(
      h('span', { class: 'chips-label' }, t('activeFilters')), ' ', ...chips, ' ',
      h('a', { href: resetHash, class: 'reset-link' }, t('reset')));
  } else {
    ui.chips.replaceChildren();
  }
}

// ---------------------------------------------------------------- view: cases

function filterKey(s) {
  return filtersHash({ ...s, after: null }, null);
}

function latestAppeal(c) {
  const appeals = c.appeals || [];
  return appeals.length ? appeals[appeals.length - 1] : null;
}

function casesTable(edges) {
  const cols = [
    t('colReference'), t('colReported'), t('fJurisdiction'), t('fRegion'), t('fCategory'),
    t('colArticle'), t('fStage'), t('fDecision'), t('fSanction'), t('colFine'), t('colAppeal'),
  ];
  const tbody = h('tbody');
  for (const { node: c } of edges) {
    const href = `#/case/${encodeURIComponent(c.reference)}`;
    const appeal = latestAppeal(c);
    const o = c.outcome;
    const row = h('tr', { class: 'clickable', dataset: { href } },
      h('th', { scope: 'row' }, h('a', { href, class: 'ref' }, c.reference)),
      h('td', { class: 'nowrap' }, c.reportedMonth),
      h('td', null, term('Jurisdiction', c.jurisdiction)),
      h('td', null, c.region ? c.region.name || c.region.code : h('span', { class: 'muted' }, t('withheld'))),
      h('td', null, c.category ? h('span', { class: 'cat' }, categoryLabel(c.category)) : h('span', { class: 'muted' }, t('withheld')),
        ' ', concernTag(c.concern)),
      h('td', { class: 'nowrap' }, c.article ? c.article.code : dash()),
      h('td', null, term('CaseStage', c.stage)),
      h('td', null, o ? term('Decision', o.decision) : dash()),
      h('td', null, o && o.sanction ? term('Sanction', o.sanction) : dash()),
      h('td', { class: 'num' }, o && o.fineBand ? fineBandNode(o.fineBand) : dash()),
      h('td', null, appeal
        ? [appeal.level === 'CASSATION' ? `${term('AppealLevel', appeal.level)}: ` : '', term('AppealStatus', appeal.status)]
        : dash()));
    tbody.append(row);
  }
  tbody.addEventListener('click', (ev) => {
    if (ev.target.closest('a, button')) return;
    const sel = window.getSelection && window.getSelection();
    if (sel && String(sel).length) return; // selecting text, not opening
    const tr = ev.target.closest('tr[data-href]');
    if (tr) navigate(tr.dataset.href);
  });
  return h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': 'cases-caption', tabindex: '0' },
    h('table', { class: 'data cases-table' },
      h('caption', { id: 'cases-caption', class: 'visually-hidden' }, t('casesCaption')),
      h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
      tbody));
}

function refForm() {
  const input = h('input', {
    id: 'open-ref', type: 'text', placeholder: t('openRefPlaceholder'), autocomplete: 'off',
    spellcheck: 'false', maxlength: '64', class: 'ref-input',
  });
  return h('form', {
    class: 'ref-form',
    onsubmit: (ev) => {
      ev.preventDefault();
      const ref = input.value.trim().toUpperCase();
      if (ref) navigate(`#/case/${encodeURIComponent(ref)}`);
    },
  }, h('label', { for: 'open-ref' }, t('openRef')), ' ', input, ' ', h('button', { type: 'submit' }, t('open')));
}

async function viewCases(r, ctx) {
  const s = filtersFromParams(r.params);
  lastCasesHash = location.hash || '#/cases';
  setTitle(t('casesTitle'));

  let regions = [];
  try {
    regions = await loadRegions(s.jurisdiction, ctx.signal);
  } catch (e) {
    if (!ctx.isCurrent()) return;
    showException(e);
  }
  if (!ctx.isCurrent()) return;
  const known = new Set(regions.map((x) => x.code));
  if (regions.length) s.lists.regions = s.lists.regions.filter((c) => known.has(c));

  const uiKey = `${state.lang}|${s.jurisdiction || ''}|${regions.length}`;
  const main = document.getElementById('main');
  let ui = casesUI;
  if (ctx.rebuild || !ui || ui.key !== uiKey || !main.contains(ui.root)) {
    const focusId = (ui && ui.pendingFocus) || (document.activeElement && document.activeElement.id);
    ui = buildFilterForm(s, regions);
    ui.key = uiKey;
    ui.status = h('p', { class: 'result-status', role: 'status', id: 'result-status' });
    ui.results = h('div', { class: 'results', id: 'results' });
    ui.root = h('section', { class: 'view view-cases' },
      h('div', { class: 'view-head' },
        h('h1', { tabindex: '-1' }, t('casesTitle')),
        refForm()),
      h('p', { class: 'intro' }, t('casesIntro')),
      ui.form, ui.status, ui.results);
    ctx.mount(ui.root);
    casesUI = ui;
    refocus(ctx, focusId);
  }
  ui.pendingFocus = null;
  syncForm(ui, s);

  if (s.from && s.to && s.from > s.to) {
    ui.status.textContent = '';
    ui.results.replaceChildren();
    showErrors([{ message: t('errDateOrder') }]);
    return;
  }

  ui.status.textContent = t('loading');
  ui.results.classList.add('is-loading');
  ui.results.setAttribute('aria-busy', 'true');
  let resp;
  try {
    resp = await gql(Q_CASES, {
      filter: caseFilter(s), orderBy: s.order, first: PAGE_SIZE, after: s.after, lang: state.lang,
    }, ctx.signal);
  } finally {
    if (ctx.isCurrent()) {
      ui.results.classList.remove('is-loading');
      ui.results.removeAttribute('aria-busy');
    }
  }
  if (!ctx.isCurrent()) return;
  const { data, errors } = resp;
  if (errors.length) showErrors(errors);
  if (data && data.currentRelease) updateRelease(data.currentRelease);
  const conn = data && data.cases;
  if (!conn) {
    ui.status.textContent = '';
    ui.results.replaceChildren(pager(s, null, null));
    return;
  }

  const key = filterKey(s);
  const memo = s.after ? pageMemo.get(`${key}\u0000${s.after}`) : { prev: null, start: 0 };
  const edges = conn.edges || [];
  if (memo && conn.pageInfo && conn.pageInfo.endCursor) {
    pageMemo.set(`${key}\u0000${conn.pageInfo.endCursor}`, { prev: s.after, start: memo.start + edges.length });
  }
  if (edges.length && memo) {
    ui.status.textContent = t('showingRange', fmtInt(memo.start + 1), fmtInt(memo.start + edges.length), fmtInt(conn.totalCount));
  } else {
    ui.status.textContent = t('totalN', fmtInt(conn.totalCount));
  }
  ui.results.replaceChildren(
    edges.length ? casesTable(edges) : h('p', { class: 'empty-state' }, t('noCases')),
    pager(s, conn.pageInfo, memo));
}

function pager(s, pageInfo, memo) {
  const links = [];
  if (s.after) {
    links.push(h('a', { href: filtersHash(s, null), class: 'button' }, t('firstPage')));
    if (memo && memo.prev) links.push(h('a', { href: filtersHash(s, memo.prev), class: 'button', rel: 'prev' }, t('prevPage')));
  }
  if (pageInfo && pageInfo.hasNextPage && pageInfo.endCursor) {
    links.push(h('a', { href: filtersHash(s, pageInfo.endCursor), class: 'button primary', rel: 'next' }, t('nextPage')));
  }
  if (!links.length) return h('span');
  return h('nav', { class: 'pager', 'aria-label': t('pagination') }, links);
}

// ---------------------------------------------------------------- view: case

function dl(rows) {
  return h('dl', { class: 'fields' }, rows.filter(Boolean).map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

async function viewCase(r, ctx) {
  const reference = (r.arg || '').trim();
  setTitle(t('caseTitle', reference));
  const back = h('p', { class: 'back' }, h('a', { href: lastCasesHash }, t('backToCases')));
  const title = h('h1', { tabindex: '-1' }, t('caseTitle', reference));
  const body = h('div', { class: 'case-body' }, loadingNode());
  ctx.mount(h('article', { class: 'view view-case' }, back, title, body));

  const { data, errors } = await gql(Q_CASE, { reference, lang: state.lang }, ctx.signal);
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
      ? [h('span', { class: 'nowrap' }, article.code), article.title ? ` — ${article.title}` : '',
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

  const appeals = (c.appeals || []).length
    ? h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': 'sec-appeals', tabindex: '0' },
      h('table', { class: 'data' },
        h('thead', null, h('tr', null, [t('colLevel'), t('colFiledBy'), t('colFiled'), t('colStatus'), t('fieldDecidedMonth'), t('colFineAfter')]
          .map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', null, c.appeals.map((a) => h('tr', null,
          h('th', { scope: 'row' }, term('AppealLevel', a.level)),
          h('td', null, a.filedBy ? term('AppealParty', a.filedBy) : dash()),
          h('td', { class: 'nowrap' }, orDash(a.filedMonth)),
          h('td', null, term('AppealStatus', a.status)),
          h('td', { class: 'nowrap' }, orDash(a.decidedMonth)),
          h('td', { class: 'num' }, fineBandNode(a.fineBand)))))))
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

// ---------------------------------------------------------------- view: releases

function releaseRows(edges) {
  const currentVersion = state.release ? state.release.version : null;
  return edges.map(({ node: rel }) => h('tr', null,
    h('th', { scope: 'row', class: 'nowrap' }, `v${rel.version}`,
      rel.version === currentVersion ? [' ', badge(t('current'), 'badge-current')] : null),
    h('td', { class: 'nowrap' }, fmtTime(rel.publishedAt)),
    h('td', { class: 'note' }, orDash(rel.note)),
    h('td', null, rel.synthetic ? badge(t('syntheticBadge'), 'badge-synthetic') : t('real')),
    h('td', { class: 'num' }, fmtInt(rel.rowsAdded)),
    h('td', { class: 'num' }, fmtInt(rel.rowsUpdated)),
    h('td', { class: 'num' }, fmtInt(rel.rowsUnchanged)),
    h('td', null, rel.checksum ? h('code', { class: 'checksum' }, rel.checksum) : dash())));
}

async function viewReleases(r, ctx) {
  setTitle(t('releasesTitle'));
  const status = h('p', { class: 'result-status', role: 'status' }, t('loading'));
  const results = h('div');
  ctx.mount(h('section', { class: 'view' },
    h('h1', { tabindex: '-1' }, t('releasesTitle')),
    h('p', { class: 'intro' }, t('releasesIntro')),
    status, results));

  const { data, errors } = await gql(Q_RELEASES, { first: RELEASES_PAGE_SIZE, after: null }, ctx.signal);
  if (!ctx.isCurrent()) return;
  if (errors.length) showErrors(errors);
  if (data && data.currentRelease) updateRelease(data.currentRelease);
  const conn = data && data.releases;
  if (!conn) { status.textContent = ''; return; }
  status.textContent = t('releasesTotal', fmtInt(conn.totalCount));
  if (!conn.edges.length) { results.replaceChildren(h('p', { class: 'empty-state' }, t('noRows'))); return; }

  const tbody = h('tbody', null, releaseRows(conn.edges));
  const more = h('div', { class: 'pager' });
  let pageInfo = conn.pageInfo;
  const renderMore = () => {
    more.replaceChildren();
    if (!pageInfo || !pageInfo.hasNextPage || !pageInfo.endCursor) return;
    const btn = h('button', { type: 'button', class: 'primary' }, t('loadMore'));
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try {
        const next = await gql(Q_RELEASES, { first: RELEASES_PAGE_SIZE, after: pageInfo.endCursor }, ctx.signal);
        if (!ctx.isCurrent()) return;
        if (next.errors.length) showErrors(next.errors);
        const c2 = next.data && next.data.releases;
        if (c2) { tbody.append(...releaseRows(c2.edges)); pageInfo = c2.pageInfo; }
      } catch (e) { if (ctx.isCurrent()) showException(e); }
      renderMore();
    });
    more.append(btn);
  };
  renderMore();
  results.replaceChildren(
    h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': 'releases-caption', tabindex: '0' },
      h('table', { class: 'data' },
        h('caption', { id: 'releases-caption', class: 'visually-hidden' }, t('releasesTitle')),
        h('thead', null, h('tr', null, [t('colVersion'), t('colPublished'), t('colNote'), t('colData'), t('colAdded'), t('colUpdated'), t('colUnchanged'), t('colChecksum')]
          .map((x) => h('th', { scope: 'col' }, x)))),
        tbody)),
    more);
}

// ---------------------------------------------------------------- view: sources

function simpleTable(captionId, caption, headers, rows) {
  if (!rows.length) return h('p', { class: 'empty-state' }, t('noRows'));
  return h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': captionId, tabindex: '0' },
    h('table', { class: 'data' },
      h('caption', { id: captionId, class: 'visually-hidden' }, caption),
      h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, rows)));
}

async function viewSources(r, ctx) {
  setTitle(t('sourcesTitle'));
  const body = h('div', null, loadingNode());
  ctx.mount(h('section', { class: 'view' },
    h('h1', { tabindex: '-1' }, t('sourcesTitle')),
    h('p', { class: 'intro' }, t('sourcesIntro')),
    body));

  const { data, errors } = await gql(Q_SOURCES, { lang: state.lang }, ctx.signal);
  if (!ctx.isCurrent()) return;
  if (errors.length) showErrors(errors);
  if (!data) { body.replaceChildren(); return; }
  if (data.currentRelease) updateRelease(data.currentRelease);

  const figures = (data.officialFigures || []).map((f) => h('tr', null,
    h('td', null, term('Jurisdiction', f.jurisdiction)),
    h('th', { scope: 'row' }, f.metric),
    h('td', { class: 'nowrap' }, f.periodStart === f.periodEnd ? f.periodStart : `${f.periodStart} – ${f.periodEnd}`),
    h('td', { class: 'num' }, `${fmtNumber(f.value, 3)} ${f.unit}`),
    h('td', { class: 'note' }, f.definition),
    h('td', { class: 'note' }, sourceNode(f.source)),
    h('td', null, f.verified)));

  const units = (data.indexUnits || []).slice()
    .sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction) || a.year - b.year)
    .map((u) => h('tr', null,
      h('td', null, term('Jurisdiction', u.jurisdiction)),
      h('th', { scope: 'row' }, String(u.year)),
      h('td', null, unitAbbr(u.unit, u.year)),
      h('td', { class: 'num' }, `${fmtInt(u.value)} ${u.currency}`),
      h('td', { class: 'note' }, sourceNode(u.source))));

  const articles = (data.articles || []).slice()
    .sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction) || a.code.localeCompare(b.code, 'en', { numeric: true }))
    .map((a) => h('tr', null,
      h('th', { scope: 'row', class: 'nowrap' }, a.code),
      h('td', null, term('Jurisdiction', a.jurisdiction)),
      h('td', null, term('Liability', a.liability)),
      h('td', null, a.title || h('span', { class: 'muted' }, t('untitled'))),
      h('td', { class: 'note' }, orDash(a.penalties)),
      h('td', null, a.listed ? t('yes') : t('no')),
      h('td', { class: 'note' }, a.verification)));

  body.replaceChildren(
    h('section', { 'aria-labelledby': 'sec-figures' },
      h('h2', { id: 'sec-figures' }, t('secFigures')),
      simpleTable('cap-figures', t('secFigures'),
        [t('fJurisdiction'), t('colMetric'), t('colPeriod'), t('colValue'), t('colDefinition'), t('colSource'), t('colVerified')], figures)),
    h('section', { 'aria-labelledby': 'sec-units' },
      h('h2', { id: 'sec-units' }, t('secIndexUnits')),
      simpleTable('cap-units', t('secIndexUnits'),
        [t('fJurisdiction'), t('colYear'), t('colUnit'), t('colValue'), t('colSource')], units)),
    h('section', { 'aria-labelledby': 'sec-articles' },
      h('h2', { id: 'sec-articles' }, t('secArticles')),
      simpleTable('cap-articles', t('secArticles'),
        [t('colArticle'), t('fJurisdiction'), t('fLiability'), t('colTitle'), t('colPenalties'), t('colListed'), t('colVerification')], articles)));
}

// ---------------------------------------------------------------- view: statistics

// The groupings offered, in the order of the schema; REGION first as the default.
const DEFAULT_DIMENSION = 'REGION';
// The filters the statistics form offers; the others still apply when a link carries them.
const STATS_FACETS = ['concerns', 'categories'];
// How a grouped value narrows the case list: the CaseFilter field it sets. ARTICLE has no
// place in the case list's filters, so it gets no link. Strict JSON (web_test.go checks it
// against schema.graphqls).
const DIMENSION_FILTER = /* dimension-filters */ {
  "JURISDICTION": "jurisdiction",
  "REGION": "regions",
  "CATEGORY": "categories",
  "CONCERN": "concerns",
  "PLATFORM": "platforms",
  "LIABILITY": "liabilities",
  "DEFENDANT_KIND": "defendantKinds",
  "STAGE": "stages",
  "DECISION": "decisions",
  "SANCTION": "sanctions",
  "APPEAL_STATUS": "appealStatuses"
};
const PERIOD_RE = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/;

let statsUI = null; // the mounted statistics form, reused while only the choices change

function statsFromParams(p) {
  const s = filtersFromParams(p);
  s.order = DEFAULT_ORDER;
  s.after = null;
  const by = p.get('by');
  s.by = by && isCode('Dimension', by) ? by : DEFAULT_DIMENSION;
  const interval = p.get('interval');
  s.interval = interval && isCode('Interval', interval) ? interval : null;
  return s;
}

function statsHash(s) {
  const parts = [];
  if (s.by && s.by !== DEFAULT_DIMENSION) parts.push(`by=${encodeURIComponent(s.by)}`);
  if (s.interval) parts.push(`interval=${encodeURIComponent(s.interval)}`);
  parts.push(...filterParams(s));
  return `#/statistics${parts.length ? `?${parts.join('&')}` : ''}`;
}

// periodRange gives the first and last day of "2024", "2024-Q2" or "2024-05".
function periodRange(period) {
  const m = PERIOD_RE.exec(period || '');
  if (!m) return null;
  const y = Number(m[1]);
  let first = 1;
  let last = 12;
  if (m[2]) { first = (Number(m[2]) - 1) * 3 + 1; last = first + 2; } else if (m[3]) { first = Number(m[3]); last = first; }
  const lastDay = new Date(Date.UTC(y, last, 0)).getUTCDate();
  const pad = (n) => String(n).padStart(2, '0');
  return { from: `${y}-${pad(first)}-01`, to: `${y}-${pad(last)}-${pad(lastDay)}` };
}

// bucketCasesHash is the case list of one bucket: the statistics filters narrowed to the
// bucket's value and, per period, to its report dates (cases are counted by report date).
function bucketCasesHash(s, bucket) {
  const n = JSON.parse(JSON.stringify(s));
  for (const k of bucket.key || []) {
    const field = DIMENSION_FILTER[k.dimension];
    if (!field || k.code === 'NONE') return null;
    if (field === 'jurisdiction') {
      if (!isCode('Jurisdiction', k.code)) return null;
      n.jurisdiction = k.code;
      n.lists.regions = n.lists.regions.filter((r) => r.startsWith(`${k.code}-`));
    } else {
      const f = FACETS.find((x) => x.field === field);
      if (!f) return null;
      const valid = f.enumName ? isCode(f.enumName, k.code) : REGION_RE.test(k.code);
      if (!valid) return null;
      n.lists[f.key] = [k.code];
    }
  }
  if (bucket.period) {
    const r = periodRange(bucket.period);
    if (!r) return null;
    if (!n.from || n.from < r.from) n.from = r.from;
    if (!n.to || n.to > r.to) n.to = r.to;
    if (n.from > n.to) return null;
  }
  return filtersHash(n, null);
}

// A withheld or undefined figure: a dash with the reason as its tooltip, and a short word
// for screen readers (the note above the table explains it in full). Never a zero.
function withheldNode(reason, short) {
  return h('span', { class: 'withheld', title: reason },
    h('span', { 'aria-hidden': 'true' }, '—'),
    h('span', { class: 'visually-hidden' }, short || reason));
}

// Only these groupings have a population to divide by (see StatBucket.countPer100k).
function hasPer100k(by) {
  return by === 'REGION' || by === 'JURISDICTION';
}

function fmtPercent(x) {
  try {
    return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(x);
  } catch { return `${Math.round(x * 1000) / 10}%`; }
}

function buildStatsForm(s, regions) {
  const form = h('form', { class: 'filters', id: 'stats-filters', 'aria-labelledby': 'stats-filters-title', novalidate: true });
  const ui = { form, facets: {} };
  ui.by = h('select', { id: 's-by', name: 'by' },
    codes('Dimension').map((c) => h('option', { value: c }, term('Dimension', c))));
  ui.interval = h('select', { id: 's-interval', name: 'interval' },
    h('option', { value: '' }, t('intervalNone')),
    codes('Interval').map((c) => h('option', { value: c }, t(`interval${c}`))));
  ui.jurisdiction = h('select', { id: 's-jurisdiction', name: 'jurisdiction' },
    h('option', { value: '' }, t('any')),
    codes('Jurisdiction').map((c) => h('option', { value: c }, term('Jurisdiction', c))));
  ui.from = h('input', { id: 's-from', name: 'from', type: 'date', min: '2000-01-01', max: '2099-12-31' });
  ui.to = h('input', { id: 's-to', name: 'to', type: 'date', min: '2000-01-01', max: '2099-12-31' });
  const field = (control, label) => h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
  form.append(
    h('h2', { id: 'stats-filters-title', class: 'visually-hidden' }, t('filters')),
    h('div', { class: 'filter-row filter-row-stats' },
      field(ui.by, t('statsGroupBy')),
      field(ui.interval, t('statsInterval')),
      field(ui.jurisdiction, t('fJurisdiction')),
      field(ui.from, t('fFrom')),
      field(ui.to, t('fTo'))),
    h('div', { class: 'facets' },
      STATS_FACETS.map((key) => facetDetails(ui, FACETS.find((f) => f.key === key), regions, 's'))));
  ui.chips = h('div', { class: 'chips', 'aria-live': 'polite' });
  form.append(ui.chips);

  let dateTimer = 0;
  form.addEventListener('change', (ev) => {
    clearTimeout(dateTimer);
    if (ev.target === ui.from || ev.target === ui.to) {
      dateTimer = setTimeout(() => applyStatsForm(ui, ev.target), 700);
      return;
    }
    applyStatsForm(ui, ev.target);
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    applyStatsForm(ui, null);
  });
  return ui;
}

// applyStatsForm reads the form over the current choices, so filters the form does not
// show (regions, platforms, … from a shared link) are kept.
function applyStatsForm(ui, origin) {
  for (const d of [ui.from, ui.to]) {
    if (d.value && !DATE_RE.test(d.value)) {
      showErrors([{ message: t('errDateFormat') }]);
      return;
    }
  }
  const s = JSON.parse(JSON.stringify(ui.state));
  s.by = ui.by.value || DEFAULT_DIMENSION;
  s.interval = ui.interval.value || null;
  s.jurisdiction = ui.jurisdiction.value || null;
  s.from = ui.from.value;
  s.to = ui.to.value;
  for (const key of STATS_FACETS) {
    s.lists[key] = [...ui.form.querySelectorAll(`input[type=checkbox][name="${key}"]:checked`)].map((i) => i.value);
  }
  if (s.jurisdiction) s.lists.regions = s.lists.regions.filter((r) => r.startsWith(`${s.jurisdiction}-`));
  ui.pendingFocus = origin && origin.id ? origin.id : null;
  navigate(statsHash(s));
}

function syncStatsForm(ui, s) {
  ui.state = s;
  const set = (el, v) => { if (el.value !== v) el.value = v; };
  set(ui.by, s.by);
  set(ui.interval, s.interval || '');
  set(ui.jurisdiction, s.jurisdiction || '');
  set(ui.from, s.from);
  set(ui.to, s.to);
  syncFacets(ui, s);
  renderChips(ui, s, statsHash, statsHash({ ...emptyFilters(), by: s.by, interval: s.interval }));
}

// funnelNode draws the funnel: detections and cases as two groups with their own scales,
// since a detection is never linked to a case.
function funnelNode(funnel) {
  const k = funnel.suppressionThreshold;
  const steps = funnel.steps || [];
  const detectionSteps = steps.filter((x) => x.step === 'DETECTED' || x.step === 'REFERRED');
  const caseSteps = steps.filter((x) => x.step !== 'DETECTED' && x.step !== 'REFERRED');
  const scaleOf = (group) => {
    const first = group.find((x) => x.available && !x.suppressed && x.count !== null);
    const max = Math.max(0, ...group.map((x) => x.count || 0));
    return first && first.count > 0 ? Math.max(first.count, max) : max;
  };
  const list = (group, cls) => {
    const scale = scaleOf(group);
    return h('ol', { class: `funnel ${cls}` }, group.map((x) => {
      let value;
      let bar = null;
      if (!x.available) {
        value = h('span', { class: 'funnel-na', title: t('funnelUnavailableTitle') }, t('funnelUnavailable'));
      } else if (x.suppressed || x.count === null) {
        value = h('span', { class: 'withheld' }, t('funnelWithheld', fmtInt(k)));
      } else {
        value = [h('strong', null, fmtInt(x.count)),
          x.shareOfPrevious !== null && x.shareOfPrevious !== undefined
            ? [' ', h('span', { class: 'funnel-share' }, t('shareOfPrevious', fmtPercent(x.shareOfPrevious)))]
            : null];
        const fill = h('span', { class: 'funnel-fill' });
        // CSSOM, not a style attribute: allowed by the page's Content-Security-Policy.
        fill.style.width = `${scale > 0 ? Math.max(0, Math.min(100, (x.count / scale) * 100)) : 0}%`;
        bar = fill;
      }
      return h('li', { class: `funnel-step${x.available ? '' : ' is-na'}${x.suppressed ? ' is-withheld' : ''}` },
        h('span', { class: 'funnel-label' }, x.label || term('FunnelStepKind', x.step)),
        h('span', { class: 'funnel-bar', 'aria-hidden': 'true' }, bar),
        h('span', { class: 'funnel-value' }, value));
    }));
  };
  return [
    h('h3', null, t('funnelDetections')),
    h('p', { class: 'hint' }, t('funnelDetectionsNote')),
    list(detectionSteps, 'funnel-detections'),
    h('h3', null, t('funnelCases')),
    list(caseSteps, 'funnel-cases'),
  ];
}

// statsTable shows the buckets and their total. Every null figure is a dash that says why.
function statsTable(s, stats) {
  const k = stats.suppressionThreshold;
  const withheld = () => withheldNode(t('withheldCell', fmtInt(k)), t('withheld'));
  const notShown = () => withheldNode(t('notShownCell', fmtInt(k)), t('notShown'));
  const per100k = hasPer100k(s.by);
  const num = (v, node) => h('td', { class: 'num' }, v === null || v === undefined ? node() : fmtInt(v));
  const measure = (v, fmt) => h('td', { class: 'num' }, v === null || v === undefined ? notShown() : fmt(v));
  const fineCell = (fines) => {
    if (!fines || !fines.length) return h('td', { class: 'num' }, dash());
    return h('td', { class: 'num' }, fines.map((f) => {
      if (f.count === null || f.count === undefined) return h('div', null, withheld(), ' ', f.currency);
      if (f.median === null || f.median === undefined) return h('div', null, notShown(), ' ', f.currency);
      const wrap = h('span', { class: 'money' },
        h('span', { class: 'money-amount' }, `${fmtNumber(f.median, 0)} ${f.currency}`));
      const iu = f.indexUnits;
      if (iu && iu.median !== null && iu.median !== undefined) {
        wrap.append(h('span', { class: 'money-units' }, `${fmtNumber(iu.median)} `, unitAbbr(iu.unit)));
      }
      return h('div', null, wrap);
    }));
  };
  const figures = (b, isTotal) => [
    num(b.count, withheld),
    !per100k ? null : h('td', { class: 'num' }, isTotal ? dash() : b.countPer100k !== null && b.countPer100k !== undefined
      ? fmtNumber(b.countPer100k, 1)
      : b.count === null || b.count === undefined ? withheld() : withheldNode(t('per100kCell'), t('notAvailable'))),
    num(b.liable, withheld),
    num(b.fined, withheld),
    fineCell(b.fines),
    num(b.appealed, withheld),
    num(b.appealsSucceeded, withheld),
    measure(b.medianDaysToDecision, (v) => fmtNumber(v, 1)),
    measure(b.prosecutorRejectionRate, fmtPercent),
    measure(b.expertNoOffenceRate, fmtPercent),
  ];

  const dimLabel = term('Dimension', s.by);
  const headers = [dimLabel, s.interval ? t('colPeriod') : null, t('colCases'), per100k ? t('colPer100k') : null, t('colLiable'),
    t('colFined'), t('colMedianFine'), t('colAppealed'), t('colAppealsSucceeded'), t('colMedianDays'),
    t('colRejection'), t('colNoOffence')].filter(Boolean);

  const tbody = h('tbody', null, (stats.buckets || []).map((b) => {
    const key = b.key || [];
    const label = key.map((x) => (x.code === 'NONE' ? t('noneGroup') : x.label || x.code)).join(' · ');
    const href = bucketCasesHash(s, b);
    const showCode = key.some((x) => x.dimension === 'REGION' || x.dimension === 'ARTICLE') && !key.some((x) => x.code === 'NONE');
    return h('tr', { class: b.suppressed ? 'has-withheld' : null },
      h('th', { scope: 'row' },
        href ? h('a', { href, title: t('showCases') }, label) : label,
        showCode ? [' ', h('span', { class: 'muted code' }, key.map((x) => x.code).join(' · '))] : null),
      s.interval ? h('td', { class: 'nowrap' }, b.period || dash()) : null,
      figures(b));
  }));
  const total = stats.total;
  const tfoot = h('tfoot', null, h('tr', null,
    h('th', { scope: 'row' }, t('totalRow')),
    s.interval ? h('td', null) : null,
    figures(total, true)));

  const caption = s.interval
    ? t('statsCaptionPeriod', dimLabel, t(`interval${s.interval}`).toLowerCase())
    : t('statsCaption', dimLabel);
  return h('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': 'stats-caption', tabindex: '0' },
    h('table', { class: 'data stats-table' },
      h('caption', { id: 'stats-caption' }, caption),
      h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
      tbody, tfoot));
}

function statsNote(k) {
  return h('aside', { class: 'stats-note', 'aria-labelledby': 'stats-note-title' },
    h('h2', { id: 'stats-note-title' }, t('statsNoteTitle')),
    h('p', null, t('statsNoteDisclosure', fmtInt(k), fmtInt(Math.max(k - 1, 1)))),
    h('p', null, t('statsNoteDates')),
    h('p', null, t('statsNoteExact')));
}

async function viewStatistics(r, ctx) {
  const s = statsFromParams(r.params);
  setTitle(t('statsTitle'));

  let regions = [];
  if (s.lists.regions.length) {
    try {
      regions = await loadRegions(s.jurisdiction, ctx.signal);
    } catch (e) {
      if (!ctx.isCurrent()) return;
      showException(e);
    }
    if (!ctx.isCurrent()) return;
  }

  const main = document.getElementById('main');
  let ui = statsUI;
  if (ctx.rebuild || !ui || ui.lang !== state.lang || !main.contains(ui.root)) {
    const focusId = (ui && ui.pendingFocus) || (document.activeElement && document.activeElement.id);
    ui = buildStatsForm(s, regions);
    ui.lang = state.lang;
    ui.status = h('p', { class: 'result-status', role: 'status' });
    ui.note = h('div');
    ui.funnel = h('section', { class: 'stats-funnel', 'aria-labelledby': 'sec-funnel' });
    ui.table = h('section', { class: 'stats-groups', 'aria-labelledby': 'sec-groups' });
    ui.results = h('div', { class: 'results' }, ui.funnel, ui.table);
    ui.root = h('section', { class: 'view view-statistics' },
      h('h1', { tabindex: '-1' }, t('statsTitle')),
      h('p', { class: 'intro' }, t('statsIntro')),
      ui.form, ui.note, ui.status, ui.results);
    ctx.mount(ui.root);
    statsUI = ui;
    refocus(ctx, focusId);
  }
  ui.pendingFocus = null;
  syncStatsForm(ui, s);

  if (s.from && s.to && s.from > s.to) {
    ui.status.textContent = '';
    ui.funnel.replaceChildren();
    ui.table.replaceChildren();
    showErrors([{ message: t('errDateOrder') }]);
    return;
  }

  const filter = caseFilter(s);
  ui.status.textContent = t('loading');
  ui.results.classList.add('is-loading');
  ui.results.setAttribute('aria-busy', 'true');
  let statsResp;
  let funnelResp;
  try {
    [statsResp, funnelResp] = await Promise.all([
      gql(Q_STATISTICS, { filter, groupBy: [s.by], interval: s.interval, lang: state.lang }, ctx.signal),
      gql(Q_FUNNEL, { filter, lang: state.lang }, ctx.signal),
    ]);
  } finally {
    if (ctx.isCurrent()) {
      ui.results.classList.remove('is-loading');
      ui.results.removeAttribute('aria-busy');
    }
  }
  if (!ctx.isCurrent()) return;
  const errors = [...statsResp.errors, ...funnelResp.errors];
  if (errors.length) showErrors(errors);
  const sd = statsResp.data;
  if (sd && sd.currentRelease) updateRelease(sd.currentRelease);

  const stats = sd && sd.statistics;
  if (stats) {
    ui.note.replaceChildren(statsNote(stats.suppressionThreshold));
    const n = stats.total && stats.total.count;
    ui.status.replaceChildren(
      n === null || n === undefined ? t('statsMatchWithheld') : t('statsMatchN', fmtInt(n)),
      ' ', h('a', { href: filtersHash(s, null) }, t('showAllCases')));
    ui.table.replaceChildren(
      h('h2', { id: 'sec-groups' }, t('secStatsTable')),
      (stats.buckets || []).length ? statsTable(s, stats) : h('p', { class: 'empty-state' }, t('noStats')));
  } else {
    ui.status.textContent = '';
    ui.table.replaceChildren();
  }

  const funnel = funnelResp.data && funnelResp.data.funnel;
  ui.funnel.replaceChildren(...(funnel
    ? [h('h2', { id: 'sec-funnel' }, t('secFunnel')), h('p', { class: 'hint' }, t('funnelIntro')), ...funnelNode(funnel)]
    : []));
}

// ---------------------------------------------------------------- view: methodology

async function viewMethodology(r, ctx) {
  setTitle(t('methodologyTitle'));
  const m = METHODOLOGY[state.lang] || METHODOLOGY.EN;
  const concernCodes = codes('Concern');
  const concerns = h('dl', { class: 'concerns' }, concernCodes.map((code) => {
    const cats = state.categories.filter((c) => c.concern === code);
    return [
      h('dt', null, concernTag(code), ' ', h('code', null, code)),
      h('dd', null,
        h('p', null, m.concerns[code] || ''),
        cats.length ? h('ul', { class: 'inline-list' }, cats.map((c) => h('li', null, categoryLabel(c.code)))) : null),
    ];
  }));
  const perturbationTable = h('div', { class: 'perturbation' });
  ctx.mount(h('article', { class: 'view view-methodology prose' },
    h('h1', { tabindex: '-1' }, t('methodologyTitle')),
    m.intro.map((p) => h('p', null, p)),
    h('section', { 'aria-labelledby': 'm-concern' },
      h('h2', { id: 'm-concern' }, m.concernHeading),
      h('p', null, m.concernIntro),
      concerns),
    m.sections.map((sec, i) => h('section', { 'aria-labelledby': `m-sec-${i}` },
      h('h2', { id: `m-sec-${i}` }, sec.heading),
      sec.paragraphs.map((p) => h('p', null, p)))),
    h('section', { 'aria-labelledby': 'm-perturbation', id: 'perturbation' },
      h('h2', { id: 'm-perturbation' }, m.perturbation.heading),
      m.perturbation.paragraphs.map((p) => h('p', null, p)),
      perturbationTable)));

  // Keep the banner right on this static page too; the table and k come from the API, so
  // they are this server's.
  const { data, errors } = await gql(Q_METHODOLOGY, {}, ctx.signal);
  if (!ctx.isCurrent()) return;
  if (errors.length) showErrors(errors);
  if (data && data.currentRelease) updateRelease(data.currentRelease);
  if (data && data.disclosureControl) fillPerturbationTable(perturbationTable, m.perturbation, data.disclosureControl);
}

// fillPerturbationTable shows the published perturbation table: one row per exact count
// (the last for that count and more), one column per perturbation.
function fillPerturbationTable(box, text, dc) {
  const moves = [...new Set(dc.perturbationTable.flatMap((r) => r.outcomes.map((o) => o.perturbation)))].sort((a, b) => a - b);
  const fmtShare = new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 });
  const fill = (pattern, value) => pattern.split('{0}').join(value);
  const sign = (n) => (n > 0 ? `+${n}` : String(n));
  box.replaceChildren(
    h('p', null, fill(text.parameters, fmtInt(dc.suppressionThreshold))),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': text.tableCaption },
      h('table', { class: 'data perturbation-table' },
        h('caption', null, text.tableCaption),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, text.colCount),
          moves.map((p) => h('th', { scope: 'col', class: 'num' }, sign(p))))),
        h('tbody', null, dc.perturbationTable.map((r) => h('tr', null,
          h('th', { scope: 'row' }, r.orMore ? fill(text.orMore, fmtInt(r.count)) : fmtInt(r.count)),
          moves.map((p) => {
            const o = r.outcomes.find((x) => x.perturbation === p);
            return h('td', { class: 'num' }, o ? fmtShare.format(o.probability) : '');
          })))))));
}

// ---------------------------------------------------------------- start

async function start() {
  setLang(initialLang());
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.addEventListener('click', () => {
      if (b.dataset.lang === state.lang) return;
      setLang(b.dataset.lang);
      route({ rebuild: true });
    });
  }
  window.addEventListener('hashchange', () => route());
  const bootLoading = document.getElementById('boot-loading');
  if (bootLoading) bootLoading.textContent = t('loading');
  await route();
}

start();
