package policy

import (
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

func nameCases() []ruleCase {
	one := func(typ, name string, in obj) []recording.Resource { return []recording.Resource{res(typ, name, in)} }
	long := strings.Repeat("a", 57) // + "-" + 7 hex = 65
	return []ruleCase{
		{name: "autonamed function fits", rule: "AWS-NAME-LENGTH", stack: one(typeFunction, "todo-fn", nil)},
		{name: "explicit function name of 64", rule: "AWS-NAME-LENGTH", stack: one(typeFunction, "fn", obj{"name": strings.Repeat("f", 64)})},
		{name: "autonamed function over 64", rule: "AWS-NAME-LENGTH", stack: one(typeFunction, long, nil),
			want: "is 65 characters; Lambda function names are at most 64"},
		{name: "explicit function name over 64", rule: "AWS-NAME-LENGTH", stack: one(typeFunction, "fn", obj{"name": strings.Repeat("f", 65)}),
			want: "Lambda function names are at most 64"},
		{name: "role name prefix plus 26", rule: "AWS-NAME-LENGTH", stack: one(typeRole, "r", obj{"namePrefix": strings.Repeat("r", 39)}),
			want: "is 65 characters; IAM role names are at most 64"},
		{name: "short explicit bucket", rule: "AWS-NAME-LENGTH", stack: one(typeBucketV2, "b", obj{"bucket": "ab"}),
			want: "S3 bucket names are at least 3"},
		{name: "target group over 32", rule: "AWS-NAME-LENGTH", stack: one(typeTargetGroup, "updates-origin-targets-xy", nil),
			want: "target group names are at most 32"},
		{name: "FIFO suffix counts", rule: "AWS-NAME-LENGTH", stack: one(typeQueue, strings.Repeat("q", 70), obj{"fifoQueue": true}),
			want: "is 83 characters; SQS queue names are at most 80"},
		{name: "DAX cluster name over 20", rule: "AWS-NAME-LENGTH", stack: one(typeDAXCluster, "c", obj{"clusterName": "todo-dax-cluster-0001"}),
			want: "DAX cluster names are at most 20"},
		{name: "required name unset is not guessed", rule: "AWS-NAME-LENGTH", stack: one(typeStage, "stage", nil)},

		{name: "autonamed function charset", rule: "AWS-NAME-CHARSET", stack: one(typeFunction, "todo_fn", nil)},
		{name: "function name with a dot", rule: "AWS-NAME-CHARSET", stack: one(typeFunction, "fn", obj{"name": "todo.fn"}),
			want: `has "."; Lambda function names allow letters, digits, - and _`},
		{name: "autonamed bucket is lower-cased", rule: "AWS-NAME-CHARSET", stack: one(typeBucketV2, "Site-Bucket", nil)},
		{name: "autonamed bucket with underscore", rule: "AWS-NAME-CHARSET", stack: one(typeBucketV2, "site_bucket", nil),
			want: `has "_"; S3 bucket names allow lowercase letters`},
		{name: "bucket as IP address", rule: "AWS-NAME-CHARSET", stack: one(typeBucketV2, "b", obj{"bucket": "192.168.1.10"}),
			want: "formatted as an IP address"},
		{name: "bucket with reserved suffix", rule: "AWS-NAME-CHARSET", stack: one(typeBucketV2, "b", obj{"bucket": "logs--ol-s3"}),
			want: "reserved suffix --ol-s3"},
		{name: "FIFO queue autonamed", rule: "AWS-NAME-CHARSET", stack: one(typeQueue, "jobs", obj{"fifoQueue": true})},
		{name: "FIFO queue without suffix", rule: "AWS-NAME-CHARSET", stack: one(typeQueue, "q", obj{"name": "jobs", "fifoQueue": true}),
			want: "end in .fifo exactly when fifoQueue is true"},
		{name: "autonamed API model", rule: "AWS-NAME-CHARSET", stack: one(typeModel, "api-post-model", nil),
			want: "API Gateway model names allow letters and digits only"},
		{name: "explicit API model", rule: "AWS-NAME-CHARSET", stack: one(typeModel, "api-post-model", obj{"name": "PostBody"})},
		{name: "internal- load balancer", rule: "AWS-NAME-CHARSET", stack: one(typeLoadBalancer, "lb", obj{"name": "internal-web"}),
			want: "begins with internal-"},
		{name: "DAX double hyphen", rule: "AWS-NAME-CHARSET", stack: one(typeDAXCluster, "c", obj{"clusterName": "todo--dax"}),
			want: "no trailing or double hyphen"},
		{name: "DAX cluster name", rule: "AWS-NAME-CHARSET", stack: one(typeDAXCluster, "c", obj{"clusterName": "todo-dax-ae5650"})},
		{name: "reserved log group prefix", rule: "AWS-NAME-CHARSET", stack: one(typeLogGroup, "logs", obj{"name": "aws/lambda/fn"}),
			want: "starts with aws/"},
		{name: "log group path", rule: "AWS-NAME-CHARSET", stack: one(typeLogGroup, "logs", obj{"name": "/aws/lambda/serverless-arch/dev/fn"})},
		{name: "IAM role with a space", rule: "AWS-NAME-CHARSET", stack: one(typeRole, "r", obj{"name": "my role"}),
			want: `has " "; IAM role names allow`},
	}
}

func TestNameRules(t *testing.T) { runRuleCases(t, nameCases()) }

// Every type with a name rule has a source page and allows what Pulumi's
// autonaming adds, so that no autonamed resource fails for its suffix
// alone (API Gateway models excepted: AWS allows no "-" there).
func TestNameSpecsAreComplete(t *testing.T) {
	for typ, spec := range nameSpecs {
		if !strings.HasPrefix(spec.source, "https://docs.aws.amazon.com/") || spec.what == "" {
			t.Errorf("%s: name spec lacks a source page or a description", typ)
		}
		if spec.autonamed && spec.chars != nil && typ != typeModel && outside(autonameSuffix, spec.chars.char) != "" {
			t.Errorf("%s: the autoname suffix %q breaks its own charset", typ, autonameSuffix)
		}
	}
}
