package policy

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

// openPermission fails LAMBDA-PERMISSION-SCOPED.
var openPermission = res(typePermission, "thumbnail-s3", obj{"function": "thumbnail", "principal": "s3.amazonaws.com"})

func TestCheckAppliesSuppressions(t *testing.T) {
	sups := []Suppression{{URN: openPermission.URN, Rules: []string{"LAMBDA-PERMISSION-SCOPED"}, Reason: "bucket is in a partner account"}}
	rep := Check([]recording.Resource{openPermission}, sups)
	if len(rep.Failed()) != 0 {
		t.Fatalf("suppressed finding still fails:\n%s", rep)
	}
	got := rep.Suppressed()
	if len(got) != 1 || got[0].Rule != "LAMBDA-PERMISSION-SCOPED" || got[0].Reason != "bucket is in a partner account" {
		t.Fatalf("Suppressed() = %+v", got)
	}
	if err := rep.Err(); err != nil {
		t.Errorf("Err() = %v, want nil", err)
	}

	// The same suppression on another resource excuses nothing here.
	other := res(typePermission, "other", obj{"function": "thumbnail", "principal": "s3.amazonaws.com", "sourceArn": "arn:aws:s3:::photos"})
	sups[0].URN = other.URN
	rep = Check([]recording.Resource{openPermission, other}, sups)
	var failed []string
	for _, f := range rep.Failed() {
		failed = append(failed, f.Name+" "+f.Rule)
	}
	if want := []string{"other " + SuppressionRule, "thumbnail-s3 LAMBDA-PERMISSION-SCOPED"}; !reflect.DeepEqual(failed, want) {
		t.Fatalf("failed = %q, want %q", failed, want)
	}
}

func TestSuppressionProblems(t *testing.T) {
	table := res(typeTable, "todos", obj{"pointInTimeRecovery": obj{"enabled": true}, "serverSideEncryption": obj{"enabled": true},
		"deletionProtectionEnabled": true})
	stack := []recording.Resource{openPermission, table}
	scoped := Suppression{URN: openPermission.URN, Rules: []string{"LAMBDA-PERMISSION-SCOPED"}, Reason: "partner bucket"}
	tests := []struct {
		name string
		sup  Suppression
		prod bool
		want string // "" means the suppression raises no finding of its own
	}{
		{"in use", scoped, false, ""},
		{"stale", Suppression{URN: table.URN, Rules: []string{"DDB-PITR"}, Reason: "restored from backups"}, false,
			`suppression of DDB-PITR excuses no finding (reason was "restored from backups"); remove it`},
		{"unknown rule", Suppression{URN: table.URN, Rules: []string{"DDB-PTIR"}, Reason: "typo"}, false, "suppression names unknown rule DDB-PTIR"},
		{"unknown resource", Suppression{URN: urnPrefix + typeTable + "::gone", Rules: []string{"DDB-PITR"}, Reason: "old"}, false,
			"names a resource that is not in the stack"},
		{"no reason", Suppression{URN: openPermission.URN, Rules: []string{"LAMBDA-PERMISSION-SCOPED"}, Reason: " "}, false,
			"suppression of LAMBDA-PERMISSION-SCOPED has no reason"},
		{"no rules", Suppression{URN: table.URN, Reason: "because"}, false, `suppression "because" names no rule`},
		{"production rule outside production", Suppression{URN: table.URN, Rules: []string{"DDB-DELETION-PROTECTION"}, Reason: "dev only"}, false, ""},
		{"production rule in production", Suppression{URN: table.URN, Rules: []string{"DDB-DELETION-PROTECTION"}, Reason: "dev only"}, true,
			"suppression of DDB-DELETION-PROTECTION excuses no finding"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := Check(stack, []Suppression{tc.sup}, Production(tc.prod))
			var msgs []string
			for _, f := range rep.Failed() {
				if f.Rule == SuppressionRule {
					msgs = append(msgs, f.Message)
				}
			}
			if tc.want == "" {
				if len(msgs) != 0 {
					t.Fatalf("want no suppression findings, got %q", msgs)
				}
				return
			}
			if len(msgs) != 1 || !strings.Contains(msgs[0], tc.want) {
				t.Fatalf("suppression findings = %q, want one containing %q", msgs, tc.want)
			}
		})
	}

	// A suppression without a reason excuses nothing.
	rep := Check(stack, []Suppression{{URN: openPermission.URN, Rules: []string{"LAMBDA-PERMISSION-SCOPED"}}})
	if !slices.ContainsFunc(rep.Failed(), func(f Finding) bool { return f.Rule == "LAMBDA-PERMISSION-SCOPED" }) {
		t.Errorf("a suppression without a reason excused a finding:\n%s", rep)
	}
}

