package access

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gopherstack/serverless-arch/dev/internal/recorded"
)

// integration is one API Gateway method served by a function.
type integration struct {
	api, method, path, function string
	stages                      []string
}

// integrations lists the Lambda proxy integrations with their paths.
func (m *Model) integrations() ([]integration, error) {
	paths := m.rec.APIResourcePaths()
	stages := map[string][]string{}
	for _, s := range m.OfType("aws:apigateway/stage:Stage") {
		stages[recorded.Str(s.Inputs, "restApi")] = append(stages[recorded.Str(s.Inputs, "restApi")], recorded.Str(s.Inputs, "stageName"))
	}
	var out []integration
	for _, in := range m.OfType("aws:apigateway/integration:Integration") {
		uri := recorded.Str(in.Inputs, "uri")
		if recorded.Str(in.Inputs, "type") != "AWS_PROXY" || !strings.Contains(uri, ":lambda:path/") {
			continue
		}
		fn := strings.TrimSuffix(uri[strings.Index(uri, "/functions/")+len("/functions/"):], "/invocations")
		path, ok := paths[recorded.Str(in.Inputs, "resourceId")]
		if !ok {
			return nil, fmt.Errorf("integration %s is on resource %v, which the stack does not hold", in.Name, in.Inputs["resourceId"])
		}
		if path == "" {
			path = "/" // the API's root resource
		}
		api := recorded.Str(in.Inputs, "restApi")
		out = append(out, integration{api: api, method: recorded.Str(in.Inputs, "httpMethod"), path: path, function: fn, stages: stages[api]})
	}
	return out, nil
}

// executeArn is the source ARN of a request to api's stage on method and
// path, with every path parameter given a value.
func (m *Model) executeArn(api, stage, method, path string) string {
	if method == "ANY" {
		method = "GET"
	}
	path = pathParam.ReplaceAllString(path, "sample")
	return fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/%s/%s%s", m.Region, m.Account, api, stage, method, path)
}

// apiGatewayCalls: API Gateway invokes a route's function for each stage.
func (m *Model) apiGatewayCalls() ([]Call, error) {
	ins, err := m.integrations()
	if err != nil {
		return nil, err
	}
	var out []Call
	for _, in := range ins {
		if len(in.stages) == 0 {
			return nil, fmt.Errorf("API %s has no stage", in.api)
		}
		for _, stage := range in.stages {
			src := m.executeArn(in.api, stage, in.method, in.path)
			out = append(out, Call{Who: "API Gateway", Principal: "apigateway.amazonaws.com", Action: "lambda:InvokeFunction",
				Resource: in.function, Context: m.fromService(src), From: fmt.Sprintf("%s %s of API %s", in.method, in.path, in.api)})
		}
	}
	return out, nil
}

// notificationCalls: S3 delivers a bucket's events to functions, queues
// and topics, each request carrying the bucket as its source.
func (m *Model) notificationCalls() ([]Call, error) {
	var out []Call
	for _, n := range m.OfType("aws:s3/bucketNotification:BucketNotification") {
		bucket := "arn:aws:s3:::" + recorded.Str(n.Inputs, "bucket")
		from := "notification " + n.Name
		for _, kind := range []struct{ list, key, action string }{
			{"lambdaFunctions", "lambdaFunctionArn", "lambda:InvokeFunction"},
			{"queues", "queueArn", "sqs:SendMessage"},
			{"topics", "topicArn", "sns:Publish"},
		} {
			targets := map[string]bool{}
			for _, raw := range recorded.Maps(n.Inputs[kind.list]) {
				targets[recorded.Str(raw, kind.key)] = true
			}
			for _, t := range sortedKeys(targets) {
				out = append(out, Call{Who: "S3", Principal: "s3.amazonaws.com", Action: kind.action, Resource: t, Context: m.fromService(bucket), From: from})
				if key := m.queueKey(t); key != "" && kind.action == "sqs:SendMessage" {
					for _, a := range []string{"kms:GenerateDataKey", "kms:Decrypt"} {
						c := m.keyCall("S3", "s3.amazonaws.com", "", a, key, "sqs", from)
						c.Context["aws:SourceArn"], c.Context["aws:SourceAccount"] = bucket, m.Account
						out = append(out, c)
					}
				}
			}
		}
	}
	return out, nil
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// cloudFrontOrigins maps each distribution to the buckets it reads through
// an origin access control, with a key it serves from each.
func (m *Model) cloudFrontOrigins() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, d := range m.OfType("aws:cloudfront/distribution:Distribution") {
		keys := map[string]string{} // origin ID -> sample key
		if id := nested(d.Inputs, "defaultCacheBehavior", "targetOriginId"); id != "" {
			keys[id] = "index.html"
		}
		for _, b := range recorded.Maps(d.Inputs["orderedCacheBehaviors"]) {
			pattern := strings.TrimPrefix(recorded.Str(b, "pathPattern"), "/")
			keys[recorded.Str(b, "targetOriginId")] = strings.ReplaceAll(pattern, "*", "128/sample.jpg")
		}
		buckets := map[string]string{}
		for _, o := range recorded.Maps(d.Inputs["origins"]) {
			domain := recorded.Str(o, "domainName")
			if recorded.Str(o, "originAccessControlId") == "" || !strings.Contains(domain, ".s3.") {
				continue
			}
			buckets[domain[:strings.Index(domain, ".s3.")]] = keys[recorded.Str(o, "originId")]
		}
		out[recorded.Str(d.Outputs, "arn")] = buckets
	}
	return out
}

