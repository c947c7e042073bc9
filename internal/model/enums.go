// Enumerations of the API. Codes are the GraphQL enum values; labels are kk, ru, en.

package model

// Jurisdiction is the GraphQL enumeration of the same name.
type Jurisdiction string

const (
	JurisdictionKZ Jurisdiction = "KZ"
	JurisdictionKG Jurisdiction = "KG"
)

// JurisdictionVocabulary lists the codes of Jurisdiction with their labels.
var JurisdictionVocabulary = newVocabulary("Jurisdiction",
	Term{"KZ", Labels{"Қазақстан", "Казахстан", "Kazakhstan"}},
	Term{"KG", Labels{"Қырғызстан", "Кыргызстан", "Kyrgyzstan"}},
)

// RegionKind is the GraphQL enumeration of the same name.
type RegionKind string

const (
	RegionKindCity   RegionKind = "CITY"
	RegionKindRegion RegionKind = "REGION"
)

// RegionKindVocabulary lists the codes of RegionKind with their labels.
var RegionKindVocabulary = newVocabulary("RegionKind",
	Term{"CITY", Labels{"Республикалық маңызы бар қала", "Город республиканского значения", "City of republican significance"}},
	Term{"REGION", Labels{"Облыс", "Область", "Region"}},
)

// ContentCategory is the GraphQL enumeration of the same name.
type ContentCategory string

const (
	ContentCategoryTerrorismPropaganda  ContentCategory = "TERRORISM_PROPAGANDA"
	ContentCategoryReligiousExtremism   ContentCategory = "RELIGIOUS_EXTREMISM"
	ContentCategoryDrugPromotion        ContentCategory = "DRUG_PROMOTION"
	ContentCategoryGamblingAdvertising  ContentCategory = "GAMBLING_ADVERTISING"
	ContentCategoryPyramidScheme        ContentCategory = "PYRAMID_SCHEME"
	ContentCategoryFalseInformation     ContentCategory = "FALSE_INFORMATION"
	ContentCategoryIncitementOfDiscord  ContentCategory = "INCITEMENT_OF_DISCORD"
	ContentCategoryInsultOrLibel        ContentCategory = "INSULT_OR_LIBEL"
	ContentCategoryUnsanctionedAssembly ContentCategory = "UNSANCTIONED_ASSEMBLY"
	ContentCategoryOther                ContentCategory = "OTHER"
)

// ContentCategoryVocabulary lists the codes of ContentCategory with their labels.
var ContentCategoryVocabulary = newVocabulary("ContentCategory",
	Term{"TERRORISM_PROPAGANDA", Labels{"Терроризмді насихаттау", "Пропаганда терроризма", "Terrorism propaganda"}},
	Term{"RELIGIOUS_EXTREMISM", Labels{"Діни экстремизм", "Религиозный экстремизм", "Religious extremism"}},
	Term{"DRUG_PROMOTION", Labels{"Есірткіні насихаттау", "Пропаганда наркотиков", "Drug promotion"}},
	Term{"GAMBLING_ADVERTISING", Labels{"Құмар ойындарды жарнамалау", "Реклама азартных игр", "Gambling advertising"}},
	Term{"PYRAMID_SCHEME", Labels{"Қаржы пирамидасы", "Финансовая пирамида", "Pyramid scheme"}},
	Term{"FALSE_INFORMATION", Labels{"Жалған ақпарат", "Ложная информация", "False information"}},
	Term{"INCITEMENT_OF_DISCORD", Labels{"Алауыздықты қоздыру", "Разжигание розни", "Incitement of discord"}},
	Term{"INSULT_OR_LIBEL", Labels{"Қорлау немесе жала жабу", "Оскорбление или клевета", "Insult or libel"}},
	Term{"UNSANCTIONED_ASSEMBLY", Labels{"Рұқсат етілмеген жиналысқа шақыру", "Призывы к несанкционированным собраниям", "Calls to unsanctioned assembly"}},
	Term{"OTHER", Labels{"Басқа", "Другое", "Other"}},
)

// Concern is the GraphQL enumeration of the same name.
type Concern string

