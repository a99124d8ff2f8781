package policy

import (
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gopherstack/serverless-arch/components/recording"
)

// nameSpec is what one service allows in one resource type's physical name.
type nameSpec struct {
	// what names the kind of name in messages ("Lambda function names").
	what string
	// key is the input holding the physical name ("name" when empty);
	// prefixKey the input holding a name prefix ("namePrefix" when empty
	// and key is "name").
	key, prefixKey string
	// autonamed: Pulumi names the resource after its logical name when key
	// is unset; lower: it lower-cases that name first (S3).
	autonamed, lower bool
	// fifoKey is the boolean input that makes the queue or topic FIFO,
	// whose name ends in ".fifo" (Pulumi appends it when autonaming).
	fifoKey  string
	min, max int
	// chars are the allowed characters; nil allows any.
	chars *charset
	// extra reports the rules beyond length and characters.
	extra func(name string) []string
	// source is the AWS page that states the rules.
	source string
}

func (s nameSpec) autoSuffix(r recording.Resource) string {
	if s.fifoKey != "" && isTrue(r.Inputs, s.fifoKey) {
		return ".fifo"
	}
	return ""
}

// charset is the characters a kind of name allows: a pattern matching one,
// and the same in words for messages.
type charset struct {
	char *regexp.Regexp
	text string
}

func newCharset(char, text string) *charset {
	return &charset{char: regexp.MustCompile(char), text: text}
}

var (
	alnumDashUnderscore = newCharset(`[A-Za-z0-9_-]`, "letters, digits, - and _")
	iamNameChars        = newCharset(`[\w+=,.@-]`, "letters, digits and +=,.@_-")
	cognitoNameChars    = newCharset(`[\w\s+=,.@-]`, "letters, digits, spaces and +=,.@_-")
	ec2TextChars        = newCharset(`[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]`, "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*")
	alnumDash           = newCharset(`[A-Za-z0-9-]`, "letters, digits and -")
	daxClusterName      = regexp.MustCompile(`^[A-Za-z]([A-Za-z0-9]|-[A-Za-z0-9])*$`)
)

