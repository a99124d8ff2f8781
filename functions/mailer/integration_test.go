package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sestypes "github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/gopherstack/serverless-arch/dev/testenv"
	"github.com/gopherstack/serverless-arch/functions/mailer/settings"
)

// TestIntegration runs the handler main builds, configured only through the
// environment, against aws-ses-v2-local and dynalite.
func TestIntegration(t *testing.T) {
	ctx := context.Background()
	sesEndpoint := testenv.SES(t)
	ddbEndpoint := testenv.Dynalite(t)

	// The template is created through the SES v2 API, as the component does.
	ses := sesv2.NewFromConfig(testenv.AWSConfig(t, sesEndpoint))
	_, err := ses.CreateEmailTemplate(ctx, &sesv2.CreateEmailTemplateInput{
		TemplateName: aws.String(testTpl),
		TemplateContent: &sestypes.EmailTemplateContent{
			Subject: aws.String("Welcome to MyBlog, {{name}}!"),
			Text:    aws.String("Hi {{name}},\n\nthanks for joining MyBlog."),
			Html:    aws.String("<p>Hi {{name}},</p><p>thanks for joining MyBlog.</p>"),
		},
	})
	if err != nil {
		t.Fatalf("CreateEmailTemplate: %v", err)
	}
	db := dynamodb.NewFromConfig(testenv.AWSConfig(t, ddbEndpoint))
	createLedgerTable(t, db, "myblog-welcome-ledger")

	// Only the environment, as Lambda would set it; nothing from ~/.aws.
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKIDMAILER", "AWS_SECRET_ACCESS_KEY": "secret",
		"AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none,
		"AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_SESV2": sesEndpoint, "AWS_ENDPOINT_URL_DYNAMODB": ddbEndpoint,
		"SENDER": testSender, "TEMPLATE_NAME": testTpl, "CONFIGURATION_SET": testConfig,
		"IDEMPOTENCY_TABLE": "myblog-welcome-ledger", "USERS_TABLE": "myblog-users", "FAILURE_QUEUE_URL": "",
		"USER_ID_ATTRIBUTE": "pk", "USER_TYPE_ATTRIBUTE": "entity", "USER_TYPE_VALUE": "user",
		"EMAIL_ATTRIBUTE": "email", "NAME_ATTRIBUTE": "name",
	} {
		t.Setenv(k, v)
	}
	h, err := newHandler(ctx, os.Getenv)
	if err != nil {
		t.Fatalf("newHandler: %v", err)
	}
	invoke := func(fixture string) string {
		t.Helper()
		out, err := lambda.NewHandler(h.Handle).Invoke(ctx, readFixture(t, fixture))
		if err != nil {
			t.Fatalf("Invoke(%s): %v", fixture, err)
		}
		return string(out)
	}

	if out := invoke("three-users.json"); out != `{"batchItemFailures":[]}` {
		t.Fatalf("first delivery: %s", out)
	}
	mails := testenv.SESMails(t, sesEndpoint)
	wantNames := map[string]string{
		"ada@example.com": "Ada Lovelace", "grace@example.com": "Grace Hopper", "edsger@example.com": "Edsger Dijkstra",
	}
	if len(mails) != len(wantNames) {
		t.Fatalf("%d mails arrived, want %d: %+v", len(mails), len(wantNames), mails)
	}
	for _, m := range mails {
		name, ok := wantNames[strings.Join(m.Destination.To, ",")]
		if !ok {
			t.Fatalf("mail to %q, want one of %v", m.Destination.To, wantNames)
		}
		if m.From != testSender || m.Subject != "Welcome to MyBlog, "+name+"!" ||
			!strings.Contains(m.Body.Text, "Hi "+name+",") || !strings.Contains(m.Body.HTML, "<p>Hi "+name+",</p>") {
			t.Errorf("mail to %v: from %q subject %q text %q html %q", m.Destination.To, m.From, m.Subject, m.Body.Text, m.Body.HTML)
		}
		delete(wantNames, m.Destination.To[0])
	}

	// The same batch again (a retry), a duplicate and an invalid address.
	for _, f := range []string{"three-users.json", "duplicate-inserts.json", "invalid-address.json"} {
		if out := invoke(f); out != `{"batchItemFailures":[]}` {
			t.Fatalf("%s: %s", f, out)
		}
	}
	if got := testenv.SESMails(t, sesEndpoint); len(got) != 3 {
		t.Fatalf("after replays %d mails arrived, want still 3", len(got))
	}

	item := func(id string) map[string]types.AttributeValue {
		t.Helper()
		out, err := db.GetItem(ctx, &dynamodb.GetItemInput{
			TableName: aws.String("myblog-welcome-ledger"),
			Key:       map[string]types.AttributeValue{settings.LedgerKey: &types.AttributeValueMemberS{Value: id}},
		})
		if err != nil {
			t.Fatal(err)
		}
		return out.Item
	}
	sent := item("USER#ada@example.com")
	if itemString(sent, "status") != StatusSent || !strings.HasPrefix(itemString(sent, "messageId"), "ses-") ||
		itemInt(sent, "attempts") != 1 || sent["token"] != nil {
		t.Errorf("ledger item for ada: %v", sent)
	}
	rejected := item("USER#not-an-address")
	if itemString(rejected, "status") != StatusRejected || !strings.Contains(itemString(rejected, "reason"), "invalid address") {
		t.Errorf("ledger item for the invalid address: %v", rejected)
	}
	if ids := slices.Sorted(func(yield func(string) bool) {
		out, _ := db.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("myblog-welcome-ledger")})
		for _, it := range out.Items {
			if !yield(itemString(it, settings.LedgerKey)) {
				return
			}
		}
	}); !slices.Equal(ids, []string{"USER#ada@example.com", "USER#edsger@example.com", "USER#grace@example.com", "USER#not-an-address"}) {
		t.Errorf("ledger ids = %v", ids)
	}
}
