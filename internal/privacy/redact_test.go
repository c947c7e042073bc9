package privacy

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// redactCase checks one text: what must be gone, which tokens must appear, what must stay.
type redactCase struct {
	name   string
	text   string
	names  []string
	gone   []string // must not appear in the output (compared case-insensitively)
	tokens []string // must appear
	keep   []string // must appear unchanged
	want   string   // the whole output, when set
}

func runRedactCases(t *testing.T, cases []redactCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, _ := Redact(c.text, c.names...)
			for _, g := range c.gone {
				if containsWord(out, g) {
					t.Errorf("%q survived:\n in: %s\nout: %s", g, c.text, out)
				}
			}
			for _, tok := range c.tokens {
				if !strings.Contains(out, tok) {
					t.Errorf("no %s:\n in: %s\nout: %s", tok, c.text, out)
				}
			}
			for _, k := range c.keep {
				if !strings.Contains(out, k) {
					t.Errorf("%q was not kept:\n in: %s\nout: %s", k, c.text, out)
				}
			}
			if c.want != "" && out != c.want {
				t.Errorf("\n in: %s\nout: %s\nwant %s", c.text, out, c.want)
			}
			// Redacting again changes nothing.
			if again, _ := Redact(out, c.names...); again != out {
				t.Errorf("not idempotent:\n once: %s\ntwice: %s", out, again)
			}
		})
	}
}

func TestRedactIdentityNumbers(t *testing.T) {
	iin := makeIIN(t, "900101", '3', 123)
	iin2 := makeIIN(t, "851230", '4', 777)
	pin := makeKGPIN('2', "15011990", 12345)
	runRedactCases(t, []redactCase{
		{name: "ru keyword", text: "Гражданин с ИИН " + iin + " оштрафован по ст. 456-2 КоАП.",
			gone: []string{iin}, tokens: []string{TokenIIN}, keep: []string{"ст. 456-2 КоАП"},
			want: "Гражданин с ИИН [IIN] оштрафован по ст. 456-2 КоАП."},
		{name: "ru keyword colon", text: "ИИН: " + iin + ", житель Алматы.", gone: []string{iin}, tokens: []string{TokenIIN}},
		{name: "ru keyword numero", text: "ИИН №" + iin + " указан в протоколе.", gone: []string{iin}, tokens: []string{TokenIIN}},
		{name: "glued to keyword", text: "ИИН" + iin + " указан в протоколе.", gone: []string{iin}, tokens: []string{TokenIIN}},
		{name: "kk keyword", text: "ЖСН " + iin + " азаматқа айыппұл салынды.", gone: []string{iin}, tokens: []string{TokenIIN}},
		{name: "en keyword", text: "The defendant (IIN " + iin + ") was fined 20 MCI.", gone: []string{iin},
			tokens: []string{TokenIIN}, keep: []string{"20 MCI"}},
		{name: "bare", text: "Владелец аккаунта " + iin + " удалил пост.", gone: []string{iin}, tokens: []string{TokenIIN}},
		{name: "spaces", text: "Номер " + iin[:6] + " " + iin[6:] + " в базе.", gone: []string{iin[:6], iin[6:]}, tokens: []string{TokenIIN}},
		{name: "groups of four", text: "Номер " + iin[:4] + " " + iin[4:8] + " " + iin[8:] + " в базе.",
			gone: []string{iin[:4], iin[4:8], iin[8:]}, tokens: []string{TokenIIN}},
		{name: "dashes", text: "Номер " + iin[:4] + "-" + iin[4:8] + "-" + iin[8:] + " в базе.",
			gone: []string{iin[4:8], iin[8:]}, tokens: []string{TokenIIN}},
		{name: "two", text: "ИИН " + iin + " и " + iin2 + " совпали.", gone: []string{iin, iin2}},
		{name: "wrong checksum after keyword", text: "ИИН 123456789012 неверен.", gone: []string{"123456789012"}, tokens: []string{TokenIIN}},
		{name: "full-width digits", text: "ИИН " + toFullWidth(iin) + " указан.", gone: []string{iin, toFullWidth(iin)}, tokens: []string{TokenIIN}},
		{name: "zero-width space inside", text: "ИИН " + iin[:6] + "\u200b" + iin[6:] + " указан.", gone: []string{iin[:6], iin[6:]}},
		{name: "KG PIN keyword", text: "ПИН " + pin + " принадлежит жителю Бишкека.", gone: []string{pin}, tokens: []string{TokenIIN}},
		{name: "KG PIN en", text: "PIN: " + pin + ", resident of Osh.", gone: []string{pin}, tokens: []string{TokenIIN}},
		{name: "KG PIN bare", text: "Жеке номер " + pin + " көрсетілген.", gone: []string{pin}, tokens: []string{TokenIIN}},
		{name: "KG PIN grouped", text: "Номер " + pin[:1] + " " + pin[1:9] + " " + pin[9:] + " указан.", gone: []string{pin[1:9], pin[9:]}, tokens: []string{TokenIIN}},
		{name: "INN", text: "ИНН " + pin + " в деле.", gone: []string{pin}, tokens: []string{TokenIIN}},
	})
}

