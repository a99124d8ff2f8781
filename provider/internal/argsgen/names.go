package argsgen

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// SchemaName is the lowerCamelCase name of a Go field in the schema, with
// initialisms as words, as the components name their outputs: RestAPIID →
// restApiId, CORSOrigins → corsOrigins, SubnetIDs → subnetIds, USEast1 →
// usEast1.
func SchemaName(goName string) string {
	var words []string
	for _, w := range splitWords(goName) {
		words = append(words, splitInitialisms(w)...)
	}
	for i, w := range words {
		if i == 0 {
			words[i] = strings.ToLower(w)
		} else {
			words[i] = strings.ToUpper(w[:1]) + strings.ToLower(w[1:])
		}
	}
	return strings.Join(words, "")
}

// splitWords splits a Go identifier into words: a run of capitals is one
// word (an initialism) up to the capital that starts the next word, and a
// plural s after an initialism stays with it (IDs, ARNs).
func splitWords(s string) []string {
	r := []rune(s)
	var words []string
	start := 0
	for i := 1; i < len(r); i++ {
		prev, cur := r[i-1], r[i]
		var next rune
		if i+1 < len(r) {
			next = r[i+1]
		}
		switch {
		case unicode.IsUpper(cur) && !unicode.IsUpper(prev):
			// fooBar: a new word; but keep the s of IDs/ARNs (handled below).
		case unicode.IsUpper(cur) && unicode.IsUpper(prev) && unicode.IsLower(next) && !(next == 's' && (i+2 == len(r) || unicode.IsUpper(r[i+2]))):
			// DNSName: N starts Name.
		default:
			continue
		}
		words = append(words, string(r[start:i]))
		start = i
	}
	return append(words, string(r[start:]))
}

// initialisms are the ones the components' names run together (APIID).
var initialisms = []string{"ACL", "API", "ARN", "CDN", "CORS", "DAX", "DNS", "GB", "HTML", "ID", "KMS", "MFA", "SPA", "TTL", "URL", "US", "VPC"}

// splitInitialisms splits a run of capitals into the initialisms it
// starts with (APIID → API, ID); other words are returned as they are.
func splitInitialisms(w string) []string {
	if strings.ToUpper(strings.TrimSuffix(w, "s")) != strings.TrimSuffix(w, "s") {
		return []string{w}
	}
	var out []string
	for rest := w; rest != ""; {
		n := 0
		for _, in := range initialisms {
			if strings.HasPrefix(rest, in) && len(in) > n {
				n = len(in)
			}
		}
		if n == 0 || rest[n:] == "s" {
			return append(out, rest)
		}
		out, rest = append(out, rest[:n]), rest[n:]
	}
	return out
}

// humped matches identifiers of two or more words, which prose uses only to
// name Go fields and constants.
var humped = regexp.MustCompile(`\b[A-Z][A-Za-z0-9]*[a-z0-9][A-Z][A-Za-z0-9]*\b|\b[A-Z]{2,}[a-z][A-Za-z0-9]*\b`)

var capitalized = regexp.MustCompile(`\b[A-Z][A-Za-z0-9]*\b`)

// replaceWords replaces each capitalized word through f, telling it whether
// the word starts a sentence and where it is.
func replaceWords(text string, f func(w string, sentenceStart bool, at int) string) string {
	var b strings.Builder
	last := 0
	for _, m := range capitalized.FindAllStringIndex(text, -1) {
		before := strings.TrimRight(text[:m[0]], " ")
		start := before == "" || strings.HasSuffix(before, ".") || strings.HasSuffix(before, "\n")
		b.WriteString(text[last:m[0]])
		b.WriteString(f(text[m[0]:m[1]], start, m[0]))
		last = m[1]
	}
	b.WriteString(text[last:])
	return b.String()
}

// nilWord is Go's word for an unset field.
var nilWord = regexp.MustCompile(`\b[Nn]il\b`)

// proseWords are field names that prose also uses as plain words: they
// name the field only as a doc comment's first word.
var proseWords = map[string]bool{"OpenAPI": true, "URL": true}

// docText turns a Go doc comment into a schema description: paragraphs
// reflowed into lines, Go field names as the schema names them, and Go
// constants as their values.
func docText(doc string, fieldNames map[string]string, consts map[string]string) string {
	var paras []string
	for _, p := range strings.Split(strings.TrimSpace(doc), "\n\n") {
		paras = append(paras, strings.Join(strings.Fields(p), " "))
	}
	text := strings.Join(paras, "\n\n")
	// A doc comment starts with the field's name, and a capitalized word
	// inside a sentence that names a field is that field.
	text = replaceWords(text, func(w string, sentenceStart bool, at int) string {
		if n, ok := fieldNames[w]; ok && (at == 0 || !sentenceStart && !proseWords[w]) {
			return n
		}
		return w
	})
	text = nilWord.ReplaceAllStringFunc(text, func(w string) string { return map[string]string{"nil": "unset", "Nil": "Unset"}[w] })
	return humped.ReplaceAllStringFunc(text, func(w string) string {
		if n, ok := fieldNames[w]; ok && !proseWords[w] {
			return n
		}
		if v, ok := consts[w]; ok {
			return strconv.Quote(v)
		}
		return w
	})
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
