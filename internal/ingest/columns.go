package ingest

import (
	"fmt"
	"slices"
	"strings"
)

// columns are the import format's columns (docs/design.md §5). NDJSON uses the same keys, with
// appeal_* and cassation_* also accepted as nested "appeal" and "cassation" objects.
var columns = []string{
	"source_id", "jurisdiction", "region",
	"reported_on", "platform", "content_category", "content_excerpt",
	"expert_conclusion", "expert_on",
	"article", "case_opened_on",
	"prosecutor_decision", "prosecutor_on",
	"court_decision", "court_on", "sanction", "fine_amount", "fine_index_units",
	"defendant_kind", "defendant_gender",
	"defendant_name", "defendant_iin", "defendant_birth_date", "defendant_phone", "defendant_address",
	"appeal_filed_on", "appeal_filed_by", "appeal_status", "appeal_decided_on", "appeal_fine_amount",
	"cassation_filed_on", "cassation_filed_by", "cassation_status", "cassation_decided_on", "cassation_fine_amount",
}

// requiredColumns must be present and non-empty in every row.
var requiredColumns = []string{"source_id", "jurisdiction", "reported_on", "platform", "content_category"}

// checkColumn rejects unknown columns: a misspelt column would otherwise be dropped
// silently, and with it what the publisher meant to say.
func checkColumn(name string) error {
	if slices.Contains(columns, name) {
		return nil
	}
	return fmt.Errorf("unknown column %q; the columns are %s", name, strings.Join(columns, ", "))
}

func checkRequired(present []string) error {
	var missing []string
	for _, c := range requiredColumns {
		if !slices.Contains(present, c) {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing required column(s): %s", strings.Join(missing, ", "))
	}
	return nil
}
