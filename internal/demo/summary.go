package demo

import (
	"math/rand/v2"
	"strings"

	"github.com/casewatch/casewatch/internal/model"
)

// Summaries are short made-up descriptions that look already redacted: identifiers appear
// only as the tokens [NAME], [HANDLE] and [LINK]. They contain no names, numbers, handles,
// links or phone numbers. In a template, {p} is the platform phrase and {t} a topic.

type language int

const (
	russian language = iota
	kazakh
	english
)

// Percent of cases without a summary ("nothing safe remains").
const noSummaryPercent = 10

// Summary languages: KZ mostly Russian, some Kazakh and English; KG Russian and English
// (there are no Kyrgyz templates).
var summaryLanguages = map[model.Jurisdiction]*table[language]{
	model.JurisdictionKZ: newTable([]language{russian, kazakh, english}, 75, 15, 10),
	model.JurisdictionKG: newTable([]language{russian, kazakh, english}, 85, 0, 15),
}

// platformPhrases[language][platform] says "on <platform>". Kazakh phrases open the
// sentence, so they are capitalised.
var platformPhrases = [...]map[model.Platform]string{
	russian: {
		model.PlatformInstagram: "в Instagram", model.PlatformTelegram: "в Telegram",
		model.PlatformTiktok: "в TikTok", model.PlatformFacebook: "в Facebook",
		model.PlatformYoutube: "на YouTube", model.PlatformVK: "во ВКонтакте",
		model.PlatformWhatsapp: "в WhatsApp", model.PlatformX: "в X (Twitter)",
		model.PlatformWebsite: "на веб-сайте", model.PlatformOther: "в интернете",
	},
	kazakh: {
		model.PlatformInstagram: "Instagram-да", model.PlatformTelegram: "Telegram-да",
		model.PlatformTiktok: "TikTok-та", model.PlatformFacebook: "Facebook-та",
		model.PlatformYoutube: "YouTube-та", model.PlatformVK: "ВКонтакте желісінде",
		model.PlatformWhatsapp: "WhatsApp-та", model.PlatformX: "X желісінде",
		model.PlatformWebsite: "Веб-сайтта", model.PlatformOther: "Интернетте",
	},
	english: {
		model.PlatformInstagram: "on Instagram", model.PlatformTelegram: "on Telegram",
		model.PlatformTiktok: "on TikTok", model.PlatformFacebook: "on Facebook",
		model.PlatformYoutube: "on YouTube", model.PlatformVK: "on VK",
		model.PlatformWhatsapp: "on WhatsApp", model.PlatformX: "on X (Twitter)",
		model.PlatformWebsite: "on a website", model.PlatformOther: "online",
	},
}

// summaryText holds a category's templates and topics in one language.
type summaryText struct {
	templates []string
	topics    []string
}

