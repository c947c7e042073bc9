// Behaviour of the API's enumerations. The enumerations themselves (types, constants and
// vocabularies) are generated into enums_gen.go from their one source: the enum types of
// schema.graphqls and the labels of labels.csv.

package model

//go:generate go run ./internal/enumgen -schema ../../schema.graphqls -labels labels.csv -go enums_gen.go -js ../../web/static/js/enums.js -unlabelled DetectionDimension,Interval -prefix FunnelStepKind=Funnel

// Concern returns the freedom-of-expression concern a category belongs to.
func (c ContentCategory) Concern() Concern {
	switch c {
	case ContentCategoryFalseInformation, ContentCategoryInsultOrLibel, ContentCategoryUnsanctionedAssembly:
		return ConcernCoreExpression
	case ContentCategoryIncitementOfDiscord, ContentCategoryReligiousExtremism:
		return ConcernContested
	case ContentCategoryTerrorismPropaganda, ContentCategoryDrugPromotion,
		ContentCategoryGamblingAdvertising, ContentCategoryPyramidScheme:
		return ConcernHarm
	}
	return ConcernOther
}

// Currency returns the ISO 4217 currency of a jurisdiction.
func (j Jurisdiction) Currency() string {
	if j == JurisdictionKG {
		return "KGS"
	}
	return "KZT"
}

// IndexUnit returns the name of the jurisdiction's monetary index unit.
func (j Jurisdiction) IndexUnit() string {
	if j == JurisdictionKG {
		return "RP"
	}
	return "MCI"
}