// bucketKey returns the default SSE-KMS key of a bucket, "" for SSE-S3.
func (m *Model) bucketKey(bucket string) string {
	for _, e := range m.OfType("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2") {
		if recorded.Str(e.Inputs, "bucket") != bucket {
			continue
		}
		for _, r := range recorded.Maps(e.Inputs["rules"]) {
			if k := nested(r, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"); k != "" {
				return k
			}
		}
	}
	return ""
}

// cloudFrontCalls: CloudFront reads each bucket origin through its origin
// access control, as the distribution (aws:SourceArn).
func (m *Model) cloudFrontCalls() ([]Call, error) {
	var out []Call
	for _, dist := range sortedKeys(keysOf(m.cloudFrontOrigins())) {
		for _, bucket := range sortedKeys(keysOf(m.cloudFrontOrigins()[dist])) {
			key := m.cloudFrontOrigins()[dist][bucket]
			from := "origin access control of " + dist[strings.LastIndex(dist, "/")+1:]
			out = append(out, Call{Who: "CloudFront", Principal: "cloudfront.amazonaws.com", Action: "s3:GetObject",
				Resource: "arn:aws:s3:::" + bucket + "/" + key, Context: m.fromService(dist), From: from})
			if k := m.bucketKey(bucket); k != "" {
				c := m.keyCall("CloudFront", "cloudfront.amazonaws.com", "", "kms:Decrypt", k, "s3", from)
				c.Context["aws:SourceArn"] = dist
				out = append(out, c)
			}
		}
	}
	return out, nil
}

func keysOf[V any](m map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// daxActions are what a DAX cluster calls on its tables with its service
// role, for the item API its clients call through it (DAX developer
// guide, "IAM service role for DAX to access DynamoDB").
var daxActions = []string{"dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
	"dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem"}

// daxCalls: DAX assumes each cluster's role and reads and writes through
// to the tables the role names (tables are the cluster's configuration,
// kept in its role; the actions are DAX's).
func (m *Model) daxCalls() ([]Call, error) {
	var out []Call
	for _, c := range m.OfType("aws:dax/cluster:Cluster") {
		roleArn := recorded.Str(c.Inputs, "iamRoleArn")
		role := m.Roles[roleArn]
		if role == nil {
			return nil, fmt.Errorf("DAX cluster %s uses role %s, which the stack does not hold", c.Name, roleArn)
		}
		from := "DAX cluster " + recorded.Str(c.Inputs, "clusterName")
		out = append(out, Call{Who: "DAX", Principal: "dax.amazonaws.com", Action: "sts:AssumeRole", Resource: roleArn, Context: m.secure(), From: from})
		tables := map[string]bool{}
		for _, p := range role.Policies {
			for _, st := range statements(p.Document) {
				for _, r := range stringsOf(st["Resource"]) {
					if strings.Contains(r, ":table/") && !strings.Contains(r, "/index/") {
						tables[r] = true
					}
				}
			}
		}
		for _, t := range sortedKeys(tables) {
			for _, a := range daxActions {
				out = append(out, Call{Who: "DAX", Principal: m.session(roleArn, "dax"), Role: roleArn, Action: a, Resource: t, Context: m.secure(), From: from})
				out = append(out, m.impliedKeyCalls("DAX", m.session(roleArn, "dax"), roleArn, a, t)...)
			}
		}
	}
	return out, nil
}
