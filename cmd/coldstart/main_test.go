package main

import (
	"strings"
	"testing"
	"time"

	"github.com/gopherstack/serverless-arch/dev/local"
	mailsettings "github.com/gopherstack/serverless-arch/functions/mailer/settings"
	thumbsettings "github.com/gopherstack/serverless-arch/functions/thumbnail/settings"
)

func TestMedian(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{[]time.Duration{5 * ms}, 5 * ms},
		{[]time.Duration{9 * ms, 1 * ms, 5 * ms}, 5 * ms},
		{[]time.Duration{4 * ms, 1 * ms, 2 * ms, 100 * ms}, 3 * ms},
	} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestTableShowsRatiosAgainstTheBaseline(t *testing.T) {
	ms := time.Millisecond
	results := make([]result, len(targets))
	for i := range results {
		results[i] = result{zipBytes: int64(2_000_000 * (i + 1)), latencies: []time.Duration{time.Duration(i+1) * 4 * ms, 100 * ms, 1 * ms}}
	}
	var b strings.Builder
	printTable(&b, results, 3)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != len(targets)+2 {
		t.Fatalf("%d lines, want a header, a rule and %d rows:\n%s", len(lines), len(targets), b.String())
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "| ") || !strings.HasSuffix(l, " |") || strings.Count(l, "|") != 7 {
			t.Fatalf("not a Markdown table row with 6 cells: %q", l)
		}
	}
	// The second function has twice the baseline's size and median.
	cells := strings.Split(lines[3], "|")
	if got := strings.TrimSpace(cells[3]); got != "2.00" {
		t.Errorf("size ratio %q, want 2.00", got)
	}
	if got := strings.TrimSpace(cells[4]); got != "8.0 ms" {
		t.Errorf("median %q, want 8.0 ms", got)
	}
	if got := strings.TrimSpace(cells[5]); got != "2.00" {
		t.Errorf("latency ratio %q, want 2.00", got)
	}
}

// TestEventTargetsStart checks the event functions' environments here are
// ones the functions accept: a refused one would measure a failed init.
func TestEventTargetsStart(t *testing.T) {
	loaders := map[string]func(func(string) string) error{
		local.MailerPackage:    func(g func(string) string) error { _, err := mailsettings.Load(g); return err },
		local.ThumbnailPackage: func(g func(string) string) error { _, err := thumbsettings.Load(g); return err },
	}
	for _, tg := range targets {
		if load, ok := loaders[tg.pkg]; ok {
			if err := load(func(k string) string { return tg.env[k] }); err != nil {
				t.Errorf("%s: %v", tg.name, err)
			}
			delete(loaders, tg.pkg)
		}
	}
	if len(loaders) > 0 {
		t.Errorf("no target for %v", loaders)
	}
}
