package policy

import (
	"fmt"
	"strings"

	"github.com/gopherstack/serverless-arch/components/recording"
)

var dataRules = []Rule{
	{
		ID:          "DDB-PITR",
		Mirrors:     []string{"AwsSolutions-DDB3", "CKV_AWS_28", "CKV_AWS_165"},
		Description: "Every table has point-in-time recovery enabled, and so does each of its replicas (inline replicas and TableReplica resources).",
		Types:       []string{typeTable, typeTableReplica},
		Check:       checkTablePITR,
	},
	{
		ID:          "DDB-ENCRYPTION",
		Mirrors:     []string{"CKV_AWS_119"},
		Description: "Every table enables serverSideEncryption, encrypting with a KMS key (AWS managed or customer managed) rather than the AWS owned default.",
		Types:       []string{typeTable},
		Check: requireTrue("serverSideEncryption.enabled",
			"serverSideEncryption is not enabled; the table uses the AWS owned key, which you cannot audit or control"),
	},
	{
		ID:             "DDB-DELETION-PROTECTION",
		Mirrors:        []string{"SecurityHub DynamoDB.6"},
		Description:    "In production, every table and replica has deletionProtectionEnabled.",
		Types:          []string{typeTable, typeTableReplica},
		ProductionOnly: true,
		Check:          requireTrue("deletionProtectionEnabled", "deletionProtectionEnabled is off in production"),
	},
	{
		ID:          "COGNITO-PASSWORD-POLICY",
		Mirrors:     []string{"AwsSolutions-COG1"},
		Description: "Every user pool declares a password policy of at least 8 characters requiring upper case, lower case, numbers and symbols.",
		Types:       []string{typeUserPool},
		Check:       checkUserPoolPasswords,
	},
	{
		ID:          "COGNITO-UNAUTHENTICATED",
		Mirrors:     []string{"AwsSolutions-COG7", "CKV_AWS_366"},
		Description: "No identity pool allows unauthenticated (guest) identities without a suppression giving the reason.",
		Types:       []string{typeIdentityPool},
		Check:       checkIdentityPoolGuests,
	},
	{
		ID:          "SQS-ENCRYPTION",
		Mirrors:     []string{"AwsSolutions-SQS2", "CKV_AWS_27"},
		Description: "Every queue is encrypted at rest: sqsManagedSseEnabled or a kmsMasterKeyId.",
		Types:       []string{typeQueue},
		Check:       checkQueueEncryption,
	},
	{
		ID:          "SQS-TLS-ONLY",
		Mirrors:     []string{"AwsSolutions-SQS4"},
		Description: "Every queue's policy (inline or a QueuePolicy) denies everyone sqs:* when aws:SecureTransport is false.",
		Types:       []string{typeQueue},
		Check:       checkQueueTLSOnly,
	},
}

func checkTablePITR(_ *Stack, t recording.Resource) []string {
	if t.Type == typeTableReplica {
		if !isTrue(t.Inputs, "pointInTimeRecovery") {
			return []string{"point-in-time recovery is off for this replica"}
		}
		return nil
	}
	var problems []string
	if !isTrue(t.Inputs, "pointInTimeRecovery.enabled") {
		problems = append(problems, "point-in-time recovery is off; set pointInTimeRecovery.enabled")
	}
	for _, r := range list(t.Inputs, "replicas") {
		if !isTrue(r, "pointInTimeRecovery") {
			problems = append(problems, fmt.Sprintf("point-in-time recovery is off for the replica in %s", str(r, "regionName")))
		}
	}
	return problems
}

func checkUserPoolPasswords(_ *Stack, p recording.Resource) []string {
	pp := at(p.Inputs, "passwordPolicy")
	if pp == nil {
		return []string{"no passwordPolicy declared; set minimumLength 8 or more and require upper case, lower case, numbers and symbols"}
	}
	var problems []string
	if n, ok := number(pp, "minimumLength"); !ok || n < 8 {
		problems = append(problems, "passwordPolicy.minimumLength is below 8")
	}
	var missing []string
	for _, k := range []string{"requireUppercase", "requireLowercase", "requireNumbers", "requireSymbols"} {
		if !isTrue(pp, k) {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		problems = append(problems, "passwordPolicy does not set "+strings.Join(missing, ", "))
	}
	return problems
}

func checkIdentityPoolGuests(_ *Stack, p recording.Resource) []string {
	if isTrue(p.Inputs, "allowUnauthenticatedIdentities") {
		return []string{"allows unauthenticated identities"}
	}
	return nil
}

func checkQueueEncryption(_ *Stack, q recording.Resource) []string {
	if isTrue(q.Inputs, "sqsManagedSseEnabled") || str(q.Inputs, "kmsMasterKeyId") != "" {
		return nil
	}
	return []string{"encryption at rest is not declared; set sqsManagedSseEnabled or kmsMasterKeyId"}
}

func checkQueueTLSOnly(s *Stack, q recording.Resource) []string {
	var labels []string
	var docs []any
	if p := str(q.Inputs, "policy"); p != "" {
		docs, labels = append(docs, p), append(labels, "the inline policy")
	}
	for _, qp := range s.Referencing(q, typeQueuePolicy, "queueUrl") {
		docs, labels = append(docs, at(qp.Inputs, "policy")), append(labels, fmt.Sprintf("QueuePolicy %q", qp.Name))
	}
	if len(docs) == 0 {
		return []string{"no queue policy; add a QueuePolicy denying sqs:* when aws:SecureTransport is false"}
	}
	found, problems := anyStatement(labels, docs, func(st statement) bool { return st.deniesInsecureTransport("sqs") })
	if found {
		return nil
	}
	return append(problems, "the queue policy does not deny requests without TLS: add a Deny of sqs:* for Principal * where aws:SecureTransport is false")
}
