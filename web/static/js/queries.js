// The GraphQL documents of the portal. They are constants: user input reaches the API only
// as variables (web_test.go validates every Q_* constant against schema.graphqls).

export const Q_BOOT = /* GraphQL */ `
query Boot {
  currentRelease { version publishedAt synthetic }
  vocabulary {
    name
    terms { code kk: label(lang: KK) ky: label(lang: KY) ru: label(lang: RU) en: label(lang: EN) }
  }
  categories { code concern kk: label(lang: KK) ky: label(lang: KY) ru: label(lang: RU) en: label(lang: EN) }
}`;

export const Q_REGIONS = /* GraphQL */ `
query Regions($jurisdiction: Jurisdiction) {
  regions(jurisdiction: $jurisdiction) {
    code
    jurisdiction
    kind
    createdYear
    kk: name(lang: KK)
    ky: name(lang: KY)
    ru: name(lang: RU)
    en: name(lang: EN)
  }
}`;

export const Q_CASES = /* GraphQL */ `
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
        article { code label(lang: $lang) codeName(lang: $lang) }
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

export const Q_CASE = /* GraphQL */ `
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
    article {
      code
      label(lang: $lang)
      codeName(lang: $lang)
      jurisdiction
      liability
      title(lang: $lang)
      penalties(lang: $lang)
      listed
      verification(lang: $lang)
    }
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

export const Q_RELEASES = /* GraphQL */ `
query Releases($first: Int!, $after: String, $lang: Lang!) {
  currentRelease { version publishedAt synthetic }
  releases(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        version
        publishedAt
        note(lang: $lang)
        synthetic
        rowsAdded
        rowsUpdated
        rowsUnchanged
        checksum
      }
    }
  }
}`;

export const Q_SOURCES = /* GraphQL */ `
query Sources($lang: Lang!) {
  currentRelease { version publishedAt synthetic }
  officialFigures {
    jurisdiction
    periodStart
    periodEnd
    value
    unit
    definition(lang: $lang)
    source { title(lang: $lang) url }
    verified(lang: $lang)
  }
  indexUnits {
    jurisdiction
    year
    unit
    value
    currency
    source { title(lang: $lang) url }
  }
  articles {
    code
    label(lang: $lang)
    codeName(lang: $lang)
    jurisdiction
    liability
    title(lang: $lang)
    penalties(lang: $lang)
    listed
    verification(lang: $lang)
  }
  populations {
    code
    jurisdiction
    year
    value
    measure
    asOf
    source(lang: $lang)
    note(lang: $lang)
  }
  regions { code name(lang: $lang) }
}`;

export const Q_METHODOLOGY = /* GraphQL */ `
query Methodology {
  currentRelease { version publishedAt synthetic }
  disclosureControl {
    suppressionThreshold
    perturbationTable { count orMore outcomes { perturbation probability } }
  }
}`;

export const Q_STATISTICS = /* GraphQL */ `
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
  liablePer100k
  finedPer100k
  populationYear
}`;

export const Q_ARTICLES = /* GraphQL */ `
query Articles($lang: Lang!) {
  articles { code jurisdiction title(lang: $lang) }
}`;

export const Q_FUNNEL = /* GraphQL */ `
query Funnel($filter: CaseFilter, $lang: Lang!) {
  funnel(filter: $filter) {
    suppressionThreshold
    steps { step label(lang: $lang) count suppressed available shareOfPrevious }
  }
}`;

// The overview (views/overview.js): three questions asked at once. Q_OVERVIEW and
// Q_OVERVIEW_GROUPS are about one year ($filter holds its report dates); a document may
// not hold more statistics than the API's complexity limit allows, hence two.
export const Q_OVERVIEW = /* GraphQL */ `
query Overview($filter: CaseFilter, $lang: Lang!, $jurisdiction: Jurisdiction) {
  currentRelease { version publishedAt synthetic }
  headline: statistics(filter: $filter, groupBy: [JURISDICTION]) {
    suppressionThreshold
    perturbed
    total { count liable fined fines { currency count median indexUnits { unit median } } }
  }
  concern: statistics(filter: $filter, groupBy: [CONCERN, DECISION]) {
    buckets { key { dimension code label(lang: $lang) } count }
  }
  category: statistics(filter: $filter, groupBy: [CATEGORY]) {
    buckets { key { dimension code label(lang: $lang) } count }
  }
  regions: statistics(filter: $filter, groupBy: [REGION], interval: YEAR) {
    buckets { key { dimension code label(lang: $lang) } period count countPer100k populationYear }
  }
  funnel(filter: $filter) {
    suppressionThreshold
    steps { step label(lang: $lang) count suppressed available shareOfPrevious }
  }
  officialFigures(jurisdiction: $jurisdiction) {
    jurisdiction
    metric
    periodStart
    periodEnd
    value
    unit
    definition(lang: $lang)
    source { title url }
    verified(lang: $lang)
  }
}`;

export const Q_OVERVIEW_GROUPS = /* GraphQL */ `
query OverviewGroups($filter: CaseFilter, $lang: Lang!) {
  platform: statistics(filter: $filter, groupBy: [PLATFORM]) {
    buckets { key { dimension code label(lang: $lang) } count }
  }
  kind: statistics(filter: $filter, groupBy: [DEFENDANT_KIND]) {
    buckets { key { dimension code label(lang: $lang) } count }
  }
  appeals: statistics(filter: $filter, groupBy: [APPEAL_STATUS]) {
    buckets { key { dimension code label(lang: $lang) } count }
  }
}`;

// The trend over every period, and the years that have cases (to choose the year from).
export const Q_OVERVIEW_TREND = /* GraphQL */ `
query OverviewTrend($filter: CaseFilter, $interval: Interval!) {
  trend: statistics(filter: $filter, groupBy: [], interval: $interval) {
    suppressionThreshold
    buckets { period count liable fined }
  }
  years: statistics(filter: $filter, groupBy: [], interval: YEAR) {
    buckets { period count }
  }
}`;
