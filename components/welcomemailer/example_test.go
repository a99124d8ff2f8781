package welcomemailer_test

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/welcomemailer"
)

// A blog wires its users table's home-region stream to a WelcomeMailer that
// sends through its domain. Run offline, the recording shows what the
// component creates.
func Example() {
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		// Any table with a stream carrying new images; a GlobalTable works
		// too (its StreamArn is the home region's).
		users, err := dynamodb.NewTable(ctx, "users", &dynamodb.TableArgs{
			HashKey:        pulumi.String("pk"),
			Attributes:     dynamodb.TableAttributeArray{dynamodb.TableAttributeArgs{Name: pulumi.String("pk"), Type: pulumi.String("S")}},
			StreamEnabled:  pulumi.Bool(true),
			StreamViewType: pulumi.String("NEW_IMAGE"),
		})
		if err != nil {
			return err
		}
		_, err = welcomemailer.New(ctx, "welcome", welcomemailer.Args{
			StreamArn:        users.StreamArn, // the home region's stream, never a replica's
			TableArn:         users.Arn,
			Identity:         "example.com",
			Sender:           "welcome@example.com",
			LogRetentionDays: 14,
		})
		return err
	}, stacktest.Project("serverless-arch"), stacktest.Stack("dev"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rec.Resources {
		if strings.HasSuffix(r.Parent, "WelcomeMailer::welcome") {
			fmt.Println(r.Type, r.Name)
		}
	}
	// Output:
	// aws:cloudwatch/logGroup:LogGroup welcome-fn-logs
	// aws:cloudwatch/metricAlarm:MetricAlarm welcome-failures-alarm
	// aws:cloudwatch/metricAlarm:MetricAlarm welcome-held-mails
	// aws:dynamodb/table:Table welcome-ledger
	// aws:iam/role:Role welcome-fn-role
	// aws:iam/rolePolicy:RolePolicy welcome-fn-policy
	// aws:lambda/eventSourceMapping:EventSourceMapping welcome-mapping
	// aws:lambda/function:Function welcome-fn
	// aws:ses/template:Template welcome-template
	// aws:sesv2/configurationSet:ConfigurationSet welcome-config-set
	// aws:sesv2/emailIdentity:EmailIdentity welcome-identity
	// aws:sqs/queue:Queue welcome-failures
	// aws:sqs/queuePolicy:QueuePolicy welcome-failures-policy
}
