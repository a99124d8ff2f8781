package serverlessapi

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dax"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

// DAXType is the DAX component's type token.
const DAXType = "serverless-arch:api:DAX"

// DAXPort is the port of a DAX cluster's TLS endpoint, the only one DAX
// opens when in-transit encryption is on (8111 is the plain-text port).
const DAXPort = 9111

// EnvDAXEndpoint is the environment variable that tells a function the
// cluster's endpoint.
const EnvDAXEndpoint = "DAX_ENDPOINT"

// DAXArgs configures a DAX cluster.
type DAXArgs struct {
	// VpcID is the VPC, and SubnetIDs the private subnets (in different
	// availability zones) of the nodes and of the functions that use them.
	VpcID     pulumi.StringInput
	SubnetIDs pulumi.StringArrayInput
	// TableArns are the tables the cluster reads and writes through to.
	TableArns pulumi.StringArrayInput
	// NodeType (default dax.t3.small) and Nodes (default 3, one per zone
	// for availability; 1 to 11).
	NodeType pulumi.StringInput
	Nodes    pulumi.IntInput
}

func (a *DAXArgs) withDefaults() {
	if a.NodeType == nil {
		a.NodeType = pulumi.String("dax.t3.small")
	}
	if a.Nodes == nil {
		a.Nodes = pulumi.Int(3)
	}
}

// DAX is an in-memory read-through cache in front of DynamoDB tables,
// reachable only from the functions that use its client security group.
type DAX struct {
	pulumi.ResourceState

	Cluster *dax.Cluster
	// ClientSecurityGroup is the group to give functions that use the
	// cluster; the cluster admits no one else.
	ClientSecurityGroup *ec2.SecurityGroup

	ClusterArn pulumi.StringOutput `pulumi:"clusterArn"`
	// Endpoint is the cluster's TLS configuration endpoint (daxs://...).
	Endpoint              pulumi.StringOutput      `pulumi:"endpoint"`
	ClientSecurityGroupID pulumi.StringOutput      `pulumi:"clientSecurityGroupId"`
	SubnetIDs             pulumi.StringArrayOutput `pulumi:"subnetIds"`
}

