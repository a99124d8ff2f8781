package welcomemailer

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// alarms makes the two ways a mail can leave the stream unsent loud: a mail
// held because SES refused for a reason of the account (the sandbox, an
// unverified or paused sender), counted by the function in embedded metric
// format, and a record the mapping gave up on, in the failure queue. Both
// wait for a re-drive (see functions/mailer), and both alarms stay on until
// it is done: missing data keeps an alarm's state (the held-mail metric has
// datapoints only when something happens, and SQS stops publishing for a
// queue idle for six hours), the function writes HeldMails 0 when a
// re-drive leaves no mail held, and SQS reports an emptied queue. They
// notify Args.AlarmActions.
func (m *WelcomeMailer) alarms(ctx *pulumi.Context, name string, args *Args, parent pulumi.ResourceOption) error {
	held, err := cloudwatch.NewMetricAlarm(ctx, name+"-held-mails", &cloudwatch.MetricAlarmArgs{
		AlarmDescription: pulumi.String("Welcome mails held: SES refused them for a reason of the account (sandbox, unverified " +
			"or paused sender). Resolve it, then invoke the mailer with {\"redrive\":\"ledger\"}."),
		Namespace:          pulumi.String(MetricsNamespace),
		MetricName:         pulumi.String(HeldMailsMetric),
		Dimensions:         pulumi.StringMap{"FunctionName": m.Function.Function.Name},
		Statistic:          pulumi.String("Sum"),
		Period:             pulumi.Int(300),
		EvaluationPeriods:  pulumi.Int(1),
		ComparisonOperator: pulumi.String("GreaterThanThreshold"),
		Threshold:          pulumi.Float64(0),
		TreatMissingData:   pulumi.String("ignore"),
		AlarmActions:       alarmActions(args),
		OkActions:          alarmActions(args),
	}, parent)
	if err != nil {
		return fmt.Errorf("creating held-mail alarm of %s: %w", name, err)
	}
	failures, err := cloudwatch.NewMetricAlarm(ctx, name+"-failures-alarm", &cloudwatch.MetricAlarmArgs{
		AlarmDescription: pulumi.String("Stream records the welcome mailer gave up on. Fix the cause, then invoke the mailer " +
			"with {\"redrive\":\"failures\"} within 24 hours, while the stream still has the records."),
		Namespace:          pulumi.String("AWS/SQS"),
		MetricName:         pulumi.String("ApproximateNumberOfMessagesVisible"),
		Dimensions:         pulumi.StringMap{"QueueName": m.FailureQueue.Queue.Name},
		Statistic:          pulumi.String("Maximum"),
		Period:             pulumi.Int(300),
		EvaluationPeriods:  pulumi.Int(1),
		ComparisonOperator: pulumi.String("GreaterThanThreshold"),
		Threshold:          pulumi.Float64(0),
		TreatMissingData:   pulumi.String("ignore"),
		AlarmActions:       alarmActions(args),
		OkActions:          alarmActions(args),
	}, parent)
	if err != nil {
		return fmt.Errorf("creating failure-queue alarm of %s: %w", name, err)
	}
	m.HeldMailsAlarm, m.FailuresAlarm = held, failures
	return nil
}

func alarmActions(args *Args) pulumi.ArrayInput {
	if args.AlarmActions == nil {
		return nil
	}
	return args.AlarmActions.ToStringArrayOutput().ApplyT(func(arns []string) []any {
		out := make([]any, len(arns))
		for i, a := range arns {
			out[i] = a
		}
		return out
	}).(pulumi.ArrayOutput)
}