const (
	ConcernCoreExpression Concern = "CORE_EXPRESSION"
	ConcernContested      Concern = "CONTESTED"
	ConcernHarm           Concern = "HARM"
	ConcernOther          Concern = "OTHER"
)

// ConcernVocabulary lists the codes of Concern with their labels.
var ConcernVocabulary = newVocabulary("Concern",
	Term{"CORE_EXPRESSION", Labels{"Сөз бостандығының өзегі", "Ядро свободы выражения", "Core expression"}},
	Term{"CONTESTED", Labels{"Даулы анықтамалар", "Спорные составы", "Contested definitions"}},
	Term{"HARM", Labels{"Айқын зиян", "Явный вред", "Clear harm"}},
	Term{"OTHER", Labels{"Басқа", "Другое", "Other"}},
)

// Platform is the GraphQL enumeration of the same name.
type Platform string

const (
	PlatformInstagram Platform = "INSTAGRAM"
	PlatformTelegram  Platform = "TELEGRAM"
	PlatformTiktok    Platform = "TIKTOK"
	PlatformFacebook  Platform = "FACEBOOK"
	PlatformYoutube   Platform = "YOUTUBE"
	PlatformVK        Platform = "VK"
	PlatformWhatsapp  Platform = "WHATSAPP"
	PlatformX         Platform = "X"
	PlatformWebsite   Platform = "WEBSITE"
	PlatformOther     Platform = "OTHER"
)

// PlatformVocabulary lists the codes of Platform with their labels.
var PlatformVocabulary = newVocabulary("Platform",
	Term{"INSTAGRAM", Labels{"Instagram", "Instagram", "Instagram"}},
	Term{"TELEGRAM", Labels{"Telegram", "Telegram", "Telegram"}},
	Term{"TIKTOK", Labels{"TikTok", "TikTok", "TikTok"}},
	Term{"FACEBOOK", Labels{"Facebook", "Facebook", "Facebook"}},
	Term{"YOUTUBE", Labels{"YouTube", "YouTube", "YouTube"}},
	Term{"VK", Labels{"ВКонтакте", "ВКонтакте", "VK"}},
	Term{"WHATSAPP", Labels{"WhatsApp", "WhatsApp", "WhatsApp"}},
	Term{"X", Labels{"X (Twitter)", "X (Twitter)", "X (Twitter)"}},
	Term{"WEBSITE", Labels{"Веб-сайт", "Веб-сайт", "Website"}},
	Term{"OTHER", Labels{"Басқа", "Другое", "Other"}},
)

// Liability is the GraphQL enumeration of the same name.
type Liability string

const (
	LiabilityAdministrative Liability = "ADMINISTRATIVE"
	LiabilityCriminal       Liability = "CRIMINAL"
)

// LiabilityVocabulary lists the codes of Liability with their labels.
var LiabilityVocabulary = newVocabulary("Liability",
	Term{"ADMINISTRATIVE", Labels{"Әкімшілік", "Административная", "Administrative"}},
	Term{"CRIMINAL", Labels{"Қылмыстық", "Уголовная", "Criminal"}},
)

// CaseStage is the GraphQL enumeration of the same name.
type CaseStage string

const (
	CaseStageExpertReview     CaseStage = "EXPERT_REVIEW"
	CaseStageInvestigation    CaseStage = "INVESTIGATION"
	CaseStageProsecutorReview CaseStage = "PROSECUTOR_REVIEW"
	CaseStageTrial            CaseStage = "TRIAL"
	CaseStageAppeal           CaseStage = "APPEAL"
	CaseStageCassation        CaseStage = "CASSATION"
	CaseStageClosed           CaseStage = "CLOSED"
)

