package local

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
)

// decodeCall reads which IAM actions a request to service asks for, on
// what: the AWS SDK's request as the service's API defines it.
func decodeCall(service string, r *http.Request, body []byte, status int) []rawCall {
	switch service {
	case "dynamodb":
		return decodeDynamoDB(r, body)
	case "s3":
		return decodeS3(r, body, status)
	case "sesv2":
		return decodeSES(r, body)
	case "sqs":
		return decodeSQS(r, body)
	}
	return []rawCall{{action: service + ":Unknown", kind: "unknown", name: r.Method + " " + r.URL.Path}}
}

// decodeDynamoDB reads the operation from X-Amz-Target and the tables (and
// index) from the JSON body; a transaction's or batch's items each count.
func decodeDynamoDB(r *http.Request, body []byte) []rawCall {
	_, op, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	var in struct {
		TableName, IndexName string
		RequestItems         map[string]json.RawMessage
		TransactItems        []map[string]struct{ TableName string }
	}
	_ = json.Unmarshal(body, &in)
	switch op {
	case "BatchGetItem", "BatchWriteItem":
		var out []rawCall
		for t := range in.RequestItems {
			out = append(out, rawCall{action: "dynamodb:" + op, kind: "table", name: t})
		}
		return out
	case "TransactWriteItems", "TransactGetItems":
		var out []rawCall
		for _, item := range in.TransactItems {
			for kind, v := range item {
				action := map[string]string{"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
					"ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}[kind]
				out = append(out, rawCall{action: "dynamodb:" + action, kind: "table", name: v.TableName})
			}
		}
		return out
	}
	if in.IndexName != "" {
		return []rawCall{{action: "dynamodb:" + op, kind: "index", name: in.TableName + "/index/" + in.IndexName}}
	}
	return []rawCall{{action: "dynamodb:" + op, kind: "table", name: in.TableName}}
}

// decodeS3 reads a path-style request: the bucket and key from the path,
// the operation from the method and query. A missing object answered 404
// needed s3:ListBucket as well (without it S3 answers 403).
func decodeS3(r *http.Request, body []byte, status int) []rawCall {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	q := r.URL.Query()
	if key == "" {
		switch {
		case r.Method == http.MethodGet && len(q) <= 1 || q.Has("list-type") || q.Has("prefix"):
			return []rawCall{{action: "s3:ListBucket", kind: "bucket", name: bucket, context: map[string]string{"s3:prefix": q.Get("prefix")}}}
		case r.Method == http.MethodPost && q.Has("delete"):
			var del struct{ Object []struct{ Key string } }
			_ = xml.Unmarshal(body, &del)
			var out []rawCall
			for _, o := range del.Object {
				out = append(out, rawCall{action: "s3:DeleteObject", kind: "object", name: bucket, key: o.Key})
			}
			return out
		}
		return []rawCall{{action: "s3:Unknown", kind: "bucket", name: bucket + "?" + r.URL.RawQuery}}
	}
	if len(q) > 0 && !q.Has("x-id") && !q.Has("versionId") {
		return []rawCall{{action: "s3:Unknown", kind: "object", name: bucket, key: key + "?" + r.URL.RawQuery}}
	}
	var out []rawCall
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		out = append(out, rawCall{action: "s3:GetObject", kind: "object", name: bucket, key: key})
		if status == http.StatusNotFound {
			out = append(out, rawCall{action: "s3:ListBucket", kind: "bucket", name: bucket})
		}
	case http.MethodPut:
		out = append(out, rawCall{action: "s3:PutObject", kind: "object", name: bucket, key: key})
		if src := r.Header.Get("X-Amz-Copy-Source"); src != "" {
			sb, sk, _ := strings.Cut(strings.TrimPrefix(src, "/"), "/")
			out = append(out, rawCall{action: "s3:GetObject", kind: "object", name: sb, key: sk})
		}
	case http.MethodDelete:
		out = append(out, rawCall{action: "s3:DeleteObject", kind: "object", name: bucket, key: key})
	default:
		out = append(out, rawCall{action: "s3:Unknown", kind: "object", name: bucket, key: key})
	}
	return out
}

// decodeSES reads SendEmail: SES v2 authorizes it against the sending
// identity, the configuration set and the stored template.
func decodeSES(r *http.Request, body []byte) []rawCall {
	if r.Method != http.MethodPost || r.URL.Path != "/v2/email/outbound-emails" {
		return []rawCall{{action: "ses:Unknown", kind: "identity", name: r.Method + " " + r.URL.Path}}
	}
	var in struct {
		FromEmailAddress, ConfigurationSetName string
		Content                                struct{ Template struct{ TemplateName string } }
	}
	_ = json.Unmarshal(body, &in)
	out := []rawCall{{action: "ses:SendEmail", kind: "identity", name: in.FromEmailAddress}}
	if in.ConfigurationSetName != "" {
		out = append(out, rawCall{action: "ses:SendEmail", kind: "configuration-set", name: in.ConfigurationSetName})
	}
	if t := in.Content.Template.TemplateName; t != "" {
		out = append(out, rawCall{action: "ses:SendEmail", kind: "template", name: t})
	}
	return out
}

// decodeSQS reads the JSON protocol: the operation from X-Amz-Target, the
// queue URL from the body.
func decodeSQS(r *http.Request, body []byte) []rawCall {
	_, op, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	var in struct{ QueueUrl string }
	_ = json.Unmarshal(body, &in)
	return []rawCall{{action: "sqs:" + op, kind: "queue", name: in.QueueUrl}}
}