func TestRedactPhones(t *testing.T) {
	runRedactCases(t, []redactCase{
		{name: "+7 brackets", text: "Звонил с номера +7 (701) 123-45-67 вечером.", gone: []string{"701", "123-45-67"}, tokens: []string{TokenPhone},
			want: "Звонил с номера [PHONE] вечером."},
		{name: "8 spaced", text: "Телефон 8 701 1234567 указан в посте.", gone: []string{"1234567"}, tokens: []string{TokenPhone}},
		{name: "8 glued", text: "Пишите на 87011234567 в WhatsApp.", gone: []string{"87011234567"}, tokens: []string{TokenPhone}, keep: []string{"WhatsApp"}},
		{name: "+7 glued", text: "Номер +77011234567 принадлежит автору.", gone: []string{"7011234567"}, tokens: []string{TokenPhone}},
		{name: "7 glued", text: "Номер 77011234567 принадлежит автору.", gone: []string{"7011234567"}, tokens: []string{TokenPhone}},
		{name: "dashes", text: "Номер 8-701-123-45-67 принадлежит автору.", gone: []string{"123-45-67"}, tokens: []string{TokenPhone}},
		{name: "city", text: "Приёмная: 8 (727) 250-00-00, звонить днём.", gone: []string{"727", "250-00-00"}, tokens: []string{TokenPhone}},
		{name: "without prefix", text: "Номер (701) 123 45 67 указан.", gone: []string{"701", "123 45 67"}, tokens: []string{TokenPhone}},
		{name: "kk", text: "Байланыс телефоны: 8 777 123 45 67, хабарласыңыз.", gone: []string{"777", "123 45 67"}, tokens: []string{TokenPhone}},
		{name: "en", text: "Call +7 727 250 0000 for details.", gone: []string{"727", "250 0000"}, tokens: []string{TokenPhone}},
		{name: "KG +996", text: "Номер +996 555 123 456 указан в объявлении.", gone: []string{"555 123 456"}, tokens: []string{TokenPhone}},
		{name: "KG +996 glued", text: "Номер +996555123456 указан в объявлении.", gone: []string{"555123456"}, tokens: []string{TokenPhone}},
		{name: "KG 0", text: "Звоните 0555 123 456 до обеда.", gone: []string{"0555", "123 456"}, tokens: []string{TokenPhone}},
		{name: "KG 0 brackets", text: "Звоните 0 (555) 12-34-56 до обеда.", gone: []string{"555", "12-34-56"}, tokens: []string{TokenPhone}},
		{name: "KG 996 no plus", text: "Номер 996 555 123 456 в объявлении.", gone: []string{"555 123 456"}, tokens: []string{TokenPhone}},
		{name: "short after keyword", text: "тел. 12-34 внутренний, спросить дежурного.", gone: []string{"12-34"}, tokens: []string{TokenPhone}},
		{name: "dots", text: "Номер 8.701.123.45.67 принадлежит автору.", gone: []string{"123.45.67"}, tokens: []string{TokenPhone}},
	})
}

