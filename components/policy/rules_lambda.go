package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/gopherstack/serverless-arch/components/recording"
)

const typeRedrivePolicy = "aws:sqs/redrivePolicy:RedrivePolicy"

var functionTypes = []string{typeFunction}

var lambdaRules = []Rule{
	{
		ID:          "LAMBDA-MEMORY",
		Mirrors:     []string{"Serverless-LambdaDefaultMemorySize"},
		Description: "Every function sets memorySize explicitly; memory also sets its CPU share.",
		Types:       functionTypes,
		Check:       func(_ *Stack, f recording.Resource) []string { return requireNumber(f, "memorySize") },
	},
	{
		ID:          "LAMBDA-TIMEOUT",
		Mirrors:     []string{"Serverless-LambdaDefaultTimeout"},
		Description: "Every function sets timeout explicitly rather than relying on the 3 second default.",
		Types:       functionTypes,
		Check:       func(_ *Stack, f recording.Resource) []string { return requireNumber(f, "timeout") },
	},
	{
		ID:          "LAMBDA-XRAY",
		Mirrors:     []string{"Serverless-LambdaTracing", "CKV_AWS_50"},
		Description: "Every function has tracingConfig.mode Active.",
		Types:       functionTypes,
		Check:       checkFunctionTracing,
	},
	{
		ID:          "LAMBDA-ASYNC-FAILURE-DESTINATION",
		Mirrors:     []string{"Serverless-LambdaAsyncFailureDestination", "Serverless-LambdaDLQ", "CKV_AWS_116"},
		Description: "A function invoked asynchronously (by S3, SNS, EventBridge, CloudWatch Logs, SES or IoT) sends events that fail every retry somewhere: a deadLetterConfig, or a FunctionEventInvokeConfig with destinationConfig.onFailure. Synchronously invoked functions are not checked.",
		Types:       functionTypes,
		Check:       checkFunctionAsyncFailure,
	},
	{
		ID:          "LAMBDA-EVENT-SOURCE-FAILURE-DESTINATION",
		Mirrors:     []string{"Serverless-LambdaEventSourceMappingDestination"},
		Description: "Records a stream event source mapping (Kinesis, DynamoDB Streams, Kafka) cannot process go to destinationConfig.onFailure; messages from an SQS source go to the queue's dead-letter queue (a redrivePolicy).",
		Types:       []string{typeEventSourceMap},
		Check:       checkEventSourceFailure,
	},
	{
		ID:          "LAMBDA-RESERVED-CONCURRENCY",
		Mirrors:     []string{"CKV_AWS_115"},
		Description: "A function driven by asynchronous or event-source traffic sets reservedConcurrentExecutions, so a burst neither overwhelms what it calls nor starves the account's other functions.",
		Types:       functionTypes,
		Check:       checkFunctionReservedConcurrency,
	},
	{
		ID:          "LAMBDA-ENV-SECRETS",
		Mirrors:     []string{"CKV_AWS_45"},
		Description: "No secret is stored in environment variables: no Pulumi secret, no literal value under a secret-like name (*SECRET*, *PASSWORD*, *TOKEN*, API_KEY, ...), and no value shaped like a credential. Pass a Secrets Manager or SSM parameter name or ARN and read it at run time.",
		Types:       functionTypes,
		Check:       checkFunctionEnvSecrets,
	},
	{
		ID:          "LAMBDA-PERMISSION-SCOPED",
		Mirrors:     []string{"CKV_AWS_364"},
		Description: "An invoke permission for an AWS service principal is limited by sourceArn or sourceAccount, and none is granted to * without principalOrgId.",
		Types:       []string{typePermission},
		Check:       checkPermissionScoped,
	},
	{
		ID:          "LAMBDA-LOG-GROUP",
		Mirrors:     []string{"Serverless-CloudWatchLogGroupRetentionPeriod"},
		Description: "Every function's log group (loggingConfig.logGroup, or /aws/lambda/<name>) is managed in the stack, so it gets a retention period (see LOGS-RETENTION) instead of being created on first write to keep logs forever.",
		Types:       functionTypes,
		Check:       checkFunctionLogGroup,
	},
	{
		ID:          "LOGS-RETENTION",
		Mirrors:     []string{"Serverless-CloudWatchLogGroupRetentionPeriod", "CKV_AWS_66"},
		Description: "Every CloudWatch log group sets retentionInDays.",
		Types:       []string{typeLogGroup},
		Check:       checkLogGroupRetention,
	},
}

func requireNumber(r recording.Resource, key string) []string {
	if _, ok := number(r.Inputs, key); !ok {
		return []string{key + " is not set explicitly"}
	}
	return nil
}

