package privacy

import "strings"

// Word lists used by Redact. Lists are written in their source script and lower case; the
// name endings are converted once to the transliteration skeleton that name matching uses
// (see skeleton.go). Lists may miss words: a missing ending or marker lets a form slip past
// one rule (another rule may still catch it), so add to them when real data shows a gap.

// fields splits a space-separated list.
func fields(lists ...string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, strings.Fields(l)...)
	}
	return out
}

func set(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Case endings that may follow a name's stem. Russian: noun and adjective declension of
// first names, surnames (-ов/-ин, -ская/-ский) and patronymics. Kazakh and Kyrgyz: case
// endings with their vowel-harmony and assimilation variants, plural and plural+case.
var (
	russianEndings = fields(`а я у ю е и ы о ом ем ём ой ей ою ею ам ям ах ях ами ями ым им ых их
		ыми ими ого его ому ему ую юю ая яя ое ее ие ые ий ый ия ию ием ии ье ья ью ьи ьем ов ев`)
	kazakhEndings = fields(`ның нің дың дің тың тің ға ге қа ке на не а е ны ні ды ді ты ті н
		да де та те нда нде дан ден тан тен нан нен мен бен пен менен бенен пенен
		ы і сы сі ын ін сын сін дікі нікі тікі`)
	kyrgyzEndings = fields(`нын нин нун нүн дын дин дун дүн тын тин тун түн га ге го гө ка ке ко кө
		ны ни ну нү ды ди ду дү ты ти ту тү да де до дө та те то тө дан ден дон дөн тан тен
		тон төн нан нен нон нөн`)
	kazakhPlurals     = fields(`лар лер дар дер тар тер`)
	kazakhAfterPlural = fields(`дың дің ға ге ды ді да де дан ден мен ы і`)
)

// nameEndingWords lists every ending in source form.
func nameEndingWords() []string {
	words := fields(strings.Join(russianEndings, " "), strings.Join(kazakhEndings, " "),
		strings.Join(kyrgyzEndings, " "), strings.Join(kazakhPlurals, " "))
	for _, p := range kazakhPlurals {
		for _, e := range kazakhAfterPlural {
			words = append(words, p+e)
		}
	}
	return words
}

// Words that introduce an identity number: the number after them is an [IIN] whatever its
// length or checksum. Compared in lower case.
var iinKeywords = set(fields(`иин жсн iin пин pin инн inn бин bin`))

// Words that introduce a phone number.
var phoneKeywords = set(fields(`тел телефон телефона телефону телефоном телефоне моб мобильный
	ұялы phone tel mobile whatsapp ватсап вацап`))

// Words after which a code with a number is a case, protocol or court number. "№" and
// "No." are handled as punctuation.
var caseNumberKeywords = set(fields(`дело дела делу делом деле делам дел іс ісі істі ісінің ісі
	case протокол протокола протоколу протоколом протоколе постановление постановления
	решение решения приговор приговора хаттама хаттамасы`))

// Street words written before the street name ("ул. Абая", "проспект Достык"). The
// abbreviations need a full stop or a capitalised name or a number right after them.
var (
	streetAbbreviations = set(fields(`ул пр просп мкр мкрн пер бул жк көш даңғ ul pr`))
	streetWords         = set(fields(`улица улице улицы улицу улицей проспект проспекте проспекта
		проспекту проспектом микрорайон микрорайоне микрорайона переулок переулке переулка
		бульвар бульваре бульвара шоссе`))
)

// Lower-case words inside street names: "ул. Толе би", "Қабанбай батыр даңғылы".
var streetParticles = set(fields(`би батыр ата хан ана ақын акын`))

// House and flat words that need a number ("д. 15", "кв. 7", "15-үй", "12-пәтер").
var houseWords = set(fields(`д дом дома доме кв квартира квартире квартиры корп корпус оф офис
	үй үйі пәтер пәтері apt apartment flat блок блока блоке подъезд подъезда подъезде этаж этаже
	этажа секция кіреберіс block entrance floor`))

// Street words written after the street name: Kazakh ("Абай көшесі", declined forms by
// prefix) and English ("Abay Street").
var (
	kazakhStreetPrefixes = fields(`көшес даңғылы проспектіс ықшамаудан көчө`)
	kyrgyzStreetWords    = fields(`проспекти`) // by prefix, without a Kazakh letter
	englishStreetWords   = set(fields(`street st avenue ave road rd lane boulevard blvd`))
)

// Month names for dates written with words: Russian genitive, Kazakh (matched by prefix,
// for forms like "мамырда"), English.
var (
	russianMonths = set(fields(`января февраля марта апреля мая июня июля августа сентября
		октября ноября декабря`))
	kazakhMonths  = fields(`қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан`)
	englishMonths = set(fields(`january february march april may june july august september
		october november december jan feb mar apr jun jul aug sep sept oct nov dec`))
)

// nameStopWords are capitalised words that are not names: when a name rule extends over the
// capitalised words next to a patronymic or surname, it stops at these (role words, places,
// platforms, common sentence openings). Compared in lower case. Missing words only cause
// over-redaction.
var nameStopWords = set(fields(
	`суд суда суду судом судья судьи блогер блогера блогеру журналист журналиста активист
	активиста гражданин гражданина гражданка гражданки житель жителя жительница жительницы
	пользователь пользователя пользователем автор автора депутат депутата аким акима
	прокурор прокурора прокуратура адвокат адвоката полиция полиции министр министерство
	директор администратор организатор эксперт эксперты экспертиза
	публикация публикацию пост поста видео комментарий сообщение репост статья статьи
	материал материалы страница аккаунт канал канале
	сот соты сотының белсенді азамат азаматы азаматша тұрғын тұрғыны қолданушы пайдаланушы
	әкім жарияланым пікір бейне парақша арна арнасы
	court judge blogger journalist activist citizen resident user author mr mrs ms dr the
	post video comment account channel page
	instagram telegram tiktok facebook youtube whatsapp вконтакте twitter
	казахстан казахстана казахстане қазақстан қазақстанда кыргызстан кыргызстана қырғызстан
	kazakhstan kyrgyzstan алматы астана астаны шымкент бишкек бишкеке ош оше караганда
	караганды қарағанды актобе ақтөбе атырау актау ақтау павлодар семей костанай қостанай
	кызылорда қызылорда тараз уральск орал петропавловск туркестан түркістан өскемен
	талдыкорган талдықорған жезказган жезқазған кокшетау көкшетау экибастуз
	almaty astana shymkent bishkek osh
	коап коапа ук ук рк кр кыргызской казахской республики республика закон закона кодекс
	кодекса статья статьей статье
	глава главы главе пункт пункта пункте часть части приказ приказа указ указа
	приложение приложения постановление постановления решение решения
	бап бабы бабының тарау тарауы тармақ тармағы бөлік бөлігі бұйрық бұйрығы жарлық
	жарлығы заң заңы қосымша қосымшасы
	article articles chapter section paragraph order decree law annex part clause
	ростов саратов киев львов харьков тамбов псков азов кишинёв
	итогов фактов случаев штрафов постов материалов протоколов приговоров блогеров
	журналистов активистов комментариев просмотров репостов видеороликов сотрудников районов
	регионов депутатов кандидатов выводов доводов призывов митингов пикетов участников
	подписчиков процентов миллионов тысяч министров федерации федерация
	мужчина мужчины мужчину мужчине половина причина машина картина магазин один господин вершина
	берлин пекин кремль kremlin berlin latin
	союз союза союзе пен ассоциация ассоциации агентство агентства фонд фонда центр центра партия
	партии банк банка бюро клуб клуба университет университета институт института`))

// Top-level domains that make "name.tld" a link even without a path. Any other ASCII TLD
// counts when a path follows ("something.tld/path").
var knownTLDs = set(fields(`com net org info biz edu gov int mil io co me tv cc ly be gg to fm ai
	app dev site online xyz top club pro shop store live news blog link click space website tech
	kz kg ru ua by uz tj tm am az ge md su lt lv ee pl cz sk de fr it es pt nl ch at se no fi dk
	uk us ca au nz tr cn jp kr in eu ir il ae sa qa
	рф қаз бел укр рус срб мкд орг ком онлайн сайт москва дети`))

// vocabClass says which of the lists above a word is on; tokenize looks every word up once.
type vocabClass uint16

const (
	vocabIINKeyword vocabClass = 1 << iota
	vocabPhoneKeyword
	vocabCaseKeyword
	vocabStreetWord
	vocabStreetAbbreviation
	vocabHouseWord
	vocabEnglishStreetWord
	vocabStopWord
	vocabRussianMonth
	vocabEnglishMonth
	vocabStreetParticle
	vocabEnglishBorn
	vocabAgeBefore
	vocabYearWord
)

var (
	vocabulary    = map[string]vocabClass{}
	maxVocabBytes int
)

func init() {
	for class, words := range map[vocabClass]map[string]bool{
		vocabIINKeyword: iinKeywords, vocabPhoneKeyword: phoneKeywords,
		vocabCaseKeyword: caseNumberKeywords, vocabStreetWord: streetWords,
		vocabStreetAbbreviation: streetAbbreviations, vocabHouseWord: houseWords,
		vocabEnglishStreetWord: englishStreetWords, vocabStopWord: nameStopWords,
		vocabRussianMonth: russianMonths, vocabEnglishMonth: englishMonths,
		vocabStreetParticle: streetParticles, vocabEnglishBorn: {"born": true, "b": true},
		vocabAgeBefore: ageBefore, vocabYearWord: yearWords,
	} {
		for w := range words {
			vocabulary[w] |= class
			maxVocabBytes = max(maxVocabBytes, len(w))
		}
	}
}

// lookupVocab returns the classes of a case-folded word.
func lookupVocab(fold string) vocabClass {
	if len(fold) > maxVocabBytes {
		return 0
	}
	return vocabulary[fold]
}