func TestRedactEmailsLinksHandles(t *testing.T) {
	runRedactCases(t, []redactCase{
		{name: "email", text: "Писал с адреса ivan.petrov@mail.kz несколько раз.", gone: []string{"ivan.petrov", "mail.kz"}, tokens: []string{TokenEmail},
			want: "Писал с адреса [EMAIL] несколько раз."},
		{name: "email upper", text: "Адрес IVAN_1990@GMAIL.COM указан в жалобе.", gone: []string{"ivan_1990", "gmail"}, tokens: []string{TokenEmail}},
		{name: "email cyrillic", text: "Адрес иван@почта.рф указан в жалобе.", gone: []string{"иван@", "почта"}, tokens: []string{TokenEmail}},
		{name: "email brackets", text: "Автор (aigerim-a+news@example.org) не ответил.", gone: []string{"aigerim", "example.org"}, tokens: []string{TokenEmail}},
		{name: "email kk", text: "Электрондық пошта: qazaq.news@inbox.kz арқылы жіберілді.", gone: []string{"qazaq.news", "inbox"}, tokens: []string{TokenEmail}},
		{name: "https", text: "Пост по ссылке https://instagram.com/p/Cx12abc/ удалён.", gone: []string{"instagram.com", "Cx12abc"}, tokens: []string{TokenLink},
			want: "Пост по ссылке [LINK] удалён."},
		{name: "http query", text: "Видео http://youtube.com/watch?v=abc123&t=5 удалено.", gone: []string{"youtube.com", "abc123"}, tokens: []string{TokenLink}},
		{name: "www", text: "Статья на www.tengrinews.kz/news/123 вызвала споры.", gone: []string{"tengrinews", "news/123"}, tokens: []string{TokenLink}},
		{name: "t.me", text: "Канал t.me/joinchat/AbCdEf заблокирован.", gone: []string{"t.me", "AbCdEf"}, tokens: []string{TokenLink}},
		{name: "t.me kk", text: "Telegram-арнасы t.me/qazaq_news бұғатталды.", gone: []string{"qazaq_news"}, tokens: []string{TokenLink}, keep: []string{"Telegram-арнасы"}},
		{name: "instagram path", text: "Аккаунт instagram.com/aigerim.a закрыт.", gone: []string{"aigerim.a"}, tokens: []string{TokenLink}},
		{name: "vk", text: "Страница vk.com/id12345 удалена.", gone: []string{"vk.com", "id12345"}, tokens: []string{TokenLink}},
		{name: "tiktok handle in path", text: "Ролик tiktok.com/@user.name/video/7 удалён.", gone: []string{"user.name", "video/7"}, tokens: []string{TokenLink}},
		{name: "any tld with path", text: "Блог blog.example.xyz/post/1 закрыт.", gone: []string{"example", "post/1"}, tokens: []string{TokenLink}},
		{name: "unknown tld with path", text: "Сайт shop.example.qwerty/item/9 закрыт.", gone: []string{"example", "item/9"}, tokens: []string{TokenLink}},
		{name: "bare domain", text: "Издание tengrinews.kz опубликовало опровержение.", gone: []string{"tengrinews"}, tokens: []string{TokenLink}},
		{name: "cyrillic domain", text: "Сайт президент.рф упомянут в посте.", gone: []string{"президент.рф"}, tokens: []string{TokenLink}},
		{name: "en link", text: "The post at https://facebook.com/ivan.petrov/posts/1, now removed, was cited.", gone: []string{"ivan.petrov"}, tokens: []string{TokenLink}},
		{name: "link in brackets", text: "Видео (https://youtu.be/abc) удалено.", gone: []string{"youtu.be", "abc)"}, tokens: []string{TokenLink}},
		{name: "handle", text: "Аккаунт @aigerim_a опубликовал видео.", gone: []string{"aigerim_a"}, tokens: []string{TokenHandle},
			want: "Аккаунт [HANDLE] опубликовал видео."},
		{name: "handle dots", text: "Пользователь @ivan.petrov. Пост удалён.", gone: []string{"ivan.petrov"}, tokens: []string{TokenHandle}},
		{name: "handle brackets", text: "Блогер (@qazaq_news) удалил пост.", gone: []string{"qazaq_news"}, tokens: []string{TokenHandle}},
		{name: "handle kk", text: "@qazaq_news арнасында жалған ақпарат таратылды.", gone: []string{"qazaq_news"}, tokens: []string{TokenHandle}},
		{name: "handle en", text: "Posts by @Ivan_Petrov_1990 were removed.", gone: []string{"ivan_petrov"}, tokens: []string{TokenHandle}},
		{name: "handle cyrillic", text: "Канал @новости_алматы заблокирован.", gone: []string{"новости_алматы"}, tokens: []string{TokenHandle}},
		{name: "user name without @", text: "Блогер под ником aigerim_a_kz удалил пост.", gone: []string{"aigerim_a_kz", "aigerim"}, tokens: []string{TokenHandle}},
		{name: "user name en", text: "Instagram: ivan_petrov.1990, now private.", gone: []string{"ivan_petrov"}, tokens: []string{TokenHandle}},
		{name: "not a link", text: "Суд, т.е. районный суд г.Алматы, рассмотрел дело и т.д.", keep: []string{"т.е.", "г.Алматы", "т.д."}},
	})
}