// CaseStageVocabulary lists the codes of CaseStage with their labels.
var CaseStageVocabulary = newVocabulary("CaseStage",
	Term{"EXPERT_REVIEW", Labels{"Сараптама", "Экспертиза", "Expert review"}},
	Term{"INVESTIGATION", Labels{"Тергеу", "Расследование", "Investigation"}},
	Term{"PROSECUTOR_REVIEW", Labels{"Прокурорлық тексеру", "Проверка прокурором", "Prosecutor review"}},
	Term{"TRIAL", Labels{"Бірінші сатыдағы сот", "Суд первой инстанции", "Trial"}},
	Term{"APPEAL", Labels{"Апелляция", "Апелляция", "Appeal"}},
	Term{"CASSATION", Labels{"Кассация", "Кассация", "Cassation"}},
	Term{"CLOSED", Labels{"Аяқталды", "Завершено", "Closed"}},
)

// ExpertConclusion is the GraphQL enumeration of the same name.
type ExpertConclusion string

const (
	ExpertConclusionAdministrativeOffense ExpertConclusion = "ADMINISTRATIVE_OFFENSE"
	ExpertConclusionCriminalOffense       ExpertConclusion = "CRIMINAL_OFFENSE"
	ExpertConclusionNoOffense             ExpertConclusion = "NO_OFFENSE"
	ExpertConclusionInconclusive          ExpertConclusion = "INCONCLUSIVE"
)

// ExpertConclusionVocabulary lists the codes of ExpertConclusion with their labels.
var ExpertConclusionVocabulary = newVocabulary("ExpertConclusion",
	Term{"ADMINISTRATIVE_OFFENSE", Labels{"Әкімшілік құқық бұзушылық", "Административное правонарушение", "Administrative offence"}},
	Term{"CRIMINAL_OFFENSE", Labels{"Қылмыстық құқық бұзушылық", "Уголовное правонарушение", "Criminal offence"}},
	Term{"NO_OFFENSE", Labels{"Құқық бұзушылық жоқ", "Нет правонарушения", "No offence"}},
	Term{"INCONCLUSIVE", Labels{"Нақты қорытынды жоқ", "Неоднозначно", "Inconclusive"}},
)

// ProsecutorDecision is the GraphQL enumeration of the same name.
type ProsecutorDecision string

const (
	ProsecutorDecisionApproved ProsecutorDecision = "APPROVED"
	ProsecutorDecisionRejected ProsecutorDecision = "REJECTED"
	ProsecutorDecisionReturned ProsecutorDecision = "RETURNED"
	ProsecutorDecisionPending  ProsecutorDecision = "PENDING"
)

// ProsecutorDecisionVocabulary lists the codes of ProsecutorDecision with their labels.
var ProsecutorDecisionVocabulary = newVocabulary("ProsecutorDecision",
	Term{"APPROVED", Labels{"Келісілді", "Согласовано", "Approved"}},
	Term{"REJECTED", Labels{"Бас тартылды", "Отказано", "Rejected"}},
	Term{"RETURNED", Labels{"Қайтарылды", "Возвращено", "Returned"}},
	Term{"PENDING", Labels{"Қаралуда", "На рассмотрении", "Pending"}},
)

// Decision is the GraphQL enumeration of the same name.
type Decision string

const (
	DecisionLiable     Decision = "LIABLE"
	DecisionNotLiable  Decision = "NOT_LIABLE"
	DecisionDismissed  Decision = "DISMISSED"
	DecisionTerminated Decision = "TERMINATED"
	DecisionPending    Decision = "PENDING"
)

// DecisionVocabulary lists the codes of Decision with their labels.
var DecisionVocabulary = newVocabulary("Decision",
	Term{"LIABLE", Labels{"Кінәлі деп танылды", "Признан виновным", "Liable"}},
	Term{"NOT_LIABLE", Labels{"Кінәсіз деп танылды", "Признан невиновным", "Not liable"}},
	Term{"DISMISSED", Labels{"Қысқартылды", "Прекращено за отсутствием состава", "Dismissed"}},
	Term{"TERMINATED", Labels{"Тоқтатылды", "Прекращено", "Terminated"}},
	Term{"PENDING", Labels{"Қаралуда", "На рассмотрении", "Pending"}},
)

// Sanction is the GraphQL enumeration of the same name.
type Sanction string

