package main

import (
	"strings"
	"testing"
)

const testSchema = `
type Query { x: Color }
"Colours."
enum Color {
  RED
  "The sky."
  BLUE
}
enum Size { S XL }
enum Unlabelled { A }
`

const header = "# comment\nenum,code,kk,ru,en,ky\n"

func TestLoad(t *testing.T) {
	labels := header + "Size,S,s,с,small,кичине\nSize,XL,xl,хл,extra large,өтө чоң\nColor,RED,қызыл,красный,red,кызыл\nColor,BLUE,көк,синий,blue,көк\n"
	opts := options{unlabelled: []string{"Unlabelled"}, prefixes: map[string]string{"Size": "Sz"}}
	enums, err := load("s.graphqls", []byte(testSchema), "l.csv", []byte(labels), opts)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range enums {
		names = append(names, e.name)
	}
	if got := strings.Join(names, " "); got != "Size Color Unlabelled" {
		t.Errorf("enums in the order %s, want labels.csv's, then the unlabelled", got)
	}
	src, err := goFile(enums, "../../s.graphqls", "l.csv", opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"from s.graphqls and l.csv; DO NOT EDIT.",
		"\tSzS  Size = \"S\"\n\tSzXL Size = \"XL\"\n",
		"// Colours.\ntype Color string",
		"\t// The sky.\n\tColorBlue Color = \"BLUE\"",
		"Term{\"XL\", Labels{\"xl\", \"хл\", \"extra large\", \"өтө чоң\"}}",
		"type Unlabelled string",
	} {
		if !strings.Contains(string(src), want) {
			t.Errorf("the Go file lacks %q:\n%s", want, src)
		}
	}
	if strings.Contains(string(src), "UnlabelledVocabulary") {
		t.Error("an unlabelled enum has a vocabulary")
	}

	js := "const A = 1;\nconst ENUMS = /* enums */ {\n  \"Old\": [\"X\"]\n};\nconst B = 2;\n"
	out, err := rewriteJS([]byte(js), enums)
	if err != nil {
		t.Fatal(err)
	}
	want := "const A = 1;\nconst ENUMS = /* enums */ {\n  \"Color\": [\"RED\", \"BLUE\"],\n  \"Size\": [\"S\", \"XL\"],\n  \"Unlabelled\": [\"A\"]\n};\nconst B = 2;\n"
	if string(out) != want {
		t.Errorf("app.js =\n%s\nwant\n%s", out, want)
	}
}

func TestLoadRejects(t *testing.T) {
	ok := "Color,RED,қызыл,красный,red,кызыл\nColor,BLUE,көк,синий,blue,көк\nSize,S,s,с,small,кичине\nSize,XL,xl,хл,extra large,өтө чоң\n"
	for _, tc := range []struct {
		name, labels string
		unlabelled   []string
		want         string
	}{
		{"missing code", strings.Replace(ok, "Color,BLUE,көк,синий,blue,көк\n", "", 1), nil, "Color.BLUE has no labels"},
		{"skipped code", strings.Replace(ok, "Color,RED,қызыл,красный,red,кызыл\n", "", 1), nil, "Color.RED has no labels"},
		{"unknown code", ok + "Size,M,m,м,medium,орто\n", nil, `Size has no code "M"`},
		{"unknown enum", ok + "Shape,ROUND,a,b,c,d\n", nil, "Shape is not an enum of the schema"},
		{"empty label", strings.Replace(ok, "синий", "", 1), nil, "Color.BLUE has no ru label"},
		{"spaced label", strings.Replace(ok, "blue", "blue ", 1), nil, "leading or trailing space"},
		{"empty Kyrgyz label", strings.Replace(ok, ",blue,көк\n", ",blue,\n", 1), nil, "Color.BLUE has no ky label"},
		{"no Kyrgyz column", strings.Replace(ok, ",blue,көк\n", ",blue\n", 1), nil, "wrong number of fields"},
		{"twice", ok + "Size,XL,xl,хл,extra large,өтө чоң\n", nil, "Size.XL is labelled twice"},
		{"duplicate row", strings.Replace(ok, "Color,BLUE,көк,синий,blue,көк\n", "Color,BLUE,көк,синий,blue,көк\nColor,BLUE,көк,синий,blue,көк\n", 1), nil, "Color.BLUE is labelled twice or out of schema order"},
		{"out of order", "Color,BLUE,көк,синий,blue,көк\nColor,RED,қызыл,красный,red,кызыл\nSize,S,s,с,small,кичине\nSize,XL,xl,хл,extra large,өтө чоң\n", nil, "Color.RED is labelled twice or out of schema order"},
		{"not together", "Color,RED,қызыл,красный,red,кызыл\nSize,S,s,с,small,кичине\nColor,BLUE,көк,синий,blue,көк\nSize,XL,xl,хл,extra large,өтө чоң\n", nil, "the rows of Color are not together"},
		{"unlabelled enum", ok, nil, "enum Unlabelled has no labels"},
		{"labelled and listed unlabelled", ok, []string{"Unlabelled", "Size"}, "Size is listed in -unlabelled but has labels"},
		{"unknown unlabelled", ok, []string{"Unlabelled", "Nope"}, "-unlabelled Nope: no such enum"},
		{"short row", ok + "Size,XL,xl\n", []string{"Unlabelled"}, "wrong number of fields"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load("s.graphqls", []byte(testSchema), "l.csv", []byte(header+tc.labels), options{unlabelled: tc.unlabelled})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
	if _, err := load("s.graphqls", []byte(testSchema), "l.csv", []byte("enum,code,kk,ru,en\n"), options{}); err == nil {
		t.Error("a wrong header was accepted")
	}
}

func TestConstName(t *testing.T) {
	for code, want := range map[string]string{"KZ": "JKZ", "X": "JX", "FROM_18_TO_24": "JFrom18To24", "TIKTOK": "JTiktok", "NOT_LIABLE": "JNotLiable"} {
		if got := constName("J", code); got != want {
			t.Errorf("constName(J, %s) = %s, want %s", code, got, want)
		}
	}
}