func checkFunctionTracing(_ *Stack, f recording.Resource) []string {
	if str(f.Inputs, "tracingConfig.mode") != "Active" {
		return []string{"X-Ray tracing is off; set tracingConfig.mode Active"}
	}
	return nil
}

// asyncPrincipals are the services that invoke Lambda asynchronously.
var asyncPrincipals = []string{
	"s3.amazonaws.com", "sns.amazonaws.com", "events.amazonaws.com",
	"logs.amazonaws.com", "ses.amazonaws.com", "iot.amazonaws.com",
}

// asyncInvokers describes what invokes f asynchronously.
func asyncInvokers(s *Stack, f recording.Resource) []string {
	var out []string
	for _, p := range s.Referencing(f, typePermission, "function") {
		if principal := str(p.Inputs, "principal"); slices.Contains(asyncPrincipals, principal) {
			out = append(out, fmt.Sprintf("%s (Permission %q)", principal, p.Name))
		}
	}
	for _, t := range s.Referencing(f, typeEventTarget, "arn") {
		out = append(out, fmt.Sprintf("EventBridge (EventTarget %q)", t.Name))
	}
	for _, n := range s.Referencing(f, typeBucketNotify, "lambdaFunctions.lambdaFunctionArn") {
		out = append(out, fmt.Sprintf("S3 (BucketNotification %q)", n.Name))
	}
	for _, sub := range s.Referencing(f, typeSNSSubscription, "endpoint") {
		if str(sub.Inputs, "protocol") == "lambda" {
			out = append(out, fmt.Sprintf("SNS (TopicSubscription %q)", sub.Name))
		}
	}
	return out
}

func checkFunctionAsyncFailure(s *Stack, f recording.Resource) []string {
	invokers := asyncInvokers(s, f)
	if len(invokers) == 0 || str(f.Inputs, "deadLetterConfig.targetArn") != "" {
		return nil
	}
	for _, c := range s.Referencing(f, typeEventInvokeConfig, "functionName") {
		if str(c.Inputs, "destinationConfig.onFailure.destination") != "" {
			return nil
		}
	}
	return []string{fmt.Sprintf("invoked asynchronously by %s, but events that fail every retry are dropped; add a deadLetterConfig or a FunctionEventInvokeConfig with destinationConfig.onFailure", strings.Join(invokers, ", "))}
}

func eventSourceService(esm recording.Resource) string {
	if at(esm.Inputs, "selfManagedEventSource") != nil {
		return "kafka"
	}
	parts := strings.SplitN(str(esm.Inputs, "eventSourceArn"), ":", 4)
	if len(parts) < 3 {
		return ""
	}
	return parts[2]
}

func checkEventSourceFailure(s *Stack, esm recording.Resource) []string {
	switch service := eventSourceService(esm); service {
	case "kinesis", "dynamodb", "kafka":
		if str(esm.Inputs, "destinationConfig.onFailure.destinationArn") == "" {
			return []string{fmt.Sprintf("records from the %s source that fail are dropped once retries or their age run out; set destinationConfig.onFailure", service)}
		}
	case "sqs":
		arn := str(esm.Inputs, "eventSourceArn")
		queues := s.Referenced(arn, typeQueue)
		if len(queues) == 0 {
			return []string{fmt.Sprintf("source queue %s is not in this stack, so its dead-letter queue cannot be confirmed", arn)}
		}
		for _, q := range queues {
			if str(q.Inputs, "redrivePolicy") == "" && len(s.Referencing(q, typeRedrivePolicy, "queueUrl")) == 0 {
				return []string{fmt.Sprintf("source queue %q has no redrivePolicy, so messages that keep failing are retried until they expire", q.Name)}
			}
		}
	}
	return nil
}

func checkFunctionReservedConcurrency(s *Stack, f recording.Resource) []string {
	drivers := asyncInvokers(s, f)
	for _, esm := range s.Referencing(f, typeEventSourceMap, "functionName") {
		drivers = append(drivers, fmt.Sprintf("EventSourceMapping %q", esm.Name))
	}
	if len(drivers) == 0 {
		return nil
	}
	if n, ok := number(f.Inputs, "reservedConcurrentExecutions"); ok && n >= 0 {
		return nil
	}
	return []string{fmt.Sprintf("driven by %s without reservedConcurrentExecutions", strings.Join(drivers, ", "))}
}

