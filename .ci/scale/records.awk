# records.awk: writes N synthetic case records in the import format (CSV with a header) for
# .ci/scale/run's catch-up measurement.
#   awk -v n=20000 -v run=RUNID -f .ci/scale/records.awk > release.csv
# Every source_id holds RUNID, so each run adds N new cases instead of changing nothing
# (source_id and jurisdiction identify a record).
#
# All records are Kazakh FALSE_INFORMATION cases, so that the count question of the run sees
# them. They fall into 96 groups (4 regions x 3 platforms x 4 quarters of 2025 x reported
# only or fined) of about 200 identical published values each: far above the k of the
# case-level view, so none is withheld and the count grows by exactly N. No free text and no
# defendant identifiers: nothing for the privacy processing to redact.
BEGIN {
	if (n == "" || run == "") {
		print "records.awk: set -v n=COUNT -v run=RUNID" > "/dev/stderr"
		exit 2
	}
	split("KZ-71 KZ-75 KZ-79 KZ-35", region, " ")
	split("telegram instagram tiktok", platform, " ")
	split("01 04 07 10", month, " ")
	print "source_id,jurisdiction,region,reported_on,platform,content_category," \
		"expert_conclusion,expert_on,article,case_opened_on,prosecutor_decision,prosecutor_on," \
		"court_decision,court_on,sanction,fine_amount,defendant_kind,defendant_gender"
	for (i = 0; i < n; i++) {
		r = region[i % 4 + 1]
		p = platform[int(i / 4) % 3 + 1]
		m = month[int(i / 12) % 4 + 1]
		next_m = sprintf("%02d", m + 1)
		reported = "2025-" m "-05"
		if (int(i / 48) % 2 == 0) {
			# Reported; the experts have not concluded yet.
			rest = ",,,,,,,,,,individual,"
		} else {
			# Through the whole road to a fine of 100 MCI (2025: 3,932 KZT), all in the
			# quarter of the report.
			rest = "administrative_offense,2025-" m "-20,CAO 456-2,2025-" m "-25,approved,2025-" next_m "-01," \
				"liable,2025-" next_m "-15,fine,393200,individual,"
		}
		printf "SCALE-%s-%06d,kz,%s,%s,%s,false_information,%s\n", run, i, r, reported, p, rest
	}
}
