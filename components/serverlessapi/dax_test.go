package serverlessapi_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

func TestDAXAdmitsOnlyItsClientsOverTLS(t *testing.T) {
	const tableArn = "arn:aws:dynamodb:us-east-1:123456789012:table/things"
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		cache, err := serverlessapi.NewDAX(ctx, "things-dax", serverlessapi.DAXArgs{
			VpcID:     pulumi.String("vpc-0123456789abcdef0"),
			SubnetIDs: pulumi.ToStringArray([]string{"subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"}),
			TableArns: pulumi.ToStringArray([]string{tableArn}),
		})
		if err != nil {
			return err
		}
		fn, err := blocks.NewFunction(ctx, "reader", blocks.FunctionArgs{
			Package: helloPackage,
			VPC:     cache.FunctionVPC(),
			Uses:    []blocks.Use{cache.Use("UseDAXCluster", "dax:GetItem")},
		})
		if err != nil {
			return err
		}
		ctx.Export("clientSg", cache.ClientSecurityGroupID)
		ctx.Export("clusterArn", cache.ClusterArn)
		ctx.Export("endpoint", cache.Endpoint)
		ctx.Export("fn", fn.Function.Name)
		return nil
	}, stacktest.Project("proj"), stacktest.Stack("prod"))
	if err != nil {
		t.Fatal(err)
	}

	cluster := rec.Must(t, "aws:dax/cluster:Cluster", "things-dax-cluster")
	if cluster.Inputs["clusterEndpointEncryptionType"] != "TLS" || cluster.Inputs["serverSideEncryption"].(map[string]any)["enabled"] != true {
		t.Errorf("cluster is not encrypted in transit and at rest: %v", cluster.Inputs)
	}
	if name := cluster.Inputs["clusterName"].(string); len(name) > 20 {
		t.Errorf("cluster name %q is longer than DAX allows", name)
	}
	groups := cluster.Inputs["securityGroupIds"].([]any)
	ingress := rec.OfType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
	if len(ingress) != 1 {
		t.Fatalf("%d ingress rules, want one", len(ingress))
	}
	in := ingress[0].Inputs
	if in["securityGroupId"] != groups[0] || in["referencedSecurityGroupId"] != rec.Outputs["clientSg"] ||
		in["fromPort"] != 9111.0 || in["toPort"] != 9111.0 || in["cidrIpv4"] != nil {
		t.Errorf("cluster admits %v, want only the client group on 9111", in)
	}
	subnets := rec.Must(t, "aws:dax/subnetGroup:SubnetGroup", "things-dax-subnets")
	if len(subnets.Inputs["subnetIds"].([]any)) != 2 || subnets.Inputs["name"] != cluster.Inputs["subnetGroupName"] {
		t.Errorf("subnet group %v is not the cluster's", subnets.Inputs)
	}

	var doc struct {
		Statement []struct{ Action, Resource []string }
	}
	pol := rec.Must(t, "aws:iam/rolePolicy:RolePolicy", "things-dax-policy")
	if err := json.Unmarshal([]byte(pol.Inputs["policy"].(string)), &doc); err != nil {
		t.Fatal(err)
	}
	if got := doc.Statement[0].Resource; !slices.Equal(got, []string{tableArn, tableArn + "/index/*"}) {
		t.Errorf("DAX role reaches %v, want the table and its indexes", got)
	}

	fn := rec.Must(t, "aws:lambda/function:Function", "reader")
	vpc := fn.Inputs["vpcConfig"].(map[string]any)
	if sgs := vpc["securityGroupIds"].([]any); len(sgs) != 1 || sgs[0] != rec.Outputs["clientSg"] {
		t.Errorf("function is in groups %v, want the client group", sgs)
	}
	env := fn.Inputs["environment"].(map[string]any)["variables"].(map[string]any)
	if env["DAX_ENDPOINT"] != rec.Outputs["endpoint"] || env["DAX_ENDPOINT"] == "" {
		t.Errorf("DAX_ENDPOINT = %v, want %v", env["DAX_ENDPOINT"], rec.Outputs["endpoint"])
	}
	fnPol := rec.Must(t, "aws:iam/rolePolicy:RolePolicy", "reader-policy")
	if err := json.Unmarshal([]byte(fnPol.Inputs["policy"].(string)), &doc); err != nil {
		t.Fatal(err)
	}
	last := doc.Statement[len(doc.Statement)-1]
	if !slices.Equal(last.Resource, []string{rec.Outputs["clusterArn"].(string)}) {
		t.Errorf("function may use DAX on %v, want exactly the cluster", last.Resource)
	}
}
