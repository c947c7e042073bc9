package model

// Dimension is a property cases can be grouped by in statistics.
type Dimension string

const (
	DimensionJurisdiction  Dimension = "JURISDICTION"
	DimensionRegion        Dimension = "REGION"
	DimensionCategory      Dimension = "CATEGORY"
	DimensionConcern       Dimension = "CONCERN"
	DimensionPlatform      Dimension = "PLATFORM"
	DimensionArticle       Dimension = "ARTICLE"
	DimensionLiability     Dimension = "LIABILITY"
	DimensionDefendantKind Dimension = "DEFENDANT_KIND"
	DimensionStage         Dimension = "STAGE"
	DimensionDecision      Dimension = "DECISION"
	DimensionSanction      Dimension = "SANCTION"
	DimensionAppealStatus  Dimension = "APPEAL_STATUS"
)

// Dimensions lists every dimension in schema order.
var Dimensions = []Dimension{
	DimensionJurisdiction, DimensionRegion, DimensionCategory, DimensionConcern, DimensionPlatform,
	DimensionArticle, DimensionLiability, DimensionDefendantKind, DimensionStage, DimensionDecision,
	DimensionSanction, DimensionAppealStatus,
}

// NoValue is the code of the group of cases that have no value in a dimension: no region,
// no article, not decided, no sanction, never appealed.
const NoValue = "NONE"

// Statistics is one answer of the statistics query: the figures of each bucket and of the
// whole filter, after disclosure control.
type Statistics struct {
	Buckets []*StatBucket
	Total   *StatBucket
	// SuppressionThreshold is k: no published count lies between 0 and k.
	SuppressionThreshold int
}

// StatBucket holds the figures of one combination of grouped values (and period). A nil
// figure is withheld for disclosure control.
type StatBucket struct {
	Key    []DimensionValue
	Period *string

	Count            *int
	Suppressed       bool
	Liable           *int
	Fined            *int
	Appealed         *int
	AppealsSucceeded *int
	Fines            []*FineStats

	MedianDaysToDecision    *float64
	ProsecutorRejectionRate *float64
	ExpertNoOffenceRate     *float64
	RepeatDefendants        *int
	CountPer100k            *float64
}

// DimensionValue is one grouped value of a bucket; Code is NoValue when cases have none.
type DimensionValue struct {
	Dimension Dimension
	Code      string
}

// FineStats summarises the first-instance fines of one currency in a bucket.
type FineStats struct {
	Currency string
	Count    *int
	Total    *int
	Mean     *float64
	Median   *float64
	P90      *float64
	Min      *int
	Max      *int
	// IndexUnits gives the same figures in index units of each fine's decision year; nil
	// when withheld or when a year's unit is not known.
	IndexUnits *IndexedFineStats
}

// IndexedFineStats is FineStats in index units (MCI in KZ, RP in KG).
type IndexedFineStats struct {
	Unit   string
	Total  float64
	Mean   float64
	Median float64
	P90    float64
	Min    float64
	Max    float64
}

// FunnelStepKind names a step of the enforcement funnel.
type FunnelStepKind string

const (
	FunnelDetected             FunnelStepKind = "DETECTED"
	FunnelReferred             FunnelStepKind = "REFERRED"
	FunnelExpertReviewed       FunnelStepKind = "EXPERT_REVIEWED"
	FunnelOffenceFound         FunnelStepKind = "OFFENCE_FOUND"
	FunnelCaseOpened           FunnelStepKind = "CASE_OPENED"
	FunnelApproved             FunnelStepKind = "APPROVED"
	FunnelDecided              FunnelStepKind = "DECIDED"
	FunnelLiable               FunnelStepKind = "LIABLE"
	FunnelFined                FunnelStepKind = "FINED"
	FunnelAppealed             FunnelStepKind = "APPEALED"
	FunnelOverturnedOrModified FunnelStepKind = "OVERTURNED_OR_MODIFIED"
)

// Funnel is the road from detection to punishment for one filter.
type Funnel struct {
	Steps                []*FunnelStep
	SuppressionThreshold int
}

// FunnelStep is one step of the funnel. Count is nil when withheld (Suppressed) or when
// the step does not apply to the filter (Available false).
type FunnelStep struct {
	Step       FunnelStepKind
	Count      *int
	Suppressed bool
	Available  bool
	// ShareOfPrevious is Count over the previous step's count, when both are published.
	ShareOfPrevious *float64
}

