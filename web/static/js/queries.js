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
