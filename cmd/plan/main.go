// Command plan prints what a stack would create, offline: it runs the real
// program under mocks with the stack's configuration, like `pulumi preview`
// without cloud credentials.
//
//	go run ./cmd/plan -stack dev            # resource tree and counts per type
//	go run ./cmd/plan -stack prod -json     # the snapshot (JSON, sorted by URN)
//	go run ./cmd/plan -stack prod -outputs  # stack outputs
//	go run ./cmd/plan -stack prod -check    # policy findings and suppressions
//	go run ./cmd/plan -openapi docs/api     # each API's OpenAPI 3 document, for client SDK generators
//
// With -check it exits 1 when any finding is not suppressed; it runs the
// policy rules and the constraint rules (the inputs AWS accepts at create
// time).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/dev/access"

	"github.com/gopherstack/serverless-arch/internal/plan"
)

func main() {
	stack := flag.String("stack", "dev", "stack whose Pulumi.<stack>.yaml to use")
	dir := flag.String("dir", ".", "project directory (or any directory below it)")
	asJSON := flag.Bool("json", false, "print the snapshot JSON instead of the tree")
	outputs := flag.Bool("outputs", false, "print the stack outputs as JSON")
	check := flag.Bool("check", false, "check the stack against the policy rules and the inputs AWS accepts (components/policy)")
	openAPI := flag.String("openapi", "", "write each API's OpenAPI 3 document (the stack outputs named *OpenApi) into this directory")
	accessProof := flag.Bool("access", false, "evaluate every recorded and wired call, and the negative cases, against the stack's IAM (dev/access)")
	flag.Parse()
	var err error
	if *accessProof {
		err = proveAccess(*dir, *stack)
	} else {
		err = run(*dir, *stack, *asJSON, *outputs, *check, *openAPI)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "plan:", err)
		os.Exit(1)
	}
}

// record runs the program of the project holding dir for stack, under
// mocks.
func record(dir, stack string) (root string, rec *stacktest.Recording, err error) {
	root, err = plan.ProjectDir(dir)
	if err != nil {
		return "", nil, err
	}
	rec, err = plan.Record(root, stack)
	return root, rec, err
}

func run(dir, stack string, asJSON, outputs, check bool, openAPI string) error {
	root, rec, err := record(dir, stack)
	if err != nil {
		return err
	}
	switch {
	case openAPI != "":
		written, err := plan.WriteOpenAPI(rec, openAPI)
		for _, path := range written {
			fmt.Println("wrote", path)
		}
		return err
	case check:
		prod, err := plan.Production(root, stack)
		if err != nil {
			return err
		}
		report := plan.Check(rec, prod)
		fmt.Print(report.String())
		if len(report.Failed()) > 0 {
			return fmt.Errorf("stack %s: %d unsuppressed policy findings", stack, len(report.Failed()))
		}
		return nil
	case asJSON:
		b, err := rec.Snapshot()
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(b)
		return err
	case outputs:
		b, err := json.MarshalIndent(rec.Outputs, "", "  ")
		if err != nil {
			return err
		}
		fmt.Println(string(b))
		return nil
	}
	fmt.Print(plan.Tree(rec))
	fmt.Println()
	fmt.Print(plan.Counts(rec))
	return nil
}

// proveAccess prints the access proof of stack.
func proveAccess(dir, stack string) error {
	root, rec, err := record(dir, stack)
	if err != nil {
		return err
	}
	region, err := plan.Region(root, stack)
	if err != nil {
		return err
	}
	recorded, err := access.LoadRecordedCalls(filepath.Join(root, "tests", "testdata", "access", "calls.json"))
	if err != nil {
		return err
	}
	m, err := access.NewModel(rec.Resources, region, stacktest.Account)
	if err != nil {
		return err
	}
	report, err := access.ProveStack(m, recorded, policy.Suppressions(rec.Context))
	if err != nil {
		return err
	}
	fmt.Print(report.String())
	if f := report.Failures(); len(f) > 0 {
		return fmt.Errorf("stack %s: %d access failures:\n  %s", stack, len(f), strings.Join(f, "\n  "))
	}
	return nil
}