func TestRedactCardsNumbersDates(t *testing.T) {
	runRedactCases(t, []redactCase{
		{name: "card groups", text: "Деньги переводили на карту 4400 1234 5678 9012 ежемесячно.", gone: []string{"4400", "9012"}, tokens: []string{TokenCard},
			want: "Деньги переводили на карту [CARD] ежемесячно."},
		{name: "card dashes", text: "Карта 4400-1234-5678-9012 указана.", gone: []string{"5678"}, tokens: []string{TokenCard}},
		{name: "card glued", text: "Карта 4400123456789012 указана.", gone: []string{"4400123456789012"}, tokens: []string{TokenCard}},
		{name: "card 19", text: "Карта 6250 9410 0652 8599 123 указана.", gone: []string{"6250", "8599"}, tokens: []string{TokenCard}},
		{name: "case number", text: "Суд рассмотрел дело № 2-1234/2024 в мае.", gone: []string{"1234", "2-1234/2024"}, tokens: []string{TokenNumber},
			want: "Суд рассмотрел дело № [NUMBER] в мае."},
		{name: "case number short", text: "Постановление по делу № 5-12/24 отменено.", gone: []string{"5-12/24"}, tokens: []string{TokenNumber}},
		{name: "case number letters", text: "Протокол № 15-АП-123/2024 составлен.", gone: []string{"15-АП-123/2024", "123/2024"}, tokens: []string{TokenNumber}},
		{name: "case number without numero", text: "Материалы дела 2-456/2024 переданы в суд.", gone: []string{"2-456/2024"}, tokens: []string{TokenNumber}},
		{name: "case number numero glued", text: "Дело №1-15/2025 рассмотрено.", gone: []string{"1-15/2025"}, tokens: []string{TokenNumber}},
		{name: "kk case number", text: "№ 2-456/2024 іс бойынша шешім шықты.", gone: []string{"2-456/2024"}, tokens: []string{TokenNumber}},
		{name: "en case number", text: "In case No. 123/2024 the court upheld the fine.", gone: []string{"123/2024"}, tokens: []string{TokenNumber}},
		{name: "five digits", text: "Номер обращения 12345 зарегистрирован.", gone: []string{"12345"}, tokens: []string{TokenNumber}},
		{name: "protocol", text: "Составлен протокол 987654 об административном правонарушении.", gone: []string{"987654"}, tokens: []string{TokenNumber}},
		{name: "grouped amount", text: "Штраф составил 73 840 тенге по ст. 456-2.", gone: []string{"73 840"}, tokens: []string{TokenNumber}, keep: []string{"456-2"}},
		{name: "date dots", text: "Решение вынесено 01.05.2024 районным судом.", gone: []string{"01.05.2024"}, tokens: []string{TokenDate},
			want: "Решение вынесено [DATE] районным судом."},
		{name: "date iso", text: "Пост опубликован 2024-05-01 в Telegram.", gone: []string{"2024-05-01"}, tokens: []string{TokenDate}},
		{name: "date slashes", text: "Пост опубликован 1/5/2024 в Telegram.", gone: []string{"1/5/2024"}, tokens: []string{TokenDate}},
		{name: "date short year", text: "Пост опубликован 01.05.24 в Telegram.", gone: []string{"01.05.24"}, tokens: []string{TokenDate}},
		{name: "date ru words", text: "Задержан 1 мая 2024 года в Алматы.", gone: []string{"1 мая 2024"}, tokens: []string{TokenDate}, keep: []string{"года в Алматы"}},
		{name: "date kk words", text: "2024 жылғы 1 мамырда сот шешім шығарды.", gone: []string{"2024 жылғы 1"}, tokens: []string{TokenDate}},
		{name: "date kk day month year", text: "Пост 15 наурыз 2024 жарияланды.", gone: []string{"15 наурыз 2024"}, tokens: []string{TokenDate}},
		{name: "date en", text: "The post of May 1, 2024 was removed.", gone: []string{"May 1, 2024"}, tokens: []string{TokenDate}},
		{name: "date en day first", text: "The post of 1 May 2024 was removed.", gone: []string{"1 May 2024"}, tokens: []string{TokenDate}},
		{name: "birth year ru", text: "Блогер 1990 г.р. из Алматы оштрафован в 2024 г.", gone: []string{"1990"}, tokens: []string{TokenDate}, keep: []string{"2024 г."}},
		{name: "birth year ru words", text: "Житель Шымкента 1985 года рождения задержан в 2023 году.", gone: []string{"1985"}, keep: []string{"2023 году"}},
		{name: "birth year kk", text: "1990 жылы туған блогер айыппұл төледі.", gone: []string{"1990"}, tokens: []string{TokenDate}},
		{name: "birth year en", text: "The blogger, born in 1990, was fined in 2024.", gone: []string{"1990"}, keep: []string{"2024"}},
	})
}

func TestRedactKeepsOrdinaryText(t *testing.T) {
	for _, text := range []string{
		"Суд оштрафовал блогера на 20 МРП по ст. 456-2 КоАП РК.",
		"По ч. 2 ст. 274 УК РК назначено 3 года ограничения свободы.",
		"Штраф 100 МРП, в 2024 году МРП составлял 3 692 тенге.",
		"В 2020-2024 годах таких дел было 4, в 2023–2024 годах ещё 51.",
		"Решение вынесено в мае 2024 года, апелляция подана через 10 дней.",
		"Административный штраф по статье CAO 456-2 и CC 274 в Instagram и Telegram.",
		"Кодекс КР о правонарушениях, ст. 107-1: штраф 200 расчётных показателей.",
		"Facebook-та жарияланған пост үшін 30 АЕК айыппұл салынды.",
		"The court fined the blogger 20 MCI under article 456-2 of the Code.",
		"Суд признал публикацию ложной информацией; штраф уплачен.",
		"Алматинский городской суд оставил в силе решение о штрафе в отношении блогера за публикацию в Facebook.",
		"Прокуратура Мангистауской области согласовала протокол по статье 456-2 КоАП.",
		"Министерство культуры и информации выявило материалы, распространяемые через Telegram-каналы.",
		"Специализированный межрайонный административный суд города Астаны назначил штраф в размере 20 МРП.",
		"По данным МВД, за восемь месяцев 2025 года по статье 456-2 привлечены 51 человек.",
		"Экспертиза Центра судебных экспертиз Минюста не нашла признаков разжигания розни.",
		"Сотрудники департамента полиции Туркестанской области задержали администратора канала.",
		"Жамбыл облысының әкімдігі жалған ақпарат туралы мәлімдеме жасады.",
		"Қарағанды облыстық соты шағымды қанағаттандырусыз қалдырды.",
		"The Specialized Interdistrict Administrative Court of Almaty fined the activist 30 MCI for a post on Instagram.",
		"Human Rights Watch and Adil Soz criticised the prosecution.",
		"Kazakhstan's Ministry of Culture and Information flagged 116,354 items in 2024.",
		"Согласно статье 274 УК РК, распространение заведомо ложной информации наказывается штрафом до 3000 МРП.",
		"Пользователь разместил видео о Кантаре, ссылаясь на Ростов и Саратов.",
		"Блогер из Павлодара опубликовал пост о ценах на бензин; суд Павлодарской области оштрафовал его.",
		"Итогов проверки нет. Фактов давления не выявлено. Случаев повторного нарушения два.",
		"Ақтөбе облысында Telegram-арнаның әкімшісі 15 тәулікке қамалды.",
		"Суд Бишкека оштрафовал пользователя по статье 107-1 Кодекса о правонарушениях на 200 расчётных показателей.",
		"Видео набрало 1,5 млн просмотров за 3 дня, после чего было удалено.",
		"В посте утверждалось, что в Атырау закрывают школы из-за вспышки кори.",
		"Адвокат обжаловал постановление в апелляционной коллегии Алматинского городского суда.",
		"Основанием для проверки стало обращение депутата Мажилиса.",
		"Жители микрорайона жаловались на шум; пост собрал 300 комментариев.",
		"Сот шешімі 2024 жылы заңды күшіне енді.",
		"Ковид, вакцинация и чипирование: автор повторял конспирологические версии.",
		"Статья опубликована на сайте издания, затем перепечатана в Instagram.",
	} {
		out, ok := Redact(text)
		if out != text || !ok {
			t.Errorf("changed or unpublishable (%v):\n in: %s\nout: %s", ok, text, out)
		}
	}
}

