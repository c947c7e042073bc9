package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/casewatch/casewatch/internal/model"
)

// table draws one of its items with fixed integer weights. Integer weights keep the draws
// identical on every architecture (no floating-point sums whose rounding could differ).
type table[T any] struct {
	items []T
	// cum[i] is the sum of the weights of items 0..i.
	cum []int
}

// newTable pairs items with weights, in order. A mismatch is a programming error.
func newTable[T any](items []T, weights ...int) *table[T] {
	if len(items) != len(weights) {
		panic(fmt.Sprintf("demo: %d items but %d weights", len(items), len(weights)))
	}
	t := &table[T]{items: items, cum: make([]int, len(weights))}
	sum := 0
	for i, w := range weights {
		sum += w
		t.cum[i] = sum
	}
	if sum <= 0 {
		panic("demo: a table needs a positive weight")
	}
	return t
}

// index draws the position of an item.
func (t *table[T]) index(r *rand.Rand) int {
	x := r.IntN(t.cum[len(t.cum)-1])
	// Binary search for the first running sum above x; items of weight 0 are never drawn.
	lo, hi := 0, len(t.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if t.cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// pick draws an item.
func (t *table[T]) pick(r *rand.Rand) T { return t.items[t.index(r)] }

// The code lists the tables below are aligned with, in schema order.
var (
	jurisdictions = []model.Jurisdiction{model.JurisdictionKZ, model.JurisdictionKG}
	categories    = []model.ContentCategory{
		model.ContentCategoryTerrorismPropaganda, model.ContentCategoryReligiousExtremism,
		model.ContentCategoryDrugPromotion, model.ContentCategoryGamblingAdvertising,
		model.ContentCategoryPyramidScheme, model.ContentCategoryFalseInformation,
		model.ContentCategoryIncitementOfDiscord, model.ContentCategoryInsultOrLibel,
		model.ContentCategoryUnsanctionedAssembly, model.ContentCategoryOther,
	}
	platforms = []model.Platform{
		model.PlatformInstagram, model.PlatformTelegram, model.PlatformTiktok, model.PlatformFacebook,
		model.PlatformYoutube, model.PlatformVK, model.PlatformWhatsapp, model.PlatformX, model.PlatformWebsite,
		model.PlatformOther,
	}
	actions = []model.DetectionAction{
		model.DetectionActionRemovalRequested, model.DetectionActionRemoved, model.DetectionActionBlocked,
		model.DetectionActionReferredToPolice, model.DetectionActionNoAction,
	}
	kinds = []model.DefendantKind{
		model.DefendantKindIndividual, model.DefendantKindBlogger, model.DefendantKindJournalist,
		model.DefendantKindActivist, model.DefendantKindMediaOutlet, model.DefendantKindLegalEntity,
		model.DefendantKindOfficial, model.DefendantKindUnknown,
	}
	// "" stands for "not known", stored as NULL.
	genders  = []model.Gender{"", model.GenderMale, model.GenderFemale}
	ageBands = []model.AgeBand{"", model.AgeBandUnder18, model.AgeBandFrom18To24, model.AgeBandFrom25To34,
		model.AgeBandFrom35To44, model.AgeBandFrom45To54, model.AgeBandFrom55To64, model.AgeBandFrom65}
	prosecutorDecisions = []model.ProsecutorDecision{model.ProsecutorDecisionApproved,
		model.ProsecutorDecisionRejected, model.ProsecutorDecisionReturned}
	courtDecisions = []model.Decision{model.DecisionLiable, model.DecisionNotLiable, model.DecisionDismissed,
		model.DecisionTerminated}
	appealOutcomes = []model.AppealStatus{model.AppealStatusUpheld, model.AppealStatusOverturned,
		model.AppealStatusModified, model.AppealStatusRemanded, model.AppealStatusWithdrawn}
)

// Detection categories follow MKI's "most prevalent" list: fraud and pyramid schemes,
// gambling ads, drugs, terrorism and religious extremism lead; speech is a minority.
var detectionCategories = map[model.Jurisdiction]*table[model.ContentCategory]{
	// Order: terrorism, religious extremism, drugs, gambling, pyramid, false information,
	// incitement, insult or libel, assembly, other.
	model.JurisdictionKZ: newTable(categories, 8, 9, 18, 24, 22, 7, 4, 2, 1, 5),
	model.JurisdictionKG: newTable(categories, 8, 15, 18, 18, 15, 9, 6, 4, 2, 5),
}

// Case categories lean to speech offences, which is what the portal watches: most cases
// come from the administrative speech provisions, while the bulk of harmful content is
// removed or blocked without a case. KG's main provision is online libel and insult.
var caseCategories = map[model.Jurisdiction]*table[model.ContentCategory]{
	// Order: terrorism, religious extremism, drugs, gambling, pyramid, false information,
	// incitement, insult or libel, assembly, other.
	model.JurisdictionKZ: newTable(categories, 5, 7, 10, 9, 7, 24, 10, 16, 8, 4),
	model.JurisdictionKG: newTable(categories, 5, 10, 9, 6, 4, 14, 14, 28, 6, 4),
}

// KZ about 87% of cases, KG the rest.
var caseJurisdictions = newTable(jurisdictions, 87, 13)

// group is a family of categories that share platform, defendant and summary patterns.
type group int

const (
	groupSpeech group = iota
	groupExtremism
	groupDrugs
	groupCommerce
	groupOther
)

func groupOf(c model.ContentCategory) group {
	switch c {
	case model.ContentCategoryFalseInformation, model.ContentCategoryInsultOrLibel,
		model.ContentCategoryIncitementOfDiscord, model.ContentCategoryUnsanctionedAssembly:
		return groupSpeech
	case model.ContentCategoryTerrorismPropaganda, model.ContentCategoryReligiousExtremism:
		return groupExtremism
	case model.ContentCategoryDrugPromotion:
		return groupDrugs
	case model.ContentCategoryGamblingAdvertising, model.ContentCategoryPyramidScheme:
		return groupCommerce
	}
	return groupOther
}

// Platforms by category group: drugs and extremism live on Telegram, gambling ads on
// Instagram and websites, speech on the big social networks.
var platformsByGroup = [...]*table[model.Platform]{
	// Order: Instagram, Telegram, TikTok, Facebook, YouTube, VK, WhatsApp, X, website, other.
	groupSpeech:    newTable(platforms, 22, 22, 14, 14, 7, 3, 9, 2, 5, 2),
	groupExtremism: newTable(platforms, 8, 40, 10, 4, 12, 8, 6, 2, 8, 2),
	groupDrugs:     newTable(platforms, 10, 55, 6, 1, 1, 3, 6, 1, 15, 2),
	groupCommerce:  newTable(platforms, 32, 26, 12, 4, 6, 1, 5, 1, 12, 1),
	groupOther:     newTable(platforms, 20, 25, 15, 10, 8, 3, 6, 2, 8, 3),
}

// Actions on a detection. Websites are mostly blocked; posts mostly get a removal request.
// Together about 24% end up removed, the share MKI reported for 2024. Referrals outnumber
// the default dataset's cases, as they must: every case starts from referred material.
var (
	// Order: removal requested, removed, blocked, referred to police, no action.
	postActions    = newTable(actions, 90, 51, 18, 26, 15)
	websiteActions = newTable(actions, 10, 12, 70, 4, 4)
)

// Defendant kinds by category group: individuals everywhere, bloggers and legal entities in
// advertising, journalists, activists and media outlets in speech cases.
var kindsByGroup = [...]*table[model.DefendantKind]{
	// Order: individual, blogger, journalist, activist, media outlet, legal entity, official,
	// unknown.
	groupSpeech:    newTable(kinds, 52, 17, 7, 10, 3, 1, 3, 7),
	groupExtremism: newTable(kinds, 82, 4, 0, 1, 0, 0, 0, 13),
	groupDrugs:     newTable(kinds, 76, 3, 0, 0, 0, 0, 0, 21),
	groupCommerce:  newTable(kinds, 44, 20, 0, 0, 2, 20, 1, 13),
	groupOther:     newTable(kinds, 68, 10, 2, 2, 2, 8, 2, 6),
}

var (
	// Order: not known, male, female.
	personGenders  = newTable(genders, 4, 72, 24)
	unknownGenders = newTable(genders, 60, 30, 10)
	// Order: not known, under 18, 18–24, 25–34, 35–44, 45–54, 55–64, 65 and over.
	personAges  = newTable(ageBands, 5, 2, 18, 31, 24, 12, 6, 2)
	adultAges   = newTable(ageBands, 5, 0, 8, 33, 28, 15, 8, 3) // journalists, officials
	unknownAges = newTable(ageBands, 60, 1, 7, 13, 10, 5, 3, 1)
)

// criminalPercent is how often a case of a category is criminal rather than administrative.
// False information is almost always the administrative art. 456-2 (CC 274: 4 people in
// 2024); the reference list has only criminal provisions for incitement and terrorism.
var criminalPercent = map[model.ContentCategory]int{
	model.ContentCategoryTerrorismPropaganda:  100,
	model.ContentCategoryReligiousExtremism:   60,
	model.ContentCategoryDrugPromotion:        70,
	model.ContentCategoryGamblingAdvertising:  30,
	model.ContentCategoryPyramidScheme:        50,
	model.ContentCategoryFalseInformation:     2,
	model.ContentCategoryIncitementOfDiscord:  100,
	model.ContentCategoryInsultOrLibel:        0,
	model.ContentCategoryUnsanctionedAssembly: 0,
	model.ContentCategoryOther:                20,
}

// Pipeline outcomes. Speech cases are rejected and found not to be offences more often.
var (
	// Order: approved, rejected, returned.
	speechProsecutor = newTable(prosecutorDecisions, 84, 9, 7)
	otherProsecutor  = newTable(prosecutorDecisions, 90, 5, 5)
	// Order: liable, not liable, dismissed, terminated.
	adminCourt    = newTable(courtDecisions, 84, 5, 5, 6)
	criminalCourt = newTable(courtDecisions, 91, 2, 2, 5)
	// Order: upheld, overturned, modified, remanded, withdrawn.
	defendantAppeal  = newTable(appealOutcomes, 62, 8, 14, 6, 10)
	prosecutorAppeal = newTable(appealOutcomes, 55, 20, 12, 10, 3)
	// Against a decision that found no liability there is no sanction to modify.
	acquittalAppeal = newTable(appealOutcomes, 65, 15, 0, 15, 5)
	cassation       = newTable(appealOutcomes, 72, 6, 6, 10, 6)
)
