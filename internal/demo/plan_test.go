package demo

import (
	"math/rand/v2"
	"regexp"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
)

// The yearly detection plan, without a database (the seeding tests check what is stored).
func TestDetectionPlan(t *testing.T) {
	until, _ := time.Parse(time.DateOnly, DefaultUntil)
	cal := newCalendar(until)
	g, err := newDetectionGenerator(reference.MustRead(), cal, rand.New(rand.NewPCG(DefaultSeed, 2)))
	if err != nil {
		t.Fatal(err)
	}
	perYear := map[int]int{}
	for d, n := range g.perDay[model.JurisdictionKZ] {
		perYear[cal.days[d].year] += n
	}
	if perYear[2024] != 116_354 {
		t.Errorf("KZ 2024 = %d, want MKI's 116,354", perYear[2024])
	}
	if r := float64(perYear[2023]) / float64(perYear[2024]); r < 0.45 || r > 0.6 {
		t.Errorf("KZ 2023 = %d is not about half of 2024 (\"nearly double\")", perYear[2023])
	}
	// 2026 up to 31 October: 304 of 365 days.
	if want := detectionsInYear(model.JurisdictionKZ, 2026) * 304 / 365; perYear[2026] != want {
		t.Errorf("KZ 2026 = %d, want %d (pro rata)", perYear[2026], want)
	}
}

func TestSpreadAddsUp(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, total := range []int{0, 1, 7, 116_354, 1_000_000} {
		weights := make([]int64, 1+r.IntN(400))
		for i := range weights {
			weights[i] = int64(r.IntN(1000))
		}
		weights[0] = 1
		sum := 0
		for _, n := range spread(total, weights) {
			if n < 0 {
				t.Fatalf("negative part")
			}
			sum += n
		}
		if sum != total {
			t.Errorf("spread(%d) adds up to %d", total, sum)
		}
	}
}

func TestReferencesAndSummaries(t *testing.T) {
	until, _ := time.Parse(time.DateOnly, DefaultUntil)
	g, err := newCaseGenerator(reference.MustRead(), newCalendar(until), rand.New(rand.NewPCG(1, 1)), Options{Cases: 10, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	pattern := regexp.MustCompile(`^(KZ|KG)-20\d\d-[0-9A-HJKMNP-TV-Z]{6}$`)
	for range 1000 {
		if ref := g.reference(model.JurisdictionKG, 2025); !pattern.MatchString(ref) {
			t.Fatalf("reference %q", ref)
		}
	}
	// Every category, language and platform has a summary with all slots filled.
	r := rand.New(rand.NewPCG(2, 2))
	for _, c := range categories {
		for lang, text := range summaries[c] {
			if len(text.templates) == 0 {
				t.Errorf("%s has no templates in language %d", c, lang)
			}
		}
		for _, p := range platforms {
			for range 20 {
				if s := summary(r, model.JurisdictionKZ, c, p); s != nil && regexp.MustCompile(`[{}0-9@]`).MatchString(*s) {
					t.Errorf("summary %q", *s)
				}
			}
		}
	}
	if got := fill("Видео {p}, в котором эксперты усмотрели разжигание {t2} розни.", "в Telegram", "социальную"); got !=
		"Видео в Telegram, в котором эксперты усмотрели разжигание социальной розни." {
		t.Errorf("fill = %q", got)
	}
}