// nameSpecs holds, per resource type, what AWS allows in its physical name.
// Each entry's source is the API reference page; the comment above it quotes
// the parameter whose constraints it copies.
var nameSpecs = map[string]nameSpec{
	// FunctionName: "If you specify only the function name, it is limited to
	// 64 characters in length"; pattern [a-zA-Z0-9-_]+.
	typeFunction: {what: "Lambda function names", autonamed: true, min: 1, max: 64, chars: alnumDashUnderscore,
		source: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html"},
	// StatementId: length 1-100, pattern ([a-zA-Z0-9-_]+).
	typePermission: {what: "Lambda permission statement IDs", key: "statementId", prefixKey: "statementIdPrefix", autonamed: true, min: 1, max: 100, chars: alnumDashUnderscore,
		source: "https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html"},
	// RoleName: length 1-64, pattern [\w+=,.@-]+.
	typeRole: {what: "IAM role names", autonamed: true, min: 1, max: 64, chars: iamNameChars,
		source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html"},
	// PolicyName: length 1-128, pattern [\w+=,.@-]+.
	typeRolePolicy: {what: "IAM inline policy names", autonamed: true, min: 1, max: 128, chars: iamNameChars,
		source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html"},
	// PolicyName: length 1-128, pattern [\w+=,.@-]+.
	typePolicy: {what: "IAM policy names", autonamed: true, min: 1, max: 128, chars: iamNameChars,
		source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html"},
	// QueueName: "up to 80 characters ... alphanumeric characters, hyphens
	// (-), and underscores (_). A FIFO queue name must end with the .fifo
	// suffix."
	typeQueue: {what: "SQS queue names", autonamed: true, fifoKey: "fifoQueue", min: 1, max: 80, chars: alnumDashUnderscore,
		source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html"},
	// Name: "uppercase and lowercase ASCII letters, numbers, underscores, and
	// hyphens, and must be between 1 and 256 characters long. For a FIFO
	// topic, the name must end with the .fifo suffix."
	typeTopic: {what: "SNS topic names", autonamed: true, fifoKey: "fifoTopic", min: 1, max: 256, chars: alnumDashUnderscore,
		source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html"},
	// TableName: length 3-255, pattern [a-zA-Z0-9_.-]+.
	typeTable: {what: "DynamoDB table names", autonamed: true, min: 3, max: 255,
		chars:  newCharset(`[a-zA-Z0-9_.-]`, "letters, digits, _, . and -"),
		source: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html"},
	// logGroupName: length 1-512, pattern [\.\-_/#A-Za-z0-9]+; "can't start
	// with the string aws/".
	typeLogGroup: {what: "CloudWatch log group names", autonamed: true, min: 1, max: 512,
		chars: newCharset(`[.\-_/#A-Za-z0-9]`, "letters, digits and ._-/#"),
		extra: func(n string) []string {
			if strings.HasPrefix(n, "aws/") {
				return []string{fmt.Sprintf("log group name %q starts with aws/, which AWS reserves", n)}
			}
			return nil
		},
		source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html"},
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
	// General purpose bucket naming rules: 3-63 characters; lowercase
	// letters, numbers, periods and hyphens; begin and end with a letter or
	// number; no two adjacent periods; not an IP address; reserved prefixes
	// and suffixes.
	typeBucketV2: bucketNames,
	typeBucket:   bucketNames,
	// PoolName: length 1-128, pattern [\w\s+=,.@-]+.
	typeUserPool: {what: "Cognito user pool names", autonamed: true, min: 1, max: 128, chars: cognitoNameChars,
		source: "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html"},
	// ClientName: length 1-128, pattern [\w\s+=,.@-]+.
	typeUserPoolClient: {what: "Cognito app client names", autonamed: true, min: 1, max: 128, chars: cognitoNameChars,
		source: "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html"},
	// IdentityPoolName: length 1-128, pattern [\w\s+=,.@-]+.
	typeIdentityPool: {what: "Cognito identity pool names", key: "identityPoolName", min: 1, max: 128, chars: cognitoNameChars,
		source: "https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CreateIdentityPool.html"},
	// name: "The name of the model. Must be alphanumeric." (An autonamed
	// model's "-" suffix is refused.)
	typeModel: {what: "API Gateway model names", autonamed: true, min: 1,
		chars:  newCharset(`[A-Za-z0-9]`, "letters and digits only"),
		source: "https://docs.aws.amazon.com/apigateway/latest/api/API_CreateModel.html"},
	// stageName: "Stage names can only contain alphanumeric characters,
	// hyphens, and underscores. Maximum length is 128 characters."
	typeStage: {what: "API Gateway stage names", key: "stageName", min: 1, max: 128, chars: alnumDashUnderscore,
		source: "https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html"},
	// Name: maximum length 64, pattern ^[a-zA-Z0-9-_]{1,64}$.
	typeCFFunction: {what: "CloudFront function names", autonamed: true, min: 1, max: 64, chars: alnumDashUnderscore,
		source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateFunction.html"},
	// Name: "You can specify up to 64 characters."
	typeOAC: {what: "CloudFront origin access control names", autonamed: true, min: 1, max: 64,
		source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html"},
	// name: length 1-60, pattern [\w-]*.
	typeLogDeliverySrc: {what: "CloudWatch Logs delivery source names", autonamed: true, min: 1, max: 60, chars: alnumDashUnderscore,
		source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDeliverySource.html"},
	// name: length 1-60, pattern [\w-]*.
	typeLogDeliveryDest: {what: "CloudWatch Logs delivery destination names", autonamed: true, min: 1, max: 60, chars: alnumDashUnderscore,
		source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDeliveryDestination.html"},
	// ConfigurationSetName: "up to 64 alphanumeric characters, including
	// letters, numbers, hyphens (-) and underscores (_) only."
	typeSESConfigSet: {what: "SES configuration set names", key: "configurationSetName", min: 1, max: 64, chars: alnumDashUnderscore,
		source: "https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_CreateConfigurationSet.html"},
	// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
	// Name: "maximum of 32 characters, must contain only alphanumeric
	// characters or hyphens, must not begin or end with a hyphen, and must
	// not begin with internal-".
	typeLoadBalancer:    lbNames("load balancer names", true),
	typeALBLoadBalancer: lbNames("load balancer names", true),
	// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
	// Name: "maximum of 32 characters, must contain only alphanumeric
	// characters or hyphens, and must not begin or end with a hyphen".
	typeTargetGroup: lbNames("target group names", false),
	// LaunchTemplateName: length 3-128, pattern [a-zA-Z0-9\(\)\.\-/_]+.
	typeLaunchTemplate: {what: "launch template names", autonamed: true, min: 3, max: 128,
		chars:  newCharset(`[a-zA-Z0-9().\-/_]`, "letters, digits and ().-/_"),
		source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html"},
	// GroupName: "Up to 255 characters in length. Cannot start with sg-.
	// Valid characters: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*".
	typeSecurityGroup: {what: "security group names", autonamed: true, min: 1, max: 255,
		chars: ec2TextChars,
		extra: func(n string) []string {
			if strings.HasPrefix(n, "sg-") {
				return []string{fmt.Sprintf("security group name %q starts with sg-", n)}
			}
			return nil
		},
		source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html"},
	// AutoScalingGroupName: length 1-255.
	typeASG: {what: "Auto Scaling group names", autonamed: true, min: 1, max: 255,
		source: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html"},
	// ClusterName: "must contain from 1 to 20 alphanumeric characters or
	// hyphens. The first character must be a letter. A name cannot end with
	// a hyphen or contain two consecutive hyphens."
	typeDAXCluster: {what: "DAX cluster names", key: "clusterName", min: 1, max: 20,
		chars: alnumDash,
		extra: func(n string) []string {
			if !daxClusterName.MatchString(n) {
				return []string{fmt.Sprintf("DAX cluster name %q must start with a letter and have no trailing or double hyphen", n)}
			}
			return nil
		},
		source: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_dax_CreateCluster.html"},
}

var bucketNames = nameSpec{what: "S3 bucket names", key: "bucket", prefixKey: "bucketPrefix", autonamed: true, lower: true, min: 3, max: 63,
	chars:  newCharset(`[a-z0-9.-]`, "lowercase letters, digits, . and -"),
	extra:  bucketNameRules,
	source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html"}

// bucketNameRules are the general purpose bucket naming rules beyond length
// and characters.
func bucketNameRules(n string) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if n != "" && !isAlnum(n[0]) || n != "" && !isAlnum(n[len(n)-1]) {
		bad("bucket name %q must begin and end with a letter or digit", n)
	}
	if strings.Contains(n, "..") {
		bad("bucket name %q has two adjacent periods", n)
	}
	if _, err := netip.ParseAddr(n); err == nil {
		bad("bucket name %q is formatted as an IP address", n)
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(n, p) {
			bad("bucket name %q starts with the reserved prefix %s", n, p)
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(n, s) {
			bad("bucket name %q ends with the reserved suffix %s", n, s)
		}
	}
	return problems
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// lbNames are the Elastic Load Balancing naming rules of load balancers
// (which also must not begin with "internal-") and target groups.
func lbNames(what string, loadBalancer bool) nameSpec {
	source := "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html"
	if loadBalancer {
		source = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html"
	}
	return nameSpec{what: what, autonamed: true, min: 1, max: 32, chars: alnumDash,
		extra: func(n string) []string {
			var problems []string
			if strings.HasPrefix(n, "-") || strings.HasSuffix(n, "-") {
				problems = append(problems, fmt.Sprintf("name %q begins or ends with a hyphen", n))
			}
			if loadBalancer && strings.HasPrefix(n, "internal-") {
				problems = append(problems, fmt.Sprintf("load balancer name %q begins with internal-", n))
			}
			return problems
		},
		source: source}
}

var nameRules = []Rule{
	{
		ID:          "AWS-NAME-LENGTH",
		Description: "Physical names, explicit or autonamed (logical name + 8 characters), fit the service's length limits.",
		Types:       slices.Sorted(maps.Keys(nameSpecs)),
		Source:      "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html (one page per type, cited in nameSpecs)",
		NoSuppress:  true,
		Check:       checkNameLength,
	},
	{
		ID:          "AWS-NAME-CHARSET",
		Description: "Physical names, explicit or autonamed, use only the characters and form the service allows (S3 bucket naming rules, load balancer and DAX name forms, FIFO suffixes).",
		Types:       slices.Sorted(maps.Keys(nameSpecs)),
		Source:      "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (one page per type, cited in nameSpecs)",
		NoSuppress:  true,
		Check:       checkNameCharset,
	},
}

func checkNameLength(_ *Stack, r recording.Resource) []string {
	spec := nameSpecs[r.Type]
	p, ok := physical(r, spec)
	if !ok {
		return nil
	}
	n := utf8.RuneCountInString(p.name)
	switch {
	case spec.max > 0 && n > spec.max:
		return []string{fmt.Sprintf("name %s is %d characters; %s are at most %d (%s)", p.describe(), n, spec.what, spec.max, spec.source)}
	case n < spec.min:
		return []string{fmt.Sprintf("name %s is %d characters; %s are at least %d (%s)", p.describe(), n, spec.what, spec.min, spec.source)}
	}
	return nil
}

func checkNameCharset(_ *Stack, r recording.Resource) []string {
	spec := nameSpecs[r.Type]
	p, ok := physical(r, spec)
	if !ok {
		return nil
	}
	name := p.name
	var problems []string
	if spec.fifoKey != "" {
		fifo := isTrue(r.Inputs, spec.fifoKey)
		if fifo != strings.HasSuffix(name, ".fifo") {
			problems = append(problems, fmt.Sprintf("name %s: %s end in .fifo exactly when %s is true (%s)", p.describe(), spec.what, spec.fifoKey, spec.source))
		}
		name = strings.TrimSuffix(name, ".fifo")
	}
	if spec.chars != nil {
		if bad := outside(name, spec.chars.char); bad != "" {
			allowed := spec.chars.text
			if spec.fifoKey != "" {
				allowed += " (and a final .fifo)"
			}
			problems = append(problems, fmt.Sprintf("name %s has %q; %s allow %s (%s)", p.describe(), bad, spec.what, allowed, spec.source))
		}
	}
	if spec.extra != nil {
		for _, e := range spec.extra(p.name) {
			problems = append(problems, fmt.Sprintf("%s (%s)", e, spec.source))
		}
	}
	return problems
}
