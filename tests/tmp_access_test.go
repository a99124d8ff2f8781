package tests
import ("testing";"fmt";"github.com/gopherstack/serverless-arch/dev/access";"github.com/gopherstack/serverless-arch/components/stacktest")
func TestTmpAccess(t *testing.T) {
	for _, st := range []string{"dev","prod"} {
	rec := record(t, st)
	m, err := access.NewModel(rec.Resources, "us-east-1", stacktest.Account)
	if err != nil { t.Fatal(err) }
	calls, err := m.ServiceCalls()
	if err != nil { t.Fatal(err) }
	res, err := m.Evaluate(calls)
	if err != nil { t.Fatal(err) }
	n := 0
	for _, r := range res { if !r.OK() { n++; fmt.Printf("%s %s %s %s -> %s %v %v\n", st, r.Call.Who, r.Call.Action, r.Call.Resource, r.Decision, r.Errors, r.Call.Context) } }
	fmt.Println(st, len(res), "calls,", n, "not ok")
	}
}
