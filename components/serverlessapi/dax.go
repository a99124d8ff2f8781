package serverlessapi

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
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

func (a *DAXArgs) validate() error {
	if a.VpcID == nil || a.SubnetIDs == nil || a.TableArns == nil {
		return errors.New("VpcID, SubnetIDs and TableArns are required")
	}
	return nil
}

// DAX is an in-memory read-through cache in front of DynamoDB tables,
// reachable only from the functions that use its client security group.
type DAX struct {
	pulumi.ResourceState

	Cluster *dax.Cluster
	// ClientSecurityGroup is the group to give functions that use the
	// cluster; the cluster admits no one else.
	ClientSecurityGroup *ec2.SecurityGroup

	// ClusterArn is the cluster's ARN.
	ClusterArn pulumi.StringOutput `pulumi:"clusterArn"`
	// Endpoint is the cluster's TLS configuration endpoint (daxs://...).
	Endpoint pulumi.StringOutput `pulumi:"endpoint"`
	// ClientSecurityGroupID is the security group to give the functions
	// that use the cluster; the cluster admits no one else.
	ClientSecurityGroupID pulumi.StringOutput `pulumi:"clientSecurityGroupId"`
	// SubnetIDs are the subnets of the nodes, where functions that use the
	// cluster run too.
	SubnetIDs pulumi.StringArrayOutput `pulumi:"subnetIds"`
}

// NewDAX creates a DAX cluster in args.SubnetIDs: a subnet group, a
// security group admitting only the client security group on the TLS port,
// encryption at rest and in transit, and a role that lets the cluster reach
// exactly args.TableArns.
func NewDAX(ctx *pulumi.Context, name string, args DAXArgs, opts ...pulumi.ResourceOption) (*DAX, error) {
	args.withDefaults()
	return blocks.NewComponent(ctx, DAXType, name, opts, args.validate, func(d *DAX, parent pulumi.ResourceOption) error {
		x := &daxBuilder{ctx: ctx, name: name, clusterName: daxClusterName(ctx, name), args: &args, child: []pulumi.ResourceOption{parent}}
		for _, step := range []func() error{x.role, x.network, x.rules, x.cluster} {
			if err := step(); err != nil {
				return err
			}
		}
		d.Cluster, d.ClientSecurityGroup = x.c, x.clientSG
		d.ClusterArn = x.c.Arn
		d.Endpoint = x.c.ConfigurationEndpoint
		d.ClientSecurityGroupID = x.clientSG.ID().ToStringOutput()
		d.SubnetIDs = args.SubnetIDs.ToStringArrayOutput()
		return nil
	})
}

// daxBuilder holds what the steps of NewDAX share.
type daxBuilder struct {
	ctx         *pulumi.Context
	name        string
	clusterName string
	args        *DAXArgs
	child       []pulumi.ResourceOption

	roleArn             pulumi.StringOutput
	policy              *iam.RolePolicy
	subnets             *dax.SubnetGroup
	clusterSG, clientSG *ec2.SecurityGroup
	c                   *dax.Cluster
}

// role creates the role the cluster reaches its tables with, allowed the
// item actions on exactly those tables and their indexes.
func (x *daxBuilder) role() error {
	role, err := iam.NewRole(x.ctx, x.name+"-role", &iam.RoleArgs{
		AssumeRolePolicy: blocks.AssumeRolePolicy("dax.amazonaws.com"),
		Description:      pulumi.String("Lets DAX cluster " + x.clusterName + " read and write its tables"),
	}, x.child...)
	if err != nil {
		return fmt.Errorf("creating DAX role: %w", err)
	}
	tablesAndIndexes := x.args.TableArns.ToStringArrayOutput().ApplyT(func(arns []string) []string {
		out := make([]string, 0, 2*len(arns))
		for _, a := range arns {
			out = append(out, a, a+"/index/*")
		}
		return out
	}).(pulumi.StringArrayOutput)
	x.policy, err = iam.NewRolePolicy(x.ctx, x.name+"-policy", &iam.RolePolicyArgs{
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
	}, x.child...)
	if err != nil {
		return fmt.Errorf("creating DAX policy: %w", err)
	}
	x.roleArn = role.Arn
	return nil
}