func TestRedactOwnNames(t *testing.T) {
	forms := func(name string, names []string, forms ...string) []redactCase {
		var cases []redactCase
		for _, f := range forms {
			cases = append(cases, redactCase{
				name:   name + " " + f,
				text:   "Суд рассмотрел материалы: " + f + " опубликовал пост в Instagram.",
				names:  names,
				gone:   []string{f},
				tokens: []string{TokenName},
				keep:   []string{"Суд рассмотрел материалы", "Instagram"},
			})
		}
		return cases
	}
	var cases []redactCase
	cases = append(cases, forms("ru surname", []string{"Иванов Иван Иванович"},
		"Иванов", "Иванова", "Иванову", "Ивановым", "Иванове", "ИВАНОВ", "иванова",
		"Ивана", "Ивану", "Иваном", "Иване", "Ивановича", "Ивановичу", "Ивановичем", "Ивановиче")...)
	cases = append(cases, forms("kk surname", []string{"Ахметов"},
		"Ахметовтың", "Ахметовқа", "Ахметовты", "Ахметовпен", "Ахметовта", "Ахметовтан", "Ахметовтар")...)
	cases = append(cases, forms("feminine", []string{"Ахметова Айгерим"},
		"Ахметова", "Ахметовой", "Ахметову", "Ахметовою", "Ахметоваға", "Ахметованың",
		"Айгерим", "Айгеримнің", "Айгеримге", "Айгеримді", "Айгериммен", "Айгерімнің", "Айгерімге", "Айгеримде")...)
	cases = append(cases, forms("given name", []string{"Алексей"}, "Алексея", "Алексею", "Алексеем", "Алексее", "Алексей")...)
	cases = append(cases, forms("given -ия", []string{"Мария"}, "Марии", "Марию", "Марией", "Мария")...)
	cases = append(cases, forms("-ская", []string{"Ковальская Анна"}, "Ковальской", "Ковальскую", "Ковальская", "Анны", "Анне", "Анну", "Анной")...)
	cases = append(cases, forms("-ский", []string{"Ковальский"}, "Ковальского", "Ковальскому", "Ковальским", "Ковальском")...)
	cases = append(cases, forms("fleeting vowel", []string{"Павел Лев"}, "Павла", "Павлу", "Павлом", "Льва", "Льву")...)
	cases = append(cases, forms("kk patronymic", []string{"Нұрлан Серікұлы"}, "Нұрланның", "Нурлан", "Серікұлының", "Серикулы")...)
	cases = append(cases, forms("kg", []string{"Бакыт Асанбек уулу"}, "Бакыттын", "Асанбекке", "Бакытка")...)
	cases = append(cases, forms("latin", []string{"Ахметова Айгерим"}, "Akhmetova", "Akhmetovoy", "Aigerim", "AIGERIM")...)
	cases = append(cases, forms("cyrillic from latin", []string{"Aigerim Akhmetova"}, "Айгерим", "Ахметовой")...)
	cases = append(cases, forms("homoglyph", []string{"Иванов"}, "Ивaнов", "Иванoва", "ИBAHOB")...)
	cases = append(cases, forms("zero width", []string{"Иванов"}, "Ива\u200bнов", "Ива\u00adнова")...)
	cases = append(cases, forms("glued", []string{"Иванов Иван"}, "ИвановИван")...)
	cases = append(cases, forms("english", []string{"John Smith"}, "Smith", "SMITH", "John")...)
	cases = append(cases, redactCase{name: "name parts in separate arguments", text: "Пост Ивановой Марии удалён по решению суда.",
		names: []string{"Мария", "Иванова"}, gone: []string{"Ивановой", "Марии"}, want: "Пост [NAME] удалён по решению суда."})
	cases = append(cases, redactCase{name: "whole words only", text: "Жительница города Ивантеевка, автор Ахметовский, пишет в Instagram.",
		names: []string{"Иван", "Ахметов"}, keep: []string{"Ивантеевка", "Ахметовский"}})
	cases = append(cases, redactCase{name: "hyphenated name", text: "Блогер Мухамед-Али Нуров удалил пост.",
		names: []string{"Мухамед-Али Нуров"}, gone: []string{"Мухамед", "Али", "Нуров"}, want: "Блогер [NAME] удалил пост."})
	cases = append(cases, redactCase{name: "kk sentence", text: "Сот Айгерімге 20 АЕК айыппұл салды, Ахметованың посты жойылды.",
		names: []string{"Ахметова Айгерім"}, gone: []string{"Айгерім", "Ахметова"}, keep: []string{"20 АЕК"}})
	cases = append(cases, redactCase{name: "en sentence", text: "The court fined Aigerim Akhmetova 20 MCI; Akhmetova's post was removed.",
		names: []string{"Ахметова Айгерим"}, gone: []string{"Aigerim", "Akhmetova"}, keep: []string{"20 MCI", "'s post"}})
	runRedactCases(t, cases)
}