// DimensionVocabulary lists the codes of Dimension with their labels.
var DimensionVocabulary = newVocabulary("Dimension",
	Term{"JURISDICTION", Labels{"Ел", "Страна", "Country"}},
	Term{"REGION", Labels{"Өңір", "Регион", "Region"}},
	Term{"CATEGORY", Labels{"Мазмұн санаты", "Категория материала", "Content category"}},
	Term{"CONCERN", Labels{"Сөз бостандығына қатысы", "Отношение к свободе слова", "Expression concern"}},
	Term{"PLATFORM", Labels{"Платформа", "Платформа", "Platform"}},
	Term{"ARTICLE", Labels{"Бап", "Статья", "Article"}},
	Term{"LIABILITY", Labels{"Жауапкершілік түрі", "Вид ответственности", "Liability"}},
	Term{"DEFENDANT_KIND", Labels{"Жауапкер түрі", "Тип ответчика", "Defendant kind"}},
	Term{"STAGE", Labels{"Кезең", "Стадия", "Stage"}},
	Term{"DECISION", Labels{"Сот шешімі", "Решение суда", "Court decision"}},
	Term{"SANCTION", Labels{"Жаза", "Наказание", "Sanction"}},
	Term{"APPEAL_STATUS", Labels{"Шағым нәтижесі", "Итог обжалования", "Appeal status"}},
)

// FunnelStepKindVocabulary lists the codes of FunnelStepKind with their labels.
var FunnelStepKindVocabulary = newVocabulary("FunnelStepKind",
	Term{"DETECTED", Labels{"Материал анықталды", "Материал выявлен", "Content flagged"}},
	Term{"REFERRED", Labels{"Полицияға жіберілді", "Передано в полицию", "Referred to police"}},
	Term{"EXPERT_REVIEWED", Labels{"Сараптама жасалды", "Проведена экспертиза", "Expert-reviewed"}},
	Term{"OFFENCE_FOUND", Labels{"Құқық бұзушылық анықталды", "Установлено правонарушение", "Offence found"}},
	Term{"CASE_OPENED", Labels{"Іс қозғалды", "Возбуждено дело", "Case opened"}},
	Term{"APPROVED", Labels{"Прокурор мақұлдады", "Одобрено прокурором", "Approved by the prosecutor"}},
	Term{"DECIDED", Labels{"Сот шешім шығарды", "Решено судом", "Decided by a court"}},
	Term{"LIABLE", Labels{"Кінәлі деп танылды", "Признан виновным", "Found liable"}},
	Term{"FINED", Labels{"Айыппұл салынды", "Назначен штраф", "Fined"}},
	Term{"APPEALED", Labels{"Шағымданылды", "Обжаловано", "Appealed"}},
	Term{"OVERTURNED_OR_MODIFIED", Labels{"Жойылды немесе жеңілдетілді", "Отменено или смягчено", "Overturned or reduced"}},
)

// noValueLabel names the group of cases without a value in a dimension.
var noValueLabel = Labels{"Жоқ", "Нет", "None"}

// Vocabulary returns the enumeration a dimension's codes come from; nil for REGION and
// ARTICLE, whose codes come from the reference data.
func (d Dimension) Vocabulary() *Vocabulary {
	switch d {
	case DimensionJurisdiction:
		return JurisdictionVocabulary
	case DimensionCategory:
		return ContentCategoryVocabulary
	case DimensionConcern:
		return ConcernVocabulary
	case DimensionPlatform:
		return PlatformVocabulary
	case DimensionLiability:
		return LiabilityVocabulary
	case DimensionDefendantKind:
		return DefendantKindVocabulary
	case DimensionStage:
		return CaseStageVocabulary
	case DimensionDecision:
		return DecisionVocabulary
	case DimensionSanction:
		return SanctionVocabulary
	case DimensionAppealStatus:
		return AppealStatusVocabulary
	}
	return nil
}

// DimensionLabel labels a code of an enumerated dimension (not REGION or ARTICLE, whose
// names come from the reference data) and NONE.
func DimensionLabel(d Dimension, code string, lang Lang) string {
	if code == NoValue {
		return noValueLabel.In(lang)
	}
	if v := d.Vocabulary(); v != nil {
		return v.Label(code, lang)
	}
	return code
}