// NewDAX creates a DAX cluster in args.SubnetIDs: a subnet group, a
// security group admitting only the client security group on the TLS port,
// encryption at rest and in transit, and a role that lets the cluster reach
// exactly args.TableArns.
func NewDAX(ctx *pulumi.Context, name string, args DAXArgs, opts ...pulumi.ResourceOption) (*DAX, error) {
	args.withDefaults()
	if args.VpcID == nil || args.SubnetIDs == nil || args.TableArns == nil {
		return nil, fmt.Errorf("DAX %s: VpcID, SubnetIDs and TableArns are required", name)
	}
	d := &DAX{}
	if err := ctx.RegisterComponentResource(DAXType, name, d, opts...); err != nil {
		return nil, err
	}
	child := []pulumi.ResourceOption{pulumi.Parent(d)}
	clusterName := daxClusterName(ctx, name)

	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		AssumeRolePolicy: blocks.AssumeRolePolicy("dax.amazonaws.com"),
		Description:      pulumi.String("Lets DAX cluster " + clusterName + " read and write its tables"),
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating DAX role: %w", err)
	}
	tablesAndIndexes := args.TableArns.ToStringArrayOutput().ApplyT(func(arns []string) []string {
		out := make([]string, 0, 2*len(arns))
		for _, a := range arns {
			out = append(out, a, a+"/index/*")
		}
		return out
	}).(pulumi.StringArrayOutput)
	policy, err := iam.NewRolePolicy(ctx, name+"-policy", &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: blocks.PolicyJSON(blocks.Statement{
			Sid: "ReadAndWriteThroughToTables",
			Actions: []string{
				"dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
				"dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem",
				"dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem",
			},
			Resources: tablesAndIndexes,
		}),
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating DAX policy: %w", err)
	}

	subnets, err := dax.NewSubnetGroup(ctx, name+"-subnets", &dax.SubnetGroupArgs{
		Name:        pulumi.String(clusterName),
		Description: pulumi.String("Private subnets of DAX cluster " + clusterName),
		SubnetIds:   args.SubnetIDs,
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating DAX subnet group: %w", err)
	}
	clusterSG, err := ec2.NewSecurityGroup(ctx, name+"-sg", &ec2.SecurityGroupArgs{
		VpcId:       args.VpcID,
		Description: pulumi.String("DAX cluster " + clusterName + ": admits its clients only"),
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating DAX security group: %w", err)
	}
	clientSG, err := ec2.NewSecurityGroup(ctx, name+"-client-sg", &ec2.SecurityGroupArgs{
		VpcId:       args.VpcID,
		Description: pulumi.String("Clients of DAX cluster " + clusterName),
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating DAX client security group: %w", err)
	}
	if _, err := vpc.NewSecurityGroupIngressRule(ctx, name+"-from-clients", &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           clusterSG.ID(),
		ReferencedSecurityGroupId: clientSG.ID(),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(DAXPort),
		ToPort:                    pulumi.Int(DAXPort),
		Description:               pulumi.String("DAX over TLS from its clients"),
	}, child...); err != nil {
		return nil, fmt.Errorf("admitting DAX clients: %w", err)
	}
	if _, err := vpc.NewSecurityGroupEgressRule(ctx, name+"-client-to-dax", &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId:           clientSG.ID(),
		ReferencedSecurityGroupId: clusterSG.ID(),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(DAXPort),
		ToPort:                    pulumi.Int(DAXPort),
		Description:               pulumi.String("To DAX over TLS"),
	}, child...); err != nil {
		return nil, fmt.Errorf("letting clients reach DAX: %w", err)
	}
	// Functions in the VPC still call DynamoDB, X-Ray and other AWS APIs
	// over HTTPS (through the subnets' NAT gateway or VPC endpoints).
	if _, err := vpc.NewSecurityGroupEgressRule(ctx, name+"-client-to-https", &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId: clientSG.ID(),
		CidrIpv4:        pulumi.String("0.0.0.0/0"),
		IpProtocol:      pulumi.String("tcp"),
		FromPort:        pulumi.Int(443),
		ToPort:          pulumi.Int(443),
		Description:     pulumi.String("To AWS APIs over HTTPS"),
	}, child...); err != nil {
		return nil, fmt.Errorf("letting clients reach AWS APIs: %w", err)
	}

	cluster, err := dax.NewCluster(ctx, name+"-cluster", &dax.ClusterArgs{
		ClusterName:                   pulumi.String(clusterName),
		Description:                   pulumi.String("Read-through cache of " + name),
		IamRoleArn:                    role.Arn,
		NodeType:                      args.NodeType,
		ReplicationFactor:             args.Nodes,
		SubnetGroupName:               subnets.Name,
		SecurityGroupIds:              pulumi.StringArray{clusterSG.ID()},
		ServerSideEncryption:          &dax.ClusterServerSideEncryptionArgs{Enabled: pulumi.Bool(true)},
		ClusterEndpointEncryptionType: pulumi.String("TLS"),
	}, append(child, pulumi.DependsOn([]pulumi.Resource{policy}))...)
	if err != nil {
		return nil, fmt.Errorf("creating DAX cluster: %w", err)
	}

	d.Cluster, d.ClientSecurityGroup = cluster, clientSG
	d.ClusterArn = cluster.Arn
	d.Endpoint = cluster.ConfigurationEndpoint
	d.ClientSecurityGroupID = clientSG.ID().ToStringOutput()
	d.SubnetIDs = args.SubnetIDs.ToStringArrayOutput()
	if err := ctx.RegisterResourceOutputs(d, pulumi.Map{
		"clusterArn":            d.ClusterArn,
		"endpoint":              d.Endpoint,
		"clientSecurityGroupId": d.ClientSecurityGroupID,
		"subnetIds":             d.SubnetIDs,
	}); err != nil {
		return nil, err
	}
	return d, nil
}

// FunctionVPC places a function next to the cluster, in its client
// security group.
func (d *DAX) FunctionVPC() *lambda.FunctionVpcConfigArgs {
	return &lambda.FunctionVpcConfigArgs{
		SubnetIds:        d.SubnetIDs,
		SecurityGroupIds: pulumi.StringArray{d.ClientSecurityGroupID},
	}
}

// Use allows a function the DAX actions (e.g. "dax:GetItem") on exactly
// this cluster, and tells it the cluster's endpoint (DAX_ENDPOINT).
func (d *DAX) Use(sid string, actions ...string) blocks.Use {
	return blocks.Use{Sid: sid, Actions: actions, Resources: pulumi.StringArray{d.ClusterArn},
		Environment: map[string]pulumi.StringInput{EnvDAXEndpoint: d.Endpoint}}
}

// daxClusterName is a cluster name unique to the project, stack and
// component within DAX's 20-character limit: the component name cut short,
// then a hash of all three.
func daxClusterName(ctx *pulumi.Context, name string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(name) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteRune('-')
		}
	}
	base := strings.Trim(b.String(), "-")
	if len(base) > 13 {
		base = strings.TrimRight(base[:13], "-")
	}
	if base == "" || base[0] < 'a' || base[0] > 'z' {
		base = "dax" + base
		if len(base) > 13 {
			base = strings.TrimRight(base[:13], "-")
		}
	}
	sum := sha256.Sum256([]byte(ctx.Project() + "/" + ctx.Stack() + "/" + name))
	return base + "-" + hex.EncodeToString(sum[:])[:6]
}