func TestRedactOtherNames(t *testing.T) {
	runRedactCases(t, []redactCase{
		{name: "patronymic last", text: "Жалобу подал Петров Сергей Николаевич из Караганды.", gone: []string{"Петров", "Сергей", "Николаевич"},
			want: "Жалобу подал [NAME] из Караганды."},
		{name: "patronymic middle", text: "Жалобу подал Сергей Николаевич Петров из Караганды.", gone: []string{"Петров", "Сергей", "Николаевич"}},
		{name: "patronymic declined", text: "Иск Петровой Марины Викторовны отклонён.", gone: []string{"Петровой", "Марины", "Викторовны"}},
		{name: "patronymic -ична", text: "Свидетель Анна Ильинична дала показания.", gone: []string{"Анна", "Ильинична"}},
		{name: "kk -ұлы", text: "Блогер Нұрлан Серікұлы айыппұл төледі.", gone: []string{"Нұрлан", "Серікұлы"}, keep: []string{"Блогер"}},
		{name: "kk -қызы", text: "Журналист Айгүл Бекқызы сотқа шағым берді.", gone: []string{"Айгүл", "Бекқызы"}, keep: []string{"Журналист"}},
		{name: "kg уулу", text: "Асанов Бакыт Асанбек уулу оштрафован.", gone: []string{"Асанов", "Бакыт", "Асанбек", "уулу"}},
		{name: "kg кызы", text: "Активистка Айгуль Асан кызы задержана.", gone: []string{"Айгуль", "Асан"}},
		{name: "latin patronymic", text: "Blogger Sergey Nikolaevich Petrov was fined.", gone: []string{"Sergey", "Nikolaevich", "Petrov"}},
		{name: "initials after", text: "Суд оштрафовал Иванова И.И. на 20 МРП.", gone: []string{"Иванова", "И.И."}, keep: []string{"20 МРП"}},
		{name: "initials before", text: "Судья И.И. Сидоренко вынес решение.", gone: []string{"Сидоренко"}},
		{name: "initials spaced", text: "Заявление подал И. И. Ким из Алматы.", gone: []string{"Ким"}},
		{name: "initials glued", text: "Заявление подал И.Ким из Алматы.", gone: []string{"Ким"}},
		{name: "en initials", text: "The complaint was filed by A. Smith last year.", gone: []string{"Smith"}},
		{name: "en initials after", text: "The complaint was filed by Smith J. last year.", gone: []string{"Smith"}},
		{name: "surname shape", text: "Журналист Сидорова опубликовала расследование.", gone: []string{"Сидорова"}, keep: []string{"Журналист"}},
		{name: "surname with given name", text: "Суд оштрафовал Айгерим Нурпеисову за пост.", gone: []string{"Айгерим", "Нурпеисову"}},
		{name: "surname kk ending", text: "Сот Бекболатовқа айыппұл салды.", gone: []string{"Бекболатовқа"}},
		{name: "surname latin", text: "Blogger Dmitry Petrov was fined.", gone: []string{"Dmitry", "Petrov"}, keep: []string{"Blogger"}},
		{name: "surname -енко", text: "Пост Шевченко удалён.", gone: []string{"Шевченко"}},
		{name: "surname caps", text: "Пост ИВАНОВА ИВАНА удалён.", gone: []string{"ИВАНОВА", "ИВАНА"}},
		{name: "roles stay", text: "Прокурор и судья Петров рассмотрели дело.", gone: []string{"Петров"}, keep: []string{"Прокурор", "судья"}},
	})
}