const (
	SanctionFine                 Sanction = "FINE"
	SanctionWarning              Sanction = "WARNING"
	SanctionAdministrativeArrest Sanction = "ADMINISTRATIVE_ARREST"
	SanctionRestrictionOfFreedom Sanction = "RESTRICTION_OF_FREEDOM"
	SanctionImprisonment         Sanction = "IMPRISONMENT"
	SanctionCorrectionalLabour   Sanction = "CORRECTIONAL_LABOUR"
	SanctionOther                Sanction = "OTHER"
)

// SanctionVocabulary lists the codes of Sanction with their labels.
var SanctionVocabulary = newVocabulary("Sanction",
	Term{"FINE", Labels{"Айыппұл", "Штраф", "Fine"}},
	Term{"WARNING", Labels{"Ескерту", "Предупреждение", "Warning"}},
	Term{"ADMINISTRATIVE_ARREST", Labels{"Әкімшілік қамаққа алу", "Административный арест", "Administrative arrest"}},
	Term{"RESTRICTION_OF_FREEDOM", Labels{"Бас бостандығын шектеу", "Ограничение свободы", "Restriction of freedom"}},
	Term{"IMPRISONMENT", Labels{"Бас бостандығынан айыру", "Лишение свободы", "Imprisonment"}},
	Term{"CORRECTIONAL_LABOUR", Labels{"Түзеу жұмыстары", "Исправительные работы", "Correctional labour"}},
	Term{"OTHER", Labels{"Басқа", "Другое", "Other"}},
)

// AppealLevel is the GraphQL enumeration of the same name.
type AppealLevel string

const (
	AppealLevelAppeal    AppealLevel = "APPEAL"
	AppealLevelCassation AppealLevel = "CASSATION"
)

// AppealLevelVocabulary lists the codes of AppealLevel with their labels.
var AppealLevelVocabulary = newVocabulary("AppealLevel",
	Term{"APPEAL", Labels{"Апелляция", "Апелляция", "Appeal"}},
	Term{"CASSATION", Labels{"Кассация", "Кассация", "Cassation"}},
)

// AppealParty is the GraphQL enumeration of the same name.
type AppealParty string

const (
	AppealPartyDefendant  AppealParty = "DEFENDANT"
	AppealPartyProsecutor AppealParty = "PROSECUTOR"
)

// AppealPartyVocabulary lists the codes of AppealParty with their labels.
var AppealPartyVocabulary = newVocabulary("AppealParty",
	Term{"DEFENDANT", Labels{"Айыпталушы", "Обвиняемый", "Defendant"}},
	Term{"PROSECUTOR", Labels{"Прокурор", "Прокурор", "Prosecutor"}},
)

// AppealStatus is the GraphQL enumeration of the same name.
type AppealStatus string

const (
	AppealStatusPending    AppealStatus = "PENDING"
	AppealStatusUpheld     AppealStatus = "UPHELD"
	AppealStatusOverturned AppealStatus = "OVERTURNED"
	AppealStatusModified   AppealStatus = "MODIFIED"
	AppealStatusRemanded   AppealStatus = "REMANDED"
	AppealStatusWithdrawn  AppealStatus = "WITHDRAWN"
)

// AppealStatusVocabulary lists the codes of AppealStatus with their labels.
var AppealStatusVocabulary = newVocabulary("AppealStatus",
	Term{"PENDING", Labels{"Қаралуда", "На рассмотрении", "Pending"}},
	Term{"UPHELD", Labels{"Күшінде қалдырылды", "Оставлено в силе", "Upheld"}},
	Term{"OVERTURNED", Labels{"Жойылды", "Отменено", "Overturned"}},
	Term{"MODIFIED", Labels{"Өзгертілді", "Изменено", "Modified"}},
	Term{"REMANDED", Labels{"Қайта қарауға жіберілді", "Направлено на новое рассмотрение", "Remanded"}},
	Term{"WITHDRAWN", Labels{"Кері қайтарып алынды", "Отозвано", "Withdrawn"}},
)

// DefendantKind is the GraphQL enumeration of the same name.
type DefendantKind string

