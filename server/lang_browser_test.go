package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// groupKK writes n as the portal does in Kazakh, Kyrgyz and Russian: thousands apart by a
// narrow no-break space.
func groupKK(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "\u202f" + s[i:]
	}
	return s
}

// TestLanguageInLinks is a newsroom's task: a reporter sends a colleague a link to the
// Kazakh case list filtered to false-information cases in Kazakhstan; on a phone it opens in
// Kazakh, with the API's count for that filter, the filters set in the form, article codes
// as Kazakh law writes them, and a title that says what it shows. The Sources page in Kazakh
// and Kyrgyz carries no English sentence of the API. Switching language rewrites the link;
// an unknown lang is reported.
func TestLanguageInLinks(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "lang.db"), "DEMO_CASES": "1200"})

	// What the API says: the count of the filter and the labels the page should use.
	status, body := s.graphql(t, `{
	  cases(first: 1, filter: {jurisdiction: KZ, categories: [FALSE_INFORMATION]}) { totalCount }
	  vocabulary { name terms { code kk: label(lang: KK) } }
	  categories { code kk: label(lang: KK) }
	}`)
	if status != 200 {
		t.Fatalf("graphql: %d %s", status, body)
	}
	var api struct {
		Data struct {
			Cases      struct{ TotalCount int }
			Vocabulary []struct {
				Name  string
				Terms []struct{ Code, KK string }
			}
			Categories []struct{ Code, KK string }
		}
	}
	if err := json.Unmarshal(body, &api); err != nil {
		t.Fatal(err)
	}
	total := api.Data.Cases.TotalCount
	if total < 10 {
		t.Fatalf("the demo has %d false-information cases in KZ", total)
	}
	label := func(enum, code string) string {
		for _, v := range api.Data.Vocabulary {
			for _, x := range v.Terms {
				if v.Name == enum && x.Code == code {
					return x.KK
				}
			}
		}
		t.Fatalf("no label of %s %s", enum, code)
		return ""
	}
	var falseInfoKK string
	for _, c := range api.Data.Categories {
		if c.Code == "FALSE_INFORMATION" {
			falseInfoKK = c.KK
		}
	}
	kzKK, regionKK := label("Jurisdiction", "KZ"), label("Dimension", "REGION")

	ctx, noScriptErrors := browser(t)
	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for _, a := range actions {
			if _, err := chromedp.Run(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
	}
	eval := func(js string, out any) {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		if err := json.Unmarshal(v, out); err != nil {
			t.Fatal(err)
		}
	}
	do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))

	// The shared link, on a phone whose browser speaks English.
	do(chromedp.Navigate(s.url+"/#/cases?jurisdiction=KZ&categories=FALSE_INFORMATION&lang=kk"),
		chromedp.WaitVisible(`#results table tbody tr`), chromedp.Sleep(300*time.Millisecond))
	var list struct {
		Lang, Status, Title, Jurisdiction, NavStats, Hash string
		Checked                                           []string
		Articles, Fines                                   []string
		Width                                             int
	}
	eval(`({lang: document.documentElement.lang,
		status: document.querySelector('#result-status').textContent,
		title: document.title,
		jurisdiction: document.querySelector('#f-jurisdiction').value,
		checked: Array.from(document.querySelectorAll('#filters input[type=checkbox]:checked')).map(x => x.name + '=' + x.value),
		articles: Array.from(document.querySelectorAll('#results table tbody td abbr')).map(x => x.textContent),
		fines: Array.from(document.querySelectorAll('#results table tbody .fine-band')).map(x => x.textContent),
		navStats: document.querySelector('a[data-nav=statistics]').getAttribute('href'),
		hash: location.hash,
		width: document.documentElement.scrollWidth})`, &list)
	if list.Lang != "kk" {
		t.Errorf("the Kazakh link opened in %q", list.Lang)
	}
	if want := groupKK(total); !strings.Contains(list.Status, want) || !strings.Contains(list.Status, "істің") {
		t.Errorf("status %q does not show the API's %d cases (%q) in Kazakh", list.Status, total, want)
	}
	if list.Jurisdiction != "KZ" || len(list.Checked) != 1 || list.Checked[0] != "categories=FALSE_INFORMATION" {
		t.Errorf("the form shows jurisdiction %q and %v, want KZ and FALSE_INFORMATION", list.Jurisdiction, list.Checked)
	}
	if want := "Істер · " + kzKK + " · " + falseInfoKK; !strings.Contains(list.Title, want) || !strings.HasSuffix(list.Title, " — casewatch") {
		t.Errorf("title %q, want it to name %q", list.Title, want)
	}
	if len(list.Articles) == 0 {
		t.Error("no article codes on the case list")
	}
	kazakhCode := regexp.MustCompile(`^(ӘҚБтК|ҚК) \d+(-\d+)?$`)
	for _, a := range list.Articles {
		if !kazakhCode.MatchString(a) {
			t.Errorf("article code %q is not written as Kazakh law does", a)
		}
	}
	for _, f := range list.Fines {
		if strings.Contains(f, "MCI") || !strings.Contains(f, "АЕК") {
			t.Errorf("fine band %q is not in Kazakh", f)
		}
	}
	if !strings.Contains(list.NavStats, "lang=kk") || !strings.Contains(list.Hash, "lang=kk") {
		t.Errorf("the portal's links drop the language: nav %q, address %q", list.NavStats, list.Hash)
	}
	if list.Width > 390 {
		t.Errorf("the case list is %d px wide on a 390 px phone", list.Width)
	}

	// "Copy link" gives the view's link in the form previews read: /?lang=kk&view=cases#/cases?…&lang=kk
	// (on the clipboard, or shown to copy by hand where the clipboard is refused).
	do(chromedp.Click(`#copy-link`), chromedp.Sleep(300*time.Millisecond))
	var shared struct{ Status, Shown, Want string }
	eval(`({status: document.querySelector('#share-status').textContent,
		shown: (document.querySelector('#share-link-text') || {}).value || '',
		want: location.origin + '/?lang=kk&view=cases' + location.hash})`, &shared)
	if shared.Status == "" || (shared.Shown != "" && shared.Shown != shared.Want) ||
		!strings.Contains(shared.Want, "#/cases?jurisdiction=KZ&categories=FALSE_INFORMATION&lang=kk") {
		t.Errorf("copy link: %+v", shared)
	}

	// The Sources page in Kazakh and Kyrgyz: no English sentence from the API, codes localised.
	english := regexp.MustCompile(`\b[A-Za-z]+(?:[ ,;:'’()-]+[A-Za-z]+){4,}`)
	for _, c := range []struct{ tag, code, title string }{
		{"kk", "ӘҚБтК 456-2", "Дереккөздер"},
		{"ky", "УБЖК 107-1", "Булактар"},
	} {
		do(chromedp.Navigate(s.url+"/#/sources?lang="+c.tag), chromedp.WaitVisible(`#sec-population`),
			chromedp.Sleep(300*time.Millisecond))
		var page struct {
			Lang, Title, Text string
			Codes, Texts      []string
			Width             int
		}
		eval(`({lang: document.documentElement.lang, title: document.title,
			text: document.querySelector('#main').innerText,
			codes: Array.from(document.querySelectorAll('#main table tbody th abbr')).map(x => x.textContent),
			texts: Array.from(document.querySelectorAll('#main td, #main th, #main p, #main dd')).map(x => x.textContent),
			width: document.documentElement.scrollWidth})`, &page)
		if page.Lang != c.tag || !strings.Contains(page.Title, c.title) {
			t.Errorf("%s: sources page in %q titled %q", c.tag, page.Lang, page.Title)
		}
		for _, bad := range []string{"as summarised", "design brief", "Secondary figure", "Resident population",
			"Interior Ministry", "National Statistical Committee", "not yet checked", "unlawful_material", "persons_"} {
			if strings.Contains(page.Text, bad) {
				t.Errorf("%s: the sources page shows %q", c.tag, bad)
			}
		}
		if !slicesContains(page.Codes, c.code) {
			t.Errorf("%s: article codes %v lack %q", c.tag, page.Codes, c.code)
		}
		for _, code := range page.Codes {
			if strings.HasPrefix(code, "CAO ") || strings.HasPrefix(code, "CoO ") || strings.HasPrefix(code, "CC ") {
				t.Errorf("%s: article code %q in English", c.tag, code)
			}
		}
		link := regexp.MustCompile(`\S*[/._]\S*`) // URLs, file names and domains are not sentences
		for _, x := range page.Texts {
			if m := english.FindString(link.ReplaceAllString(x, " ")); m != "" {
				t.Errorf("%s: English on the sources page: %q in %q", c.tag, m, x)
			}
		}
		if !strings.Contains(page.Text, "2023") || !strings.Contains(page.Text, groupKK(1068702)) {
			t.Errorf("%s: the population section lacks the Kyrgyz figures of 2023", c.tag)
		}
		if page.Width > 390 {
			t.Errorf("%s: the sources page is %d px wide", c.tag, page.Width)
		}
	}

	// The demo release's note is in Kazakh too.
	do(chromedp.Navigate(s.url+"/#/releases?lang=kk"), chromedp.WaitVisible(`#main table tbody tr`))
	var releases string
	eval(`document.querySelector('#main table tbody').textContent`, &releases)
	if strings.Contains(releases, "Synthetic demo dataset") || !strings.Contains(releases, "Синтетикалық демо-деректер жиыны") {
		t.Errorf("the releases page in Kazakh shows %q", releases)
	}

	// The title names each view and its choices.
	do(chromedp.Navigate(s.url+"/#/statistics?by=REGION&jurisdiction=KZ&lang=kk"), chromedp.WaitVisible(`table.stats-table`))
	var statsTitle string
	eval(`document.title`, &statsTitle)
	if want := "Статистика · " + regionKK + " · " + kzKK; !strings.Contains(statsTitle, want) {
		t.Errorf("statistics title %q, want it to name %q", statsTitle, want)
	}

	// Switching language rewrites the link; the portal follows it.
	do(chromedp.Click(`.lang-switch button[data-lang=RU]`), chromedp.WaitVisible(`table.stats-table`), chromedp.Sleep(500*time.Millisecond))
	var switched struct{ Lang, Hash, Title string }
	eval(`({lang: document.documentElement.lang, hash: location.hash, title: document.title})`, &switched)
	if switched.Lang != "ru" || !strings.Contains(switched.Hash, "lang=ru") || strings.Contains(switched.Hash, "lang=kk") ||
		!strings.Contains(switched.Hash, "by=REGION") || !strings.Contains(switched.Title, "Статистика · Регион") {
		t.Errorf("after switching to Russian: %+v", switched)
	}

	// A misspelt language is reported like any other part of a link.
	do(chromedp.Navigate(s.url+"/#/cases?lang=qq"), chromedp.WaitVisible(`#error-box li`))
	var problem string
	eval(`document.querySelector('#error-box').textContent`, &problem)
	if !strings.Contains(problem, "lang=qq") || !strings.Contains(problem, "kk, ky, ru, en") {
		t.Errorf("an unknown lang is reported as %q", problem)
	}
	noScriptErrors()
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
