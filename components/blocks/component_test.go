package blocks_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

type tagged struct {
	pulumi.ResourceState

	Name  pulumi.StringOutput      `pulumi:"name"`
	IDs   pulumi.StringArrayOutput `pulumi:"ids,optional"`
	Child *pulumi.ResourceState
	Plain string
}

type taggedPlain struct {
	pulumi.ResourceState

	Region string `pulumi:"region"`
}

func TestOutputsAreTheTaggedFields(t *testing.T) {
	c := &tagged{Name: pulumi.String("a").ToStringOutput(), IDs: pulumi.ToStringArray(nil).ToStringArrayOutput()}
	outputs, err := blocks.Outputs(c)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for k := range outputs {
		names = append(names, k)
	}
	slices.Sort(names)
	if got := strings.Join(names, ","); got != "ids,name" {
		t.Errorf("outputs %s, want ids,name", got)
	}
}

func TestOutputsRefuseAnUnsetOutput(t *testing.T) {
	c := &tagged{Name: pulumi.String("a").ToStringOutput()}
	if _, err := blocks.Outputs(c); err == nil || !strings.Contains(err.Error(), "output ids (field IDs) is not set") {
		t.Errorf("an unset output gave %v, want an error naming it", err)
	}
}

func TestOutputsRefuseATaggedPlainField(t *testing.T) {
	if _, err := blocks.Outputs(&taggedPlain{}); err == nil || !strings.Contains(err.Error(), "Region") {
		t.Errorf("a tagged plain field gave %v, want an error naming it", err)
	}
}

func TestNewComponentParentsChildrenAndNamesErrors(t *testing.T) {
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		_, err := blocks.NewComponent(ctx, "test:index:Thing", "thing", nil, func() error { return nil },
			func(c *tagged, parent pulumi.ResourceOption) error {
				_, err := blocks.NewQueue(ctx, "thing-queue", blocks.QueueArgs{}, parent)
				c.Name = pulumi.String("thing").ToStringOutput()
				c.IDs = pulumi.ToStringArray([]string{"a"}).ToStringArrayOutput()
				return err
			})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	queue := rec.Must(t, "aws:sqs/queue:Queue", "thing-queue")
	if !strings.HasSuffix(queue.Parent, "test:index:Thing::thing") {
		t.Errorf("child's parent %q, want the component", queue.Parent)
	}

	built := false
	_, err = stacktest.Run(func(ctx *pulumi.Context) error {
		_, err := blocks.NewComponent(ctx, "test:index:Thing", "thing", nil, func() error { return errors.New("bad size") },
			func(*tagged, pulumi.ResourceOption) error { built = true; return nil })
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "Thing thing: bad size") || built {
		t.Errorf("failed check gave %v (built: %v), want an error naming the component and nothing built", err, built)
	}
}
