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
	held, err := newAlarm(ctx, name+"-held-mails", args, parent, alarm{
		description: "Welcome mails held: SES refused them for a reason of the account (sandbox, unverified " +
			"or paused sender). Resolve it, then invoke the mailer with {\"redrive\":\"ledger\"}.",
		namespace:  MetricsNamespace,
		metric:     HeldMailsMetric,
		dimensions: pulumi.StringMap{"FunctionName": m.Function.Function.Name},
		statistic:  "Sum",
	})
	if err != nil {
		return fmt.Errorf("creating held-mail alarm of %s: %w", name, err)
	}
	failures, err := newAlarm(ctx, name+"-failures-alarm", args, parent, alarm{
		description: "Stream records the welcome mailer gave up on. Fix the cause, then invoke the mailer " +
			"with {\"redrive\":\"failures\"} within 24 hours, while the stream still has the records.",
		namespace:  "AWS/SQS",
		metric:     "ApproximateNumberOfMessagesVisible",
		dimensions: pulumi.StringMap{"QueueName": m.FailureQueue.Queue.Name},
		statistic:  "Maximum",
	})
	if err != nil {
		return fmt.Errorf("creating failure-queue alarm of %s: %w", name, err)
	}
	m.HeldMailsAlarm, m.FailuresAlarm = held, failures
	return nil
}

// alarm is what differs between the two alarms: what they watch.
type alarm struct {
	description, namespace, metric, statistic string
	dimensions                                pulumi.StringMap
}

// newAlarm creates an alarm that fires on any datapoint above zero in five
// minutes, keeps its state while no data arrives, and notifies
// Args.AlarmActions both ways.
func newAlarm(ctx *pulumi.Context, name string, args *Args, parent pulumi.ResourceOption, a alarm) (*cloudwatch.MetricAlarm, error) {
	return cloudwatch.NewMetricAlarm(ctx, name, &cloudwatch.MetricAlarmArgs{
		AlarmDescription:   pulumi.String(a.description),
		Namespace:          pulumi.String(a.namespace),
		MetricName:         pulumi.String(a.metric),
		Dimensions:         a.dimensions,
		Statistic:          pulumi.String(a.statistic),
		Period:             pulumi.Int(300),
		EvaluationPeriods:  pulumi.Int(1),
		ComparisonOperator: pulumi.String("GreaterThanThreshold"),
		Threshold:          pulumi.Float64(0),
		TreatMissingData:   pulumi.String("ignore"),
		AlarmActions:       alarmActions(args),
		OkActions:          alarmActions(args),
	}, parent)
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
