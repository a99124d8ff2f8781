package blocks

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// A Use is what a function does with one resource: the actions it calls on
// it, the names it finds it by, and, when the resource is encrypted with a
// customer managed KMS key, the key actions AWS performs with the
// function's credentials on its behalf. Resources make their own Uses
// (TableRef.Use, BucketRef.Use, QueueRef.Use, ...), so the grant follows from
// the resource's definition, key included; a function gets them through
// FunctionArgs.Uses, as SST's link gives a function what a linked resource
// declares.
type Use struct {
	// Sid names the statement.
	Sid string
	// Actions are the API actions the function calls, on Resources, under
	// Conditions (operator -> key -> values), as in a Statement.
	Actions    []string
	Resources  pulumi.StringArrayInput
	Conditions map[string]map[string]pulumi.StringArrayInput
	// Key is the ARN of the customer managed key encrypting the resource,
	// nil for AWS owned or AWS managed keys; Via is the service that uses it
	// ("dynamodb", "s3", "sqs", "sns"). The key actions follow from Actions
	// (KeyActions).
	Key pulumi.StringInput
	Via string
	// Environment holds the variables the function finds the resource by.
	Environment map[string]pulumi.StringInput
}

// keyActions lists, per API action, the KMS actions AWS performs with the
// caller's credentials when the resource is under a customer managed key:
// reading decrypts, writing encrypts new data (a data key) too. Sources:
// DynamoDB "Encryption at rest: how it works" and "Authorizing use of your
// customer managed key"; S3 "Using server-side encryption with AWS KMS keys"
// (GetObject/HeadObject need kms:Decrypt, PutObject kms:GenerateDataKey and,
// for multipart uploads, kms:Decrypt); SQS "Key management" (SendMessage
// needs kms:GenerateDataKey and kms:Decrypt, ReceiveMessage kms:Decrypt);
// SNS "Encryption at rest" (Publish as SQS SendMessage).
var keyActions = map[string][]string{
	"dynamodb:GetItem":            {"kms:Decrypt"},
	"dynamodb:BatchGetItem":       {"kms:Decrypt"},
	"dynamodb:Query":              {"kms:Decrypt"},
	"dynamodb:Scan":               {"kms:Decrypt"},
	"dynamodb:ConditionCheckItem": {"kms:Decrypt"},
	"dynamodb:DeleteItem":         {"kms:Decrypt"},
	"dynamodb:GetRecords":         {"kms:Decrypt"},
	"dynamodb:PutItem":            {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"},
	"dynamodb:UpdateItem":         {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"},
	"dynamodb:BatchWriteItem":     {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"},
	"s3:GetObject":                {"kms:Decrypt"},
	"s3:PutObject":                {"kms:Decrypt", "kms:GenerateDataKey"},
	"sqs:SendMessage":             {"kms:Decrypt", "kms:GenerateDataKey"},
	"sqs:ReceiveMessage":          {"kms:Decrypt"},
	"sns:Publish":                 {"kms:Decrypt", "kms:GenerateDataKey"},
}

// KeyActions returns the KMS actions AWS needs from a caller of action on
// a resource under a customer managed key (none for actions that touch no
// encrypted data, such as s3:DeleteObject or dynamodb:DescribeStream).
func KeyActions(action string) []string { return keyActions[action] }

// Statements renders the use as policy statements: the actions on the
// resources, and the key actions on the key, only through Via's endpoint
// in the key's region. NewFunction puts them in a function's role; other
// principals (an identity pool's role) take them directly.
func (u Use) Statements() []Statement {
	out := []Statement{{Sid: u.Sid, Actions: u.Actions, Resources: u.Resources, Conditions: u.Conditions}}
	if u.Key == nil {
		return out
	}
	var kms []string
	for _, a := range u.Actions {
		kms = append(kms, keyActions[a]...)
	}
	slices.Sort(kms)
	kms = slices.Compact(kms)
	if len(kms) == 0 {
		return out
	}
	return append(out, Statement{
		Sid:       u.Sid + "Key",
		Actions:   kms,
		Resources: pulumi.StringArray{u.Key},
		Conditions: map[string]map[string]pulumi.StringArrayInput{
			"StringEquals": {"kms:ViaService": pulumi.StringArray{ViaService(u.Via, u.Key)}},
		},
	})
}

// kmsARN matches a KMS key ARN: partition, region.
var kmsARN = regexp.MustCompile(`^arn:(aws[a-z-]*):kms:([a-z0-9-]+):[0-9]{12}:key/.+$`)

// ViaService is the kms:ViaService value of service using key in the key's
// own region, e.g. "dynamodb.eu-west-1.amazonaws.com": a key grant scoped
// to it holds only for requests that service makes.
func ViaService(service string, key pulumi.StringInput) pulumi.StringOutput {
	return key.ToStringOutput().ApplyT(func(arn string) (string, error) {
		m := kmsARN.FindStringSubmatch(arn)
		if m == nil {
			return "", fmt.Errorf("%q is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); aliases cannot scope a grant", arn)
		}
		suffix := "amazonaws.com"
		if strings.HasPrefix(m[1], "aws-cn") {
			suffix = "amazonaws.com.cn"
		}
		return service + "." + m[2] + "." + suffix, nil
	}).(pulumi.StringOutput)
}

// env is a one-variable environment, none for an empty name.
func env(name string, value pulumi.StringInput) map[string]pulumi.StringInput {
	if name == "" {
		return nil
	}
	return map[string]pulumi.StringInput{name: value}
}

// TableRef is a DynamoDB table as its users need it.
type TableRef struct {
	Name, Arn pulumi.StringInput
	// StreamArn is the table's stream in this region, for its consumers.
	StreamArn pulumi.StringInput
	// KMSKeyArn is its customer managed key; nil for AWS owned or AWS
	// managed keys.
	KMSKeyArn pulumi.StringInput
}

// Use allows actions (e.g. "dynamodb:GetItem") on the table and on its
// indexes named in indexes, and sets the table's name in the variable
// envName ("" for none).
func (t TableRef) Use(sid, envName string, actions []string, indexes ...string) Use {
	res := pulumi.StringArray{t.Arn}
	for _, ix := range indexes {
		res = append(res, pulumi.Sprintf("%s/index/%s", t.Arn, ix))
	}
	return Use{Sid: sid, Actions: actions, Resources: res, Key: t.KMSKeyArn, Via: "dynamodb", Environment: env(envName, t.Name)}
}

// ReadStream allows a consumer (a Lambda event source mapping, with the
// function's role) to read the table's stream: describe it, iterate its
// shards, read its records, decrypted with the table's key.
func (t TableRef) ReadStream(sid string) Use {
	return Use{Sid: sid, Actions: []string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"},
		Resources: pulumi.StringArray{t.StreamArn}, Key: t.KMSKeyArn, Via: "dynamodb"}
}

// BucketRef is an S3 bucket as its users need it.
type BucketRef struct {
	Name, Arn pulumi.StringInput
	// KMSKeyArn is its default SSE-KMS key when that is a customer managed
	// key; nil for SSE-S3.
	KMSKeyArn pulumi.StringInput
}

// Use allows object actions (s3:GetObject, s3:PutObject, ...) on the
// objects under prefix ("" for all) and sets the bucket's name in envName.
func (b BucketRef) Use(sid, envName, prefix string, actions ...string) Use {
	return Use{Sid: sid, Actions: actions, Resources: pulumi.StringArray{pulumi.Sprintf("%s/%s*", b.Arn, prefix)},
		Key: b.KMSKeyArn, Via: "s3", Environment: env(envName, b.Name)}
}

// List allows s3:ListBucket on the bucket, for keys under prefixes (none:
// every key). With it S3 answers 404 rather than 403 for a missing key.
func (b BucketRef) List(sid string, prefixes ...string) Use {
	u := Use{Sid: sid, Actions: []string{"s3:ListBucket"}, Resources: pulumi.StringArray{b.Arn}}
	if len(prefixes) > 0 {
		var like []string
		for _, p := range prefixes {
			like = append(like, p, p+"*")
		}
		u.Conditions = map[string]map[string]pulumi.StringArrayInput{"StringLike": {"s3:prefix": pulumi.ToStringArray(like)}}
	}
	return u
}

// QueueRef is an SQS queue as its users need it.
type QueueRef struct {
	Arn, URL pulumi.StringInput
	// KMSKeyArn is its customer managed key; nil for SSE-SQS.
	KMSKeyArn pulumi.StringInput
}

// Use allows actions (e.g. "sqs:SendMessage") on the queue and sets its URL
// in envName.
func (q QueueRef) Use(sid, envName string, actions ...string) Use {
	return Use{Sid: sid, Actions: actions, Resources: pulumi.StringArray{q.Arn}, Key: q.KMSKeyArn, Via: "sqs",
		Environment: env(envName, q.URL)}
}

// TopicRef is an SNS topic as its users need it.
type TopicRef struct {
	Arn pulumi.StringInput
	// KMSKeyArn is its customer managed key; nil for none.
	KMSKeyArn pulumi.StringInput
}

// Use allows actions (e.g. "sns:Publish") on the topic and sets its ARN in
// envName.
func (t TopicRef) Use(sid, envName string, actions ...string) Use {
	return Use{Sid: sid, Actions: actions, Resources: pulumi.StringArray{t.Arn}, Key: t.KMSKeyArn, Via: "sns",
		Environment: env(envName, t.Arn)}
}
