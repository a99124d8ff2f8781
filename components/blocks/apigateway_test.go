package blocks_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

func TestAPIGatewayAccountLetsAPIGatewayWriteOnlyAPILogs(t *testing.T) {
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		_, err := blocks.NewAPIGatewayAccount(ctx, "apigw")
		return err
	}, stacktest.Config("aws:region", "eu-west-1"))
	if err != nil {
		t.Fatal(err)
	}
	acct := rec.Must(t, "aws:apigateway/account:Account", "apigw")
	if acct.Inputs["cloudwatchRoleArn"] != "arn:aws:iam::"+stacktest.Account+":role/apigw-cloudwatch-role" {
		t.Errorf("account role %v", acct.Inputs["cloudwatchRoleArn"])
	}
	var trust, perms struct {
		Statement []struct {
			Principal map[string]string
			Action    []string
			Resource  []string
		}
	}
	role := rec.Must(t, "aws:iam/role:Role", "apigw-cloudwatch-role")
	if err := json.Unmarshal([]byte(role.Inputs["assumeRolePolicy"].(string)), &trust); err != nil {
		t.Fatal(err)
	}
	if trust.Statement[0].Principal["Service"] != "apigateway.amazonaws.com" {
		t.Errorf("role trusts %v", trust.Statement[0].Principal)
	}
	pol := rec.Must(t, "aws:iam/rolePolicy:RolePolicy", "apigw-cloudwatch-policy")
	if err := json.Unmarshal([]byte(pol.Inputs["policy"].(string)), &perms); err != nil {
		t.Fatal(err)
	}
	prefix := "arn:aws:logs:eu-west-1:" + stacktest.Account + ":log-group:"
	if want := []string{prefix + "API-Gateway-Execution-Logs_*", prefix + "/aws/apigateway/*"}; !slices.Equal(perms.Statement[0].Resource, want) {
		t.Errorf("role writes to %v, want %v", perms.Statement[0].Resource, want)
	}
	// DescribeLogGroups has no resource-level permission: only "*" grants it.
	if want := []string{"*"}; !slices.Equal(perms.Statement[1].Resource, want) || !slices.Equal(perms.Statement[1].Action, []string{"logs:DescribeLogGroups"}) {
		t.Errorf("second statement %+v", perms.Statement[1])
	}
}