func TestReportNamesResourceAndRule(t *testing.T) {
	wildcard := res(typeRolePolicy, "thumbnail-policy", obj{"policy": doc(allow("s3:*", "arn:aws:s3:::photos/*"))})
	rep := Check([]recording.Resource{openPermission, wildcard}, []Suppression{
		{URN: wildcard.URN, Rules: []string{"IAM-WILDCARD-ACTION"}, Reason: "reads and writes every object"},
	})
	out := rep.String()
	for _, want := range []string{
		"1 failed, 1 suppressed, 2 resources checked\n",
		`FAIL aws:lambda/permission:Permission "thumbnail-s3": LAMBDA-PERMISSION-SCOPED (CKV_AWS_364): lets any s3.amazonaws.com resource`,
		`SUPPRESSED aws:iam/rolePolicy:RolePolicy "thumbnail-policy": IAM-WILDCARD-ACTION (AwsSolutions-IAM5, `,
		"    because: reads and writes every object\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	err := rep.Err()
	if err == nil || !strings.Contains(err.Error(), `aws:lambda/permission:Permission "thumbnail-s3": LAMBDA-PERMISSION-SCOPED (CKV_AWS_364)`) {
		t.Fatalf("Err() = %v", err)
	}
	if strings.Contains(err.Error(), "thumbnail-policy") {
		t.Errorf("Err() lists a suppressed finding: %v", err)
	}
}

func TestCheckIsDeterministic(t *testing.T) {
	stack := slices.Concat(
		without(secureBucket("site"), "site-pab", "site-logging"),
		secureCDN(func(in obj) { delete(in, "loggingConfig") }),
		without(secureFunction(nil), "thumbnail-logs"),
		[]recording.Resource{openPermission},
	)
	want := Check(stack, nil).Findings
	if len(want) < 4 {
		t.Fatalf("fixture should fail several rules, got %d findings", len(want))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		shuffled := slices.Clone(stack)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := Check(shuffled, nil).Findings; !reflect.DeepEqual(got, want) {
			t.Fatalf("findings depend on resource order:\n%v\nvs\n%v", got, want)
		}
	}
}

func TestWithRulesAddsCustomRules(t *testing.T) {
	tagged := Rule{
		ID: "TAGS-OWNER", Mirrors: []string{"team"}, Description: "Every AWS resource has an owner tag.",
		Check: func(_ *Stack, r recording.Resource) []string {
			if !r.Custom() || str(r.Inputs, "tags.owner") != "" {
				return nil
			}
			return []string{"no owner tag"}
		},
	}
	stack := []recording.Resource{
		res(typeQueue, "jobs", obj{"tags": obj{"owner": "payments"}}),
		res(typeTable, "todos", nil),
		res("serverless-arch:api:ServerlessAPI", "api", nil),
	}
	rep := Check(stack, nil, WithRules(append(Rules(), tagged)...))
	var tagFindings []string
	for _, f := range rep.Failed() {
		if f.Rule == "TAGS-OWNER" {
			tagFindings = append(tagFindings, f.Name)
		}
	}
	if !reflect.DeepEqual(tagFindings, []string{"todos"}) {
		t.Errorf("TAGS-OWNER findings on %q, want [todos]", tagFindings)
	}
	if !slices.ContainsFunc(rep.Failed(), func(f Finding) bool { return f.Rule == "DDB-PITR" }) {
		t.Error("built-in rules did not run alongside the custom one")
	}
}

func TestURNTypeName(t *testing.T) {
	tests := []struct{ urn, typ, name string }{
		{"urn:pulumi:dev::proj::aws:s3/bucketV2:BucketV2::site", "aws:s3/bucketV2:BucketV2", "site"},
		{"urn:pulumi:dev::proj::serverless-arch:api:ServerlessAPI$aws:lambda/function:Function::api-fn", "aws:lambda/function:Function", "api-fn"},
		{"not-a-urn", "", "not-a-urn"},
	}
	for _, tc := range tests {
		if typ, name := urnTypeName(tc.urn); typ != tc.typ || name != tc.name {
			t.Errorf("urnTypeName(%q) = %q, %q", tc.urn, typ, name)
		}
	}
}