// network creates the subnet group of the nodes, the cluster's security
// group and the security group of its clients.
func (x *daxBuilder) network() error {
	var err error
	x.subnets, err = dax.NewSubnetGroup(x.ctx, x.name+"-subnets", &dax.SubnetGroupArgs{
		Name:        pulumi.String(x.clusterName),
		Description: pulumi.String("Private subnets of DAX cluster " + x.clusterName),
		SubnetIds:   x.args.SubnetIDs,
	}, x.child...)
	if err != nil {
		return fmt.Errorf("creating DAX subnet group: %w", err)
	}
	if x.clusterSG, err = x.securityGroup("-sg", "DAX cluster "+x.clusterName+": admits its clients only"); err != nil {
		return err
	}
	x.clientSG, err = x.securityGroup("-client-sg", "Clients of DAX cluster "+x.clusterName)
	return err
}

func (x *daxBuilder) securityGroup(suffix, description string) (*ec2.SecurityGroup, error) {
	sg, err := ec2.NewSecurityGroup(x.ctx, x.name+suffix, &ec2.SecurityGroupArgs{
		VpcId:       x.args.VpcID,
		Description: pulumi.String(description),
	}, x.child...)
	if err != nil {
		return nil, fmt.Errorf("creating DAX security group %s: %w", x.name+suffix, err)
	}
	return sg, nil
}

// tcpRule is a security group rule over TCP on one port: of group, to or
// from (egress or not) the group peer or, without one, the addresses cidr.
type tcpRule struct {
	suffix, description string
	egress              bool
	group               pulumi.StringInput
	peer                pulumi.StringPtrInput
	cidr                string
	port                int
}

// rules admit the clients to the cluster on the TLS port, and let them
// reach it and, as functions in the VPC still call DynamoDB, X-Ray and
// other AWS APIs over HTTPS (through the subnets' NAT gateway or VPC
// endpoints), those.
func (x *daxBuilder) rules() error {
	cluster, client := x.clusterSG.ID(), x.clientSG.ID()
	for _, r := range []tcpRule{
		{suffix: "-from-clients", description: "DAX over TLS from its clients", group: cluster, peer: client, port: DAXPort},
		{suffix: "-client-to-dax", description: "To DAX over TLS", egress: true, group: client, peer: cluster, port: DAXPort},
		{suffix: "-client-to-https", description: "To AWS APIs over HTTPS", egress: true, group: client, cidr: "0.0.0.0/0", port: 443},
	} {
		args := vpc.SecurityGroupIngressRuleArgs{
			SecurityGroupId: r.group,
			IpProtocol:      pulumi.String("tcp"),
			FromPort:        pulumi.Int(r.port),
			ToPort:          pulumi.Int(r.port),
			Description:     pulumi.String(r.description),
		}
		if r.peer != nil {
			args.ReferencedSecurityGroupId = r.peer
		} else {
			args.CidrIpv4 = pulumi.String(r.cidr)
		}
		var err error
		if r.egress {
			// The two rule types take the same arguments.
			egress := vpc.SecurityGroupEgressRuleArgs(args)
			_, err = vpc.NewSecurityGroupEgressRule(x.ctx, x.name+r.suffix, &egress, x.child...)
		} else {
			_, err = vpc.NewSecurityGroupIngressRule(x.ctx, x.name+r.suffix, &args, x.child...)
		}
		if err != nil {
			return fmt.Errorf("creating security group rule %s: %w", x.name+r.suffix, err)
		}
	}
	return nil
}

// cluster creates the cluster, encrypted at rest and in transit, once its
// role may reach the tables.
func (x *daxBuilder) cluster() error {
	a := x.args
	c, err := dax.NewCluster(x.ctx, x.name+"-cluster", &dax.ClusterArgs{
		ClusterName:                   pulumi.String(x.clusterName),
		Description:                   pulumi.String("Read-through cache of " + x.name),
		IamRoleArn:                    x.roleArn,
		NodeType:                      a.NodeType,
		ReplicationFactor:             a.Nodes,
		SubnetGroupName:               x.subnets.Name,
		SecurityGroupIds:              pulumi.StringArray{x.clusterSG.ID()},
		ServerSideEncryption:          &dax.ClusterServerSideEncryptionArgs{Enabled: pulumi.Bool(true)},
		ClusterEndpointEncryptionType: pulumi.String("TLS"),
	}, append(x.child, pulumi.DependsOn([]pulumi.Resource{x.policy}))...)
	if err != nil {
		return fmt.Errorf("creating DAX cluster: %w", err)
	}
	x.c = c
	return nil
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