const (
	DefendantKindIndividual  DefendantKind = "INDIVIDUAL"
	DefendantKindBlogger     DefendantKind = "BLOGGER"
	DefendantKindJournalist  DefendantKind = "JOURNALIST"
	DefendantKindActivist    DefendantKind = "ACTIVIST"
	DefendantKindMediaOutlet DefendantKind = "MEDIA_OUTLET"
	DefendantKindLegalEntity DefendantKind = "LEGAL_ENTITY"
	DefendantKindOfficial    DefendantKind = "OFFICIAL"
	DefendantKindUnknown     DefendantKind = "UNKNOWN"
)

// DefendantKindVocabulary lists the codes of DefendantKind with their labels.
var DefendantKindVocabulary = newVocabulary("DefendantKind",
	Term{"INDIVIDUAL", Labels{"Жеке тұлға", "Физическое лицо", "Individual"}},
	Term{"BLOGGER", Labels{"Блогер", "Блогер", "Blogger"}},
	Term{"JOURNALIST", Labels{"Журналист", "Журналист", "Journalist"}},
	Term{"ACTIVIST", Labels{"Белсенді", "Активист", "Activist"}},
	Term{"MEDIA_OUTLET", Labels{"БАҚ", "СМИ", "Media outlet"}},
	Term{"LEGAL_ENTITY", Labels{"Заңды тұлға", "Юридическое лицо", "Legal entity"}},
	Term{"OFFICIAL", Labels{"Лауазымды тұлға", "Должностное лицо", "Official"}},
	Term{"UNKNOWN", Labels{"Белгісіз", "Неизвестно", "Unknown"}},
)

// Gender is the GraphQL enumeration of the same name.
type Gender string

const (
	GenderMale   Gender = "MALE"
	GenderFemale Gender = "FEMALE"
)

// GenderVocabulary lists the codes of Gender with their labels.
var GenderVocabulary = newVocabulary("Gender",
	Term{"MALE", Labels{"Ер", "Мужской", "Male"}},
	Term{"FEMALE", Labels{"Әйел", "Женский", "Female"}},
)

// AgeBand is the GraphQL enumeration of the same name.
type AgeBand string

const (
	AgeBandUnder18    AgeBand = "UNDER_18"
	AgeBandFrom18To24 AgeBand = "FROM_18_TO_24"
	AgeBandFrom25To34 AgeBand = "FROM_25_TO_34"
	AgeBandFrom35To44 AgeBand = "FROM_35_TO_44"
	AgeBandFrom45To54 AgeBand = "FROM_45_TO_54"
	AgeBandFrom55To64 AgeBand = "FROM_55_TO_64"
	AgeBandFrom65     AgeBand = "FROM_65"
)

// AgeBandVocabulary lists the codes of AgeBand with their labels.
var AgeBandVocabulary = newVocabulary("AgeBand",
	Term{"UNDER_18", Labels{"18-ге дейін", "До 18", "Under 18"}},
	Term{"FROM_18_TO_24", Labels{"18–24", "18–24", "18–24"}},
	Term{"FROM_25_TO_34", Labels{"25–34", "25–34", "25–34"}},
	Term{"FROM_35_TO_44", Labels{"35–44", "35–44", "35–44"}},
	Term{"FROM_45_TO_54", Labels{"45–54", "45–54", "45–54"}},
	Term{"FROM_55_TO_64", Labels{"55–64", "55–64", "55–64"}},
	Term{"FROM_65", Labels{"65 және одан жоғары", "65 и старше", "65 and over"}},
)

// DetectionAction is the GraphQL enumeration of the same name.
type DetectionAction string

const (
	DetectionActionRemovalRequested DetectionAction = "REMOVAL_REQUESTED"
	DetectionActionRemoved          DetectionAction = "REMOVED"
	DetectionActionBlocked          DetectionAction = "BLOCKED"
	DetectionActionReferredToPolice DetectionAction = "REFERRED_TO_POLICE"
	DetectionActionNoAction         DetectionAction = "NO_ACTION"
)