var summaries = map[model.ContentCategory][3]summaryText{
	model.ContentCategoryFalseInformation: {
		russian: {
			templates: []string{
				"Публикация {p} с непроверенными сведениями {t}; автор [NAME].",
				"Видео {p} с ложными утверждениями {t}, распространённое пользователем [HANDLE].",
				"Сообщение {p}, распространявшее слухи {t}; автор [NAME].",
				"Репост {p} недостоверной информации {t} со ссылкой на [LINK].",
			},
			topics: []string{"о паводке в регионе", "о закрытии школ", "о росте цен на топливо",
				"о вспышке инфекции", "об аварии на предприятии", "о нехватке продуктов",
				"о задержке пенсий"},
		},
		kazakh: {
			templates: []string{
				"{p} тексерілмеген ақпарат жарияланды: {t}; авторы [NAME].",
				"{p} жалған мәлімет таратылды: {t}; аккаунт [HANDLE].",
			},
			topics: []string{"аймақтағы су тасқыны", "мектептердің жабылуы", "жанармай бағасының өсуі",
				"жұқпалы аурудың таралуы"},
		},
		english: {
			templates: []string{
				"Post {p} with unverified claims {t}; author [NAME].",
				"Video {p} spreading false statements {t}; account [HANDLE].",
			},
			topics: []string{"about flooding in the region", "about school closures",
				"about fuel price rises", "about an outbreak of infection"},
		},
	},
	model.ContentCategoryInsultOrLibel: {
		russian: {templates: []string{
			"Комментарий {p} с оскорблениями в адрес [NAME].",
			"Публикация {p}, порочащая честь и достоинство [NAME]; автор [HANDLE].",
			"Видео {p} с обвинениями в адрес должностного лица [NAME].",
			"Пост {p} с оскорбительными высказываниями о [NAME] и ссылкой на [LINK].",
		}},
		kazakh: {templates: []string{
			"{p} [NAME] атына қорлайтын пікір жарияланды.",
			"{p} [NAME] ар-намысына нұқсан келтіретін жарияланым; авторы [HANDLE].",
		}},
		english: {templates: []string{
			"Comment {p} insulting [NAME].",
			"Post {p} alleged to defame [NAME]; author [HANDLE].",
		}},
	},
	model.ContentCategoryIncitementOfDiscord: {
		russian: {
			templates: []string{
				"Публикация {p} с высказываниями, по заключению экспертизы возбуждающими {t} рознь; автор [NAME].",
				"Видео {p}, в котором эксперты усмотрели разжигание {t2} розни; аккаунт [HANDLE].",
				"Комментарии {p} с унизительными высказываниями о группе населения; автор [NAME].",
			},
			topics: []string{"межнациональную", "социальную", "религиозную", "межрегиональную"},
		},
		kazakh: {templates: []string{
			"{p} алауыздықты қоздыратын жарияланым; авторы [NAME].",
			"{p} ұлтаралық араздықты қоздыратын пікірлер; аккаунт [HANDLE].",
		}},
		english: {
			templates: []string{"Post {p} found by experts to incite {t} discord; author [NAME]."},
			topics:    []string{"ethnic", "social", "religious", "regional"},
		},
	},
	model.ContentCategoryUnsanctionedAssembly: {
		russian: {
			templates: []string{
				"Призыв {p} к участию в несогласованном митинге {t}; автор [NAME].",
				"Публикация {p} с приглашением на несанкционированное собрание {t}; ссылка [LINK].",
				"Пост {p} с призывом выйти на акцию протеста; автор [HANDLE].",
			},
			topics: []string{"у здания администрации", "на центральной площади", "у здания суда"},
		},
		kazakh: {templates: []string{
			"{p} рұқсат етілмеген митингке шақыру жарияланды; авторы [NAME].",
		}},
		english: {templates: []string{
			"Call {p} to join an unsanctioned rally; author [NAME].",
		}},
	},
	model.ContentCategoryTerrorismPropaganda: {
		russian: {templates: []string{
			"Распространение {p} видеоматериалов террористической организации; аккаунт [HANDLE].",
			"Публикация {p} с оправданием террористических действий; автор [NAME].",
			"Репост {p} материалов, признанных террористическими; ссылка [LINK].",
		}},
		kazakh: {templates: []string{
			"{p} террористік ұйымның материалдары таратылды; аккаунт [HANDLE].",
		}},
		english: {templates: []string{
			"Videos of a terrorist organisation shared {p}; account [HANDLE].",
		}},
	},
	model.ContentCategoryReligiousExtremism: {
		russian: {templates: []string{
			"Распространение {p} материалов запрещённого религиозного объединения; автор [NAME].",
			"Аудиолекции {p} из перечня экстремистских материалов; аккаунт [HANDLE].",
			"Публикация {p} с призывами к участию в деятельности запрещённой организации; ссылка [LINK].",
		}},
		kazakh: {templates: []string{
			"{p} тыйым салынған діни бірлестіктің материалдары таратылды; авторы [NAME].",
		}},
		english: {templates: []string{
			"Material of a banned religious association shared {p}; author [NAME].",
		}},
	},
	model.ContentCategoryDrugPromotion: {
		russian: {templates: []string{
			"Реклама {p} продажи синтетических наркотиков; аккаунт [HANDLE].",
			"Страница {p} с рекламой «закладок»; администратор [NAME].",
			"Объявление {p} о работе «курьером» в интернет-магазине наркотиков; ссылка [LINK].",
		}},
		kazakh: {templates: []string{
			"{p} есірткі сату жарнамасы; аккаунт [HANDLE].",
		}},
		english: {templates: []string{
			"Advertising {p} for synthetic drugs; account [HANDLE].",
		}},
	},
	model.ContentCategoryGamblingAdvertising: {
		russian: {templates: []string{
			"Реклама {p} нелегального онлайн-казино; аккаунт [HANDLE].",
			"Публикация {p} с рекламой букмекерской конторы без лицензии; ссылка [LINK].",
			"Розыгрыш {p} с переходом на сайт азартных игр [LINK]; автор [NAME].",
		}},
		kazakh: {templates: []string{
			"{p} заңсыз онлайн-казино жарнамасы; аккаунт [HANDLE].",
		}},
		english: {templates: []string{
			"Advertising {p} for an unlicensed online casino; account [HANDLE].",
		}},
	},
	model.ContentCategoryPyramidScheme: {
		russian: {templates: []string{
			"Привлечение {p} вкладчиков в «инвестиционный проект» с обещанием высокой доходности; организатор [NAME].",
			"Реклама {p} финансовой пирамиды под видом криптовалютной платформы; ссылка [LINK].",
			"Приглашения {p} в «инвестиционный клуб» с выплатами за новых участников; аккаунт [HANDLE].",
		}},
		kazakh: {templates: []string{
			"{p} қаржы пирамидасының жарнамасы; ұйымдастырушы [NAME].",
		}},
		english: {templates: []string{
			"Promotion {p} of an investment scheme promising high returns; organiser [NAME].",
		}},
	},
	model.ContentCategoryOther: {
		russian: {templates: []string{
			"Публикация {p}, признанная противоправной по иным основаниям; автор [NAME].",
			"Материал {p} с нарушением требований законодательства; ссылка [LINK].",
		}},
		kazakh: {templates: []string{
			"{p} заңға қайшы деп танылған жарияланым; авторы [NAME].",
		}},
		english: {templates: []string{
			"Post {p} found unlawful on other grounds; author [NAME].",
		}},
	},
}