func TestRedactAddresses(t *testing.T) {
	runRedactCases(t, []redactCase{
		{name: "ru full", text: "Проживает по адресу: г. Алматы, ул. Абая, д. 15, кв. 7. Ранее не судим.",
			gone: []string{"Абая", "15", "кв. 7"}, keep: []string{"г. Алматы"},
			want: "Проживает по адресу: г. Алматы, [ADDRESS]. Ранее не судим."},
		{name: "ru street word", text: "Митинг у дома на улице Ленина 5 не состоялся.", gone: []string{"Ленина 5"}, tokens: []string{TokenAddress}},
		{name: "ru avenue", text: "Офис на проспекте Достык 5 закрыт.", gone: []string{"Достык"}, tokens: []string{TokenAddress}},
		{name: "ru mkr", text: "Житель мкр. Самал-2, д. 33 задержан.", gone: []string{"Самал", "33"}, tokens: []string{TokenAddress}},
		{name: "ru particle", text: "Офис на ул. Толе би, 59 закрыт.", gone: []string{"Толе", "59"}, tokens: []string{TokenAddress}},
		{name: "ru house only", text: "Проживает в д. 12, кв. 34 с семьёй.", gone: []string{"12", "34"}, tokens: []string{TokenAddress}},
		{name: "kk street", text: "Абай көшесі, 15-үй, 12-пәтер тұрғыны айыппұл төледі.", gone: []string{"Абай", "15", "12"}, tokens: []string{TokenAddress}},
		{name: "kk avenue", text: "Назарбаев даңғылы 150 мекенжайында тұрады.", gone: []string{"Назарбаев", "150"}, tokens: []string{TokenAddress}},
		{name: "kk two words", text: "Жібек жолы көшесінде митинг өтті.", gone: []string{"Жібек", "жолы"}, tokens: []string{TokenAddress}},
		{name: "en street", text: "He lives at 15 Abay Street, Almaty.", gone: []string{"15", "Abay"}, tokens: []string{TokenAddress}},
		{name: "en avenue", text: "The office at Dostyk Ave. 5 was searched.", gone: []string{"Dostyk", "5"}, tokens: []string{TokenAddress}},
		{name: "en apartment", text: "The flat at apt. 4 was searched.", gone: []string{"apt. 4"}, tokens: []string{TokenAddress}},
		{name: "not an address", text: "Митинг прошёл на улице, участники разошлись.", keep: []string{"на улице, участники"}},
		{name: "not a house", text: "Во 2 кв. 2024 года было 5 дел, и т.д. 15 лет назад тоже.", keep: []string{"2 кв. 2024 года", "т.д. 15 лет"}},
	})
}

func TestRedactMixed(t *testing.T) {
	iin := makeIIN(t, "920315", '4', 55)
	text := "Иванова Мария Петровна (ИИН " + iin + ", тел. +7 701 555 12 34, maria.i@mail.kz) " +
		"разместила в Instagram (instagram.com/maria_iv, @maria_iv) 01.05.2024 пост о паводке. " +
		"Проживает: г. Костанай, ул. Байтурсынова, д. 10, кв. 5. Дело № 5-771/2024, штраф 20 МРП по ст. 456-2 КоАП."
	out, ok := Redact(text, "Иванова Мария Петровна")
	for _, g := range []string{"Иванова", "Мария", "Петровна", iin, "555 12 34", "maria", "Байтурсынова", "771", "01.05.2024"} {
		if strings.Contains(out, g) {
			t.Errorf("%q survived: %s", g, out)
		}
	}
	for _, k := range []string{"Instagram", "20 МРП", "ст. 456-2 КоАП", "г. Костанай", "паводке"} {
		if !strings.Contains(out, k) {
			t.Errorf("%q lost: %s", k, out)
		}
	}
	if !ok {
		t.Errorf("not publishable: %s", out)
	}
}

func TestRedactPublishable(t *testing.T) {
	tests := []struct {
		text  string
		names []string
		want  bool
	}{
		{"", nil, false},
		{"   \n\t ", nil, false},
		{"[NAME]", nil, false},
		{"Иванов", []string{"Иванов"}, false},
		{"Пост Иванова", []string{"Иванов"}, false},                  // 1 word left
		{"Пост в Instagram", nil, true},                              // 3 words
		{"Пост автора [NAME] в Instagram", nil, true},                // 4 words, 1 token
		{"[NAME] [PHONE] [EMAIL] текст", nil, false},                 // tokens outnumber words
		{"Автор @user, ссылка t.me/x, тел. 87011234567", nil, false}, // 3 words, 3 tokens: allowed? see below
		{"Пост автора @user по ссылке t.me/x удалён", nil, true},
		{"Комментарий в Instagram с оскорблениями в адрес [NAME].", nil, true},
	}
	for _, tt := range tests {
		out, got := Redact(tt.text, tt.names...)
		want := tt.want
		if tt.text == "Автор @user, ссылка t.me/x, тел. 87011234567" {
			want = true // 3 words (Автор, ссылка, тел), 3 tokens: not more tokens than words
		}
		if got != want {
			t.Errorf("Redact(%q) publishable = %v, want %v (out %q)", tt.text, got, want, out)
		}
	}
	if out, ok := Redact("Пост\xff в Instagram удалён"); ok || out != "" {
		t.Errorf("invalid UTF-8: %q, %v", out, ok)
	}
	if out, ok := Redact(strings.Repeat("слово ", MaxRedactBytes/6+1)); ok || out != "" {
		t.Errorf("oversized: %d bytes, %v", len(out), ok)
	}
	if out, ok := Redact("Пост в Instagram удалён", "Иван\xff"); ok || out != "" {
		t.Errorf("invalid name: %q, %v", out, ok)
	}
	if _, ok := Redact("Пост в Instagram удалён", strings.Repeat("Иван ", 300)); ok {
		t.Error("oversized names accepted")
	}
}

