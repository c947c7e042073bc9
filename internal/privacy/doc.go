// Package privacy turns what an import row knows about a person into what casewatch may keep
// and publish. It implements the privacy rules of docs/design.md §6:
//
//   - Direct identifiers are never stored. A source id becomes a keyed hash
//     (Keys.SourceKey) so that a re-import finds its row without the raw id; the defendant's
//     IIN or Kyrgyz PIN, or else name plus birth date, becomes a keyed pseudonym
//     (Keys.Pseudonym) used only inside statistics; a birth date becomes an age band
//     (AgeBand). Each purpose has its own key derived from CASEWATCH_SECRET (NewKeys).
//   - Free text is redacted before storage (Redact), and when too little text remains the
//     summary is not published at all: when in doubt, publish no summary.
//   - Case-level quasi-identifiers (region, defendant kind, age band, gender) are withheld
//     step by step until every published combination within a year and jurisdiction is
//     shared by at least k cases (Generalize). Year and jurisdiction are always published.
//
// # Redaction
//
// Redact normalises the text (NFKC except for №, invisible format characters removed, white
// space collapsed), then replaces, in this order:
//
//   - [LINK] URLs (any scheme), www. addresses, domains with a known top-level domain
//     ("tengrinews.kz", "президент.рф") and any "name.tld/path" ("t.me/…", "vk.com/…");
//     [EMAIL] user@domain; [HANDLE] @handles and user names with an underscore
//     ("ник aigerim_a");
//   - [IIN] the number after ИИН, ЖСН, ИНН, БИН, ПИН, IIN, PIN, BIN (whatever its length);
//     [PHONE] the number after тел., телефон, phone, WhatsApp…; [NUMBER] the code after №,
//     No., "дело", "іс", "протокол" ("№ 2-1234/2024", "дело 5-12/24");
//   - [DATE] full dates: 01.05.2024, 1/5/2024, 2024-05-01, 01.05.24, "1 мая 2024",
//     "2024 жылғы 1 мамырда", "May 1, 2024", and years of birth ("1990 г.р.", "born in
//     1990"); a month with its year ("мая 2024") stays;
//   - [ADDRESS] "ул. Абая, д. 15, кв. 7", "проспект Достык 5", "мкр. Самал-2", "д. 12",
//     "Абай көшесі, 15-үй, 12-пәтер", "15 Abay Street";
//   - digit groups (numbers joined by spaces, dashes, dots, slashes, brackets): 12 digits
//     with the IIN check digit and 14-digit Kyrgyz PINs → [IIN]; +7…, 8/7 + 10 digits,
//     +996…, 0 + 9 digits → [PHONE]; other 13–19 digits → [CARD]; anything else of five
//     digits or more → [NUMBER]. Shorter numbers ("ст. 456-2", "20 МРП", "2024") and
//     ranges of years ("2020–2024") stay;
//   - [NAME] the defendant's own name parts with their Russian, Kazakh and Kyrgyz case
//     endings, in Cyrillic or Latin spelling, also disguised with Latin look-alike letters;
//     other full names recognised by a patronymic (-ович, -овна, -ұлы, -қызы, уулу, кызы),
//     by initials ("Иванов И.И.", "A. Smith") or by a surname ending (-ов/-ев/-ова/-ева and
//     their forms, -енко), together with the capitalised words next to them.
//
// Knowingly not caught: names of other people that have none of those marks ("журналист
// Айгерим", "John Smith", surnames in -ин/-ина or -ский not passed as the defendant's
// name); nicknames and diminutives of the defendant's name; handles without '@' or '_';
// obfuscated e-mails ("ivan at mail dot ru": the domain goes, the user name stays); numbers
// written in words or split by letters; bare domains with an unknown top-level domain and
// no path; car plates; ages ("34-летний"). The summary is a free text written by officials
// or editors, not by an adversary: the rules aim at the ways identifiers are really written,
// and err towards over-redaction.
//
// Everything here is pure computation: no database, no network, no global state except
// read-only tables and a pool of scratch buffers. All functions are safe for concurrent
// use.
package privacy
