package blocks

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type outputsComponent struct {
	pulumi.ResourceState

	Name   pulumi.StringOutput      `pulumi:"name"`
	Tokens pulumi.StringArrayOutput `pulumi:"tokens,optional"`
	Child  *Queue
	hidden pulumi.StringOutput
}

func TestOutputMapTakesTheTaggedFields(t *testing.T) {
	c := &outputsComponent{Name: pulumi.String("a").ToStringOutput(), Tokens: pulumi.ToStringArray([]string{"b"}).ToStringArrayOutput()}
	m, err := outputMap(c)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"name", "tokens"}) {
		t.Errorf("outputs %v, want name and tokens", keys)
	}
	c.Tokens = pulumi.StringArrayOutput{}
	if _, err := outputMap(c); err == nil || !strings.Contains(err.Error(), "output tokens") {
		t.Errorf("an unset output: %v", err)
	}
	if _, err := outputMap("a string"); err == nil {
		t.Error("something other than a pointer to a struct was taken")
	}
}
