// Package model holds casewatch's domain types: cases, appeals, events, releases and the
// enumerations (with their labels in Kazakh, Kyrgyz, Russian and English) that every other package
// speaks in. It depends on nothing but the standard library.
package model

import (
	"fmt"
	"strings"
)

// Labels holds one label (or text) per language: Kazakh, Russian, English and Kyrgyz.
type Labels struct{ KK, RU, EN, KY string }

// In returns the label in lang, English when lang is unknown.
func (l Labels) In(lang Lang) string {
	switch lang {
	case LangKK:
		return l.KK
	case LangKY:
		return l.KY
	case LangRU:
		return l.RU
	}
	return l.EN
}

// Opt returns the text in lang, nil when there is none (an optional text of the reference
// data: a text is given in every language or in none).
func (l Labels) Opt(lang Lang) *string {
	if s := l.In(lang); s != "" {
		return &s
	}
	return nil
}

// Missing lists the languages (kk, ru, en, ky) whose text is empty.
func (l Labels) Missing() []string {
	var out []string
	for _, t := range []struct{ lang, text string }{{"kk", l.KK}, {"ru", l.RU}, {"en", l.EN}, {"ky", l.KY}} {
		if strings.TrimSpace(t.text) == "" {
			out = append(out, t.lang)
		}
	}
	return out
}

// Term is one code of an enumeration with its labels.
type Term struct {
	Code   string
	Labels Labels
}

// Vocabulary is one enumeration: its schema name and its terms in schema order.
type Vocabulary struct {
	Name  string
	Terms []Term
	index map[string]int
}

func newVocabulary(name string, terms ...Term) *Vocabulary {
	v := &Vocabulary{Name: name, Terms: terms, index: make(map[string]int, len(terms))}
	for i, t := range terms {
		v.index[t.Code] = i
	}
	vocabularies = append(vocabularies, v)
	return v
}

// Has reports whether code belongs to the enumeration.
func (v *Vocabulary) Has(code string) bool { _, ok := v.index[code]; return ok }

// Label returns the label of code in lang, or the code itself when it is unknown.
func (v *Vocabulary) Label(code string, lang Lang) string {
	if i, ok := v.index[code]; ok {
		return v.Terms[i].Labels.In(lang)
	}
	return code
}

// Codes lists the codes in schema order.
func (v *Vocabulary) Codes() []string {
	out := make([]string, len(v.Terms))
	for i, t := range v.Terms {
		out[i] = t.Code
	}
	return out
}

// Parse accepts a code in any letter case (the import format uses lower case) and returns it
// in the canonical upper case, or an error that lists what is allowed.
func (v *Vocabulary) Parse(s string) (string, error) {
	code := strings.ToUpper(strings.TrimSpace(s))
	if v.Has(code) {
		return code, nil
	}
	return "", fmt.Errorf("%q is not a %s; use one of %s", s, v.Name, strings.Join(v.Codes(), ", "))
}

var vocabularies []*Vocabulary

// Vocabularies lists every labelled enumeration of the API, in the order of labels.csv.
func Vocabularies() []*Vocabulary { return vocabularies }

// codes lists the codes of a vocabulary as values of its enumeration's type.
func codes[T ~string](v *Vocabulary) []T {
	out := make([]T, len(v.Terms))
	for i, t := range v.Terms {
		out[i] = T(t.Code)
	}
	return out
}
