// Package privacy turns what an import row knows about a person into what casewatch may keep
// and publish. It implements the privacy rules of DESIGN.md §6:
//
//   - Direct identifiers are never stored. Source ids become keyed hashes (Keys.SourceKey) so
//     that a re-import finds its row without the raw id; a defendant's IIN/PIN, or name plus
//     birth date, becomes a keyed pseudonym (Keys.Pseudonym) used only inside statistics; a
//     birth date becomes an age band (AgeBand).
//   - Free text is redacted before storage (Redact): IINs and Kyrgyz PINs, phone numbers,
//     e-mail addresses, links, @handles, card numbers, names (the defendant's own in its
//     Russian and Kazakh declined forms, and other full names recognisable by a patronymic,
//     initials or a Russian/Kazakh surname ending), addresses, full dates and every number of
//     five or more digits (case and court numbers) are replaced by tokens such as [IIN] or
//     [NAME]. When too little text remains, Redact says the summary is not publishable and
//     the caller publishes none: when in doubt, publish no summary.
//   - Case-level quasi-identifiers (region, defendant kind, age band, gender) are withheld
//     step by step until every published combination within a year and jurisdiction is
//     shared by at least k cases (Generalize). Year and jurisdiction are always published.
//
// Everything here is pure computation: no database, no network, no global state except
// read-only tables. All functions are safe for concurrent use.
package privacy
