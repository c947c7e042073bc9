package privacy

import (
	"fmt"
	"testing"
)

// makeIIN builds a valid IIN from a birth date (YYMMDD), the century-and-gender digit and a
// serial number, trying the following serials when the check digit would be 10 twice
// (such numbers are never issued). Tests use only IINs made here, never a real person's.
func makeIIN(t testing.TB, yymmdd string, centuryGender byte, serial int) string {
	t.Helper()
	for n := 0; n < 100; n++ {
		body := fmt.Sprintf("%s%c%04d", yymmdd, centuryGender, (serial+n)%10000)
		if check, ok := iinCheck(body); ok {
			return body + string(rune('0'+check))
		}
	}
	t.Fatalf("no valid IIN for %s %c %d", yymmdd, centuryGender, serial)
	return ""
}

// iinCheck is the reference check-digit computation, written independently of
// iinChecksumOK.
func iinCheck(body string) (int, bool) {
	sum := 0
	for i := 0; i < 11; i++ {
		sum += int(body[i]-'0') * (i + 1)
	}
	if sum%11 != 10 {
		return sum % 11, true
	}
	sum = 0
	for i := 0; i < 11; i++ {
		sum += int(body[i]-'0') * ((i+2)%11 + 1)
	}
	if sum%11 == 10 {
		return 0, false
	}
	return sum % 11, true
}

// makeKGPIN builds a structurally valid Kyrgyz PIN.
func makeKGPIN(gender byte, ddmmyyyy string, serial int) string {
	return fmt.Sprintf("%c%s%05d", gender, ddmmyyyy, serial)
}

func TestIINWeights(t *testing.T) {
	// The second pass uses weights 3,4,…,11,1,2, which iinCheck writes as (i+2)%11+1.
	for i, w := range iinWeights2 {
		if got := (i+2)%11 + 1; got != w {
			t.Errorf("weight %d: table %d, formula %d", i, w, got)
		}
	}
}