// genitive turns the Russian incitement topics (accusative feminine adjectives) into the
// genitive that "разжигание … розни" needs.
var genitive = map[string]string{
	"межнациональную": "межнациональной", "социальную": "социальной",
	"религиозную": "религиозной", "межрегиональную": "межрегиональной",
}

// summary draws a case's summary, nil for about one case in ten.
func summary(r *rand.Rand, j model.Jurisdiction, c model.ContentCategory, p model.Platform) *string {
	if chance(r, noSummaryPercent) {
		return nil
	}
	lang := summaryLanguages[j].pick(r)
	text := summaries[c][lang]
	template := text.templates[r.IntN(len(text.templates))]
	topic := ""
	if len(text.topics) > 0 {
		topic = text.topics[r.IntN(len(text.topics))]
	}
	s := fill(template, platformPhrases[lang][p], topic)
	return &s
}

// fill replaces {p}, {t} and {t2} (the topic in the genitive) in a template.
func fill(template, platform, topic string) string {
	var b strings.Builder
	b.Grow(len(template) + len(platform) + len(topic))
	rest := template
	for {
		before, after, found := strings.Cut(rest, "{")
		b.WriteString(before)
		if !found {
			return b.String()
		}
		slot, tail, _ := strings.Cut(after, "}")
		switch slot {
		case "p":
			b.WriteString(platform)
		case "t":
			b.WriteString(topic)
		case "t2":
			b.WriteString(genitive[topic])
		}
		rest = tail
	}
}