// credentialShapes match values that are credentials whatever their name.
var credentialShapes = []struct {
	what string
	re   *regexp.Regexp
}{
	{"an AWS access key ID", regexp.MustCompile(`^(AKIA|ASIA)[A-Z0-9]{16}$`)},
	{"a PEM private key", regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`)},
	{"a GitHub token", regexp.MustCompile(`^(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})$`)},
	{"a Slack token", regexp.MustCompile(`^xox[abposr]-[A-Za-z0-9-]{10,}$`)},
	{"a Stripe live key", regexp.MustCompile(`^[sr]k_live_[A-Za-z0-9]{16,}$`)},
	{"a Google API key", regexp.MustCompile(`^AIza[0-9A-Za-z_-]{35}$`)},
}

// secretWords are name parts that mark a variable as holding a secret.
var secretWords = []string{
	"SECRET", "SECRETS", "PASSWORD", "PASSWD", "PWD", "PASSPHRASE",
	"TOKEN", "CREDENTIAL", "CREDENTIALS", "APIKEY", "PRIVATEKEY", "ACCESSKEY",
}

// keyQualifiers are the words that make "<word>_KEY" a secret (API_KEY), as
// opposed to an object or partition key.
var keyQualifiers = []string{
	"API", "PRIVATE", "ACCESS", "SECRET", "SIGNING", "CLIENT", "ENCRYPTION",
	"LICENSE", "MASTER", "HMAC", "JWT", "SSH", "AUTH", "SERVICE",
}

// referenceWords end names that hold where a secret is, not the secret
// (DB_PASSWORD_ARN, TOKEN_PARAMETER_NAME).
var referenceWords = []string{
	"NAME", "ARN", "ID", "PARAM", "PARAMETER", "PATH", "URL", "URI",
	"REGION", "HEADER", "FIELD", "ENDPOINT", "TABLE", "BUCKET", "TTL",
}

func secretName(name string) bool {
	words := strings.FieldsFunc(strings.ToUpper(name), func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	if len(words) == 0 || slices.Contains(referenceWords, words[len(words)-1]) {
		return false
	}
	for i, w := range words {
		if slices.Contains(secretWords, w) {
			return true
		}
		if w == "KEY" && (len(words) == 1 || i > 0 && slices.Contains(keyQualifiers, words[i-1])) {
			return true
		}
	}
	return false
}

// reference reports whether v points at a secret rather than being one: an
// ARN, an SSM parameter path, or the identity of a resource in the stack.
func (s *Stack) reference(v string) bool {
	if strings.HasPrefix(v, "arn:") || strings.HasPrefix(v, "/") {
		return true
	}
	for _, r := range s.resources {
		if s.RefersTo(v, r) {
			return true
		}
	}
	return false
}

func checkFunctionEnvSecrets(s *Stack, f recording.Resource) []string {
	vars, _ := at(f.Inputs, "environment.variables").(map[string]any)
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, k)
	}
	slices.Sort(names)
	var problems []string
	for _, k := range names {
		v := text(vars[k])
		switch {
		case v == "[secret]":
			problems = append(problems, fmt.Sprintf("variable %s carries a Pulumi secret, which Lambda stores and shows as plain configuration; pass a Secrets Manager or SSM reference instead", k))
		case v != "" && secretName(k) && !s.reference(v):
			problems = append(problems, fmt.Sprintf("variable %s looks like a secret and holds a literal value; pass a Secrets Manager or SSM reference instead", k))
		default:
			for _, c := range credentialShapes {
				if c.re.MatchString(v) {
					problems = append(problems, fmt.Sprintf("variable %s holds what looks like %s", k, c.what))
					break
				}
			}
		}
	}
	return problems
}

func checkPermissionScoped(_ *Stack, p recording.Resource) []string {
	principal := str(p.Inputs, "principal")
	scoped := str(p.Inputs, "sourceArn") != "" || str(p.Inputs, "sourceAccount") != ""
	switch {
	case principal == "*" && str(p.Inputs, "principalOrgId") == "":
		return []string{"lets anyone invoke the function (principal *); name the principal or set principalOrgId"}
	case strings.HasSuffix(principal, ".amazonaws.com") && !scoped:
		return []string{fmt.Sprintf("lets any %s resource in any account invoke the function; set sourceArn (and sourceAccount)", principal)}
	}
	return nil
}

func checkFunctionLogGroup(s *Stack, f recording.Resource) []string {
	var want []string
	if g := str(f.Inputs, "loggingConfig.logGroup"); g != "" {
		want = []string{g}
	} else {
		for _, id := range s.Identities(f)[1:] {
			want = append(want, "/aws/lambda/"+id)
		}
	}
	for _, lg := range s.OfType(typeLogGroup) {
		if s.RefersTo(want, lg) {
			return nil
		}
	}
	return []string{fmt.Sprintf("no log group %s in the stack; create it with retentionInDays, or Lambda creates one that keeps logs forever", want[0])}
}

func checkLogGroupRetention(_ *Stack, lg recording.Resource) []string {
	if days, ok := number(lg.Inputs, "retentionInDays"); !ok || days <= 0 {
		return []string{"retentionInDays is not set, so logs are kept forever"}
	}
	return nil
}