func TestValidIIN(t *testing.T) {
	valid := makeIIN(t, "900101", '3', 123)
	flip := func(s string, i int) string {
		b := []byte(s)
		b[i] = '0' + (b[i]-'0'+1)%10
		return string(b)
	}
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"made", valid, true},
		{"female 2000s", makeIIN(t, "050229", '6', 1), false}, // 2005 is not a leap year
		{"leap day 2004", makeIIN(t, "040229", '5', 7), true},
		{"1800s", makeIIN(t, "991231", '1', 42), true},
		{"century digit 0 leaves the year open", makeIIN(t, "000229", '0', 5), true},
		{"century digit 7", makeIIN(t, "900101", '7', 5), false},
		{"month 13", makeIIN(t, "901301", '3', 5), false},
		{"day 32", makeIIN(t, "900132", '3', 5), false},
		{"day 00", makeIIN(t, "900100", '3', 5), false},
		{"31 April", makeIIN(t, "900431", '4', 5), false},
		{"wrong check digit", flip(valid, 11), false},
		{"changed serial", flip(valid, 8), false},
		{"11 digits", valid[:11], false},
		{"13 digits", valid + "0", false},
		{"letters", "90010130012a", false},
		{"spaces", valid[:6] + " " + valid[6:], false},
		{"empty", "", false},
		{"full-width digits", "９００１０１３００１２３", false},
	}
	for _, tt := range tests {
		if got := ValidIIN(tt.in); got != tt.want {
			t.Errorf("%s: ValidIIN(%q) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestIINSecondPassAndNeverIssued(t *testing.T) {
	// Find bodies whose first pass gives 10: some are valid through the second pass, some
	// give 10 again and no check digit makes them valid.
	sawSecond, sawNever := false, false
	for serial := 0; serial < 10000 && !(sawSecond && sawNever); serial++ {
		body := fmt.Sprintf("9001013%04d", serial)
		sum := 0
		for i := 0; i < 11; i++ {
			sum += int(body[i]-'0') * (i + 1)
		}
		if sum%11 != 10 {
			continue
		}
		check, ok := iinCheck(body)
		if ok {
			sawSecond = true
			if !ValidIIN(body + string(rune('0'+check))) {
				t.Errorf("%s%d: second-pass IIN rejected", body, check)
			}
		} else {
			sawNever = true
			for d := 0; d <= 9; d++ {
				if ValidIIN(body + string(rune('0'+d))) {
					t.Errorf("%s%d: IIN with check 10 twice accepted", body, d)
				}
			}
		}
	}
	if !sawSecond || !sawNever {
		t.Fatalf("test data did not reach both cases: second %v never %v", sawSecond, sawNever)
	}
}

func TestValidKGPIN(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{makeKGPIN('2', "15011990", 12345), true},
		{makeKGPIN('1', "29022000", 1), true},
		{makeKGPIN('1', "29022001", 1), false},
		{makeKGPIN('3', "15011990", 12345), false},
		{makeKGPIN('0', "15011990", 12345), false},
		{makeKGPIN('2', "32011990", 12345), false},
		{makeKGPIN('2', "15131990", 12345), false},
		{makeKGPIN('2', "15011890", 12345), false},
		{makeKGPIN('2', "15012100", 12345), false},
		{"2150119901234", false},
		{"215011990123456", false},
		{"2150119901234x", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidKGPIN(tt.in); got != tt.want {
			t.Errorf("ValidKGPIN(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// slowValidIIN and slowValidKGPIN are reference implementations written differently from
// the real ones (no shared helpers, time only for leap years), for the fuzz target.
func slowValidIIN(s string) bool {
	if len(s) != 12 {
		return false
	}
	d := make([]int, 12)
	for i, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
		d[i] = int(c - '0')
	}
	check, ok := iinCheck(s[:11])
	if !ok || check != d[11] {
		return false
	}
	yy, mm, dd := d[0]*10+d[1], d[2]*10+d[3], d[4]*10+d[5]
	var year int
	switch d[6] {
	case 0:
		year = 2000
	case 1, 2:
		year = 1800 + yy
	case 3, 4:
		year = 1900 + yy
	case 5, 6:
		year = 2000 + yy
	default:
		return false
	}
	return slowDateOK(year, mm, dd)
}

func slowValidKGPIN(s string) bool {
	if len(s) != 14 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	if s[0] != '1' && s[0] != '2' {
		return false
	}
	var dd, mm, yyyy int
	fmt.Sscanf(s[1:3], "%d", &dd)
	fmt.Sscanf(s[3:5], "%d", &mm)
	fmt.Sscanf(s[5:9], "%d", &yyyy)
	return yyyy >= 1900 && yyyy <= 2099 && slowDateOK(yyyy, mm, dd)
}

func slowDateOK(year, month, day int) bool {
	days := []int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		days[2] = 29
	}
	return month >= 1 && month <= 12 && day >= 1 && day <= days[month]
}

func FuzzValidIDs(f *testing.F) {
	for _, s := range []string{"900101300123", "215011990123450", "21501199012345", "", "000229012345", "999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ValidIIN(s), slowValidIIN(s); got != want {
			t.Errorf("ValidIIN(%q) = %v, reference %v", s, got, want)
		}
		if got, want := ValidKGPIN(s), slowValidKGPIN(s); got != want {
			t.Errorf("ValidKGPIN(%q) = %v, reference %v", s, got, want)
		}
		// Also from 12 or 14 digits derived from the input, where the interesting cases are.
		digits := make([]byte, 0, 14)
		for i := 0; i < len(s) && len(digits) < 14; i++ {
			digits = append(digits, '0'+s[i]%10)
		}
		for _, n := range []int{12, 14} {
			if len(digits) >= n {
				d := string(digits[:n])
				if ValidIIN(d) != slowValidIIN(d) || ValidKGPIN(d) != slowValidKGPIN(d) {
					t.Errorf("disagreement on %q", d)
				}
			}
		}
	})
}