func TestRedactKeepsExistingTokens(t *testing.T) {
	text := "Пост [HANDLE] со ссылкой [LINK] об [NAME]; телефон [PHONE]."
	if out, _ := Redact(text); out != text {
		t.Errorf("existing tokens changed: %s", out)
	}
}

func TestRedactNormalisesSpace(t *testing.T) {
	out, _ := Redact("  Пост\tв\n\nInstagram\u00a0удалён  ")
	if want := "Пост в Instagram удалён"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
	if out, _ := Redact("Закон № 5 принят"); !strings.Contains(out, "№") {
		t.Errorf("numero sign lost: %q", out)
	}
}

// Hostile input must be handled in time linear in its length: no input makes Redact slow.
func TestRedactHostileInput(t *testing.T) {
	n := MaxRedactBytes
	inputs := map[string]string{
		"at signs":      strings.Repeat("a@", n/2),
		"dots":          strings.Repeat("a.", n/2),
		"digits":        strings.Repeat("1 ", n/2),
		"long number":   strings.Repeat("9", n),
		"long word":     strings.Repeat("ж", n/2),
		"initials":      strings.Repeat("И. ", n/3),
		"streets":       strings.Repeat("ул. Абая, д. 1, ", n/16),
		"patronymics":   strings.Repeat("Иванович ", n/17),
		"schemes":       strings.Repeat("http://", n/7),
		"brackets":      strings.Repeat("[NAME", n/5),
		"open brackets": strings.Repeat("[", n),
		"camel case":    strings.Repeat("aB", n/2),
		"dashes":        strings.Repeat("1-", n/2),
		"emails":        strings.Repeat("a.b@c.d ", n/8),
		"houses":        strings.Repeat("д. 1 ", n/6),
		"numero":        strings.Repeat("№ ", n/4),
		"combining":     "a" + strings.Repeat("\u0301", n/2),
		"format chars":  strings.Repeat("\u200b", n/3),
		"cjk":           strings.Repeat("漢字", n/6),
		"emoji":         strings.Repeat("👍🏽", n/8),
	}
	for name, in := range inputs {
		start := time.Now()
		out, _ := Redact(in, "Иванов Иван Иванович", "Ахметова")
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: %v for %d bytes", name, d, len(in))
		}
		if !utf8.ValidString(out) {
			t.Errorf("%s: invalid UTF-8 output", name)
		}
	}
}

func toFullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r += '０' - '0'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// containsWord reports whether s contains w, ignoring case, not as part of a longer word or
// number: "Али" is not in "удалил", "15" is not in "2015".
func containsWord(s, w string) bool {
	s, w = strings.ToLower(s), strings.ToLower(w)
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		before, _ := utf8.DecodeLastRuneInString(s[:start])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if !isLetterOrDigit(before) || start == 0 {
			if !isLetterOrDigit(after) || end == len(s) {
				return true
			}
		}
		i = start + 1
	}
}

func TestRedactOtherScriptDigits(t *testing.T) {
	runRedactCases(t, []redactCase{
		{name: "arabic-indic", text: "Номер ٩٠٠١٠١٣٠٠١٢٣ указан в посте.", gone: []string{"٩٠٠١٠١٣٠٠١٢٣"}, tokens: []string{TokenNumber}},
		{name: "devanagari short", text: "Счёт ४२ за ноябрь оплачен вовремя.", keep: []string{"४२"}},
		{name: "mathematical bold", text: "ИИН 𝟗𝟎𝟎𝟏𝟎𝟏𝟑𝟎𝟎𝟏𝟐𝟑 указан в посте.", gone: []string{"900101300123"}, tokens: []string{TokenIIN}},
	})
}

// Redactors are pooled: concurrent calls must not see each other's state.
func TestRedactConcurrent(t *testing.T) {
	iin := makeIIN(t, "010203", '5', 9)
	texts := []struct{ text, name string }{
		{benchSummary, benchName},
		{"Иванов Иван Иванович, ИИН " + iin + ", тел. 8 701 123 45 67.", "Иванов Иван"},
		{"Ахметовтың посты t.me/joinchat/xyz; email a.b@mail.kz, @aigerim_a.", "Ахметов"},
		{"Blogger A. Smith posted on www.example.com; 15 Abay Street.", "John Smith"},
	}
	want := make([]string, len(texts))
	for i, tt := range texts {
		want[i], _ = Redact(tt.text, tt.name)
	}
	done := make(chan bool)
	for g := 0; g < 8; g++ {
		go func() {
			ok := true
			for n := 0; n < 200; n++ {
				i := (g + n) % len(texts)
				if got, _ := Redact(texts[i].text, texts[i].name); got != want[i] {
					ok = false
				}
			}
			done <- ok
		}()
	}
	for g := 0; g < 8; g++ {
		if !<-done {
			t.Error("concurrent Redact gave a different result")
		}
	}
}