// DetectionActionVocabulary lists the codes of DetectionAction with their labels.
var DetectionActionVocabulary = newVocabulary("DetectionAction",
	Term{"REMOVAL_REQUESTED", Labels{"Жою талап етілді", "Запрошено удаление", "Removal requested"}},
	Term{"REMOVED", Labels{"Жойылды", "Удалено", "Removed"}},
	Term{"BLOCKED", Labels{"Бұғатталды", "Заблокировано", "Blocked"}},
	Term{"REFERRED_TO_POLICE", Labels{"Полицияға жіберілді", "Передано в полицию", "Referred to police"}},
	Term{"NO_ACTION", Labels{"Шара қолданылмады", "Без мер", "No action"}},
)

// CaseEventKind is the GraphQL enumeration of the same name.
type CaseEventKind string

const (
	CaseEventKindReported           CaseEventKind = "REPORTED"
	CaseEventKindExpertConclusion   CaseEventKind = "EXPERT_CONCLUSION"
	CaseEventKindCaseOpened         CaseEventKind = "CASE_OPENED"
	CaseEventKindProsecutorDecision CaseEventKind = "PROSECUTOR_DECISION"
	CaseEventKindCourtDecision      CaseEventKind = "COURT_DECISION"
	CaseEventKindAppealFiled        CaseEventKind = "APPEAL_FILED"
	CaseEventKindAppealDecided      CaseEventKind = "APPEAL_DECIDED"
	CaseEventKindCassationFiled     CaseEventKind = "CASSATION_FILED"
	CaseEventKindCassationDecided   CaseEventKind = "CASSATION_DECIDED"
)

// CaseEventKindVocabulary lists the codes of CaseEventKind with their labels.
var CaseEventKindVocabulary = newVocabulary("CaseEventKind",
	Term{"REPORTED", Labels{"Материал анықталды", "Материал выявлен", "Content reported"}},
	Term{"EXPERT_CONCLUSION", Labels{"Сараптама қорытындысы", "Заключение экспертизы", "Expert conclusion"}},
	Term{"CASE_OPENED", Labels{"Іс қозғалды", "Возбуждено дело", "Case opened"}},
	Term{"PROSECUTOR_DECISION", Labels{"Прокурор шешімі", "Решение прокурора", "Prosecutor's decision"}},
	Term{"COURT_DECISION", Labels{"Сот шешімі", "Решение суда", "Court decision"}},
	Term{"APPEAL_FILED", Labels{"Апелляциялық шағым берілді", "Подана апелляция", "Appeal filed"}},
	Term{"APPEAL_DECIDED", Labels{"Апелляция шешімі", "Решение апелляции", "Appeal decided"}},
	Term{"CASSATION_FILED", Labels{"Кассациялық шағым берілді", "Подана кассация", "Cassation filed"}},
	Term{"CASSATION_DECIDED", Labels{"Кассация шешімі", "Решение кассации", "Cassation decided"}},
)

// CaseOrder is the GraphQL enumeration of the same name.
type CaseOrder string

const (
	CaseOrderReportedDesc CaseOrder = "REPORTED_DESC"
	CaseOrderReportedAsc  CaseOrder = "REPORTED_ASC"
	CaseOrderDecidedDesc  CaseOrder = "DECIDED_DESC"
	CaseOrderDecidedAsc   CaseOrder = "DECIDED_ASC"
)

// CaseOrderVocabulary lists the codes of CaseOrder with their labels.
var CaseOrderVocabulary = newVocabulary("CaseOrder",
	Term{"REPORTED_DESC", Labels{"Алдымен жаңалары", "Сначала новые", "Newest report first"}},
	Term{"REPORTED_ASC", Labels{"Алдымен ескілері", "Сначала старые", "Oldest report first"}},
	Term{"DECIDED_DESC", Labels{"Соңғы шешімдер", "Последние решения", "Latest decision first"}},
	Term{"DECIDED_ASC", Labels{"Алғашқы шешімдер", "Ранние решения", "Earliest decision first"}},
)

// LangVocabulary labels the label languages themselves.
var LangVocabulary = newVocabulary("Lang",
	Term{"KK", Labels{"Қазақша", "Казахский", "Kazakh"}},
	Term{"RU", Labels{"Орысша", "Русский", "Russian"}},
	Term{"EN", Labels{"Ағылшынша", "Английский", "English"}},
)

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
