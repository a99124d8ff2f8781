package policy

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gopherstack/serverless-arch/components/recording"
)

// valueSpec is one input's accepted values: a set of strings (enum) or a
// closed numeric range (ranged). Lists met on the path are checked element
// by element.
type valueSpec struct {
	path     string
	allowed  []string
	ranged   bool
	min, max float64
	source   string
}

func enum(path, source string, allowed ...string) valueSpec {
	return valueSpec{path: path, allowed: allowed, source: source}
}

func between(path string, lo, hi float64, source string) valueSpec {
	return valueSpec{path: path, ranged: true, min: lo, max: hi, source: source}
}

// atLeast is a range with no upper bound.
func atLeast(path string, lo float64, source string) valueSpec {
	return between(path, lo, math.Inf(1), source)
}

// valueSpecs holds, per resource type, the accepted values of its inputs.
// The tables are split by service over rules_values_*.go; each group cites
// the API reference page whose "Valid Values" or "Valid Range" it copies.
var valueSpecs = mergeSpecs(computeValues, edgeValues, platformValues)

func mergeSpecs(tables ...map[string][]valueSpec) map[string][]valueSpec {
	out := map[string][]valueSpec{}
	for _, t := range tables {
		for typ, specs := range t {
			out[typ] = append(out[typ], specs...)
		}
	}
	return out
}

const (
	lambdaCreateFunction = "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html"
	lambdaLoggingConfig  = "https://docs.aws.amazon.com/lambda/latest/api/API_LoggingConfig.html"
	lambdaESM            = "https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html"
	sqsAttributes        = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html"
	dynamoCreateTable    = "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html"
	logsRetention        = "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html"
)

// computeValues: Lambda, SQS, DynamoDB.
var computeValues = map[string][]valueSpec{
	typeFunction: {
		// API_CreateFunction: MemorySize "Valid Range: Minimum value of
		// 128. Maximum value of 10240"; Timeout "Minimum value of 1", "The
		// maximum allowed value is 900 seconds"; Architectures "Valid
		// Values: x86_64 | arm64"; PackageType "Zip | Image";
		// EphemeralStorage Size 512-10240; ReservedConcurrentExecutions
		// (PutFunctionConcurrency) minimum 0, -1 being the provider's
		// "unreserved".
		between("memorySize", 128, 10240, lambdaCreateFunction),
		between("timeout", 1, 900, lambdaCreateFunction),
		enum("architectures", lambdaCreateFunction, "x86_64", "arm64"),
		enum("packageType", lambdaCreateFunction, "Zip", "Image"),
		between("ephemeralStorage.size", 512, 10240, lambdaCreateFunction),
		atLeast("reservedConcurrentExecutions", -1, "https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html"),
		// API_TracingConfig: Mode "Valid Values: Active | PassThrough".
		enum("tracingConfig.mode", "https://docs.aws.amazon.com/lambda/latest/api/API_TracingConfig.html", "Active", "PassThrough"),
		// API_LoggingConfig: LogFormat "JSON | Text"; ApplicationLogLevel
		// "TRACE | DEBUG | INFO | WARN | ERROR | FATAL"; SystemLogLevel
		// "DEBUG | INFO | WARN".
		enum("loggingConfig.logFormat", lambdaLoggingConfig, "JSON", "Text"),
		enum("loggingConfig.applicationLogLevel", lambdaLoggingConfig, "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"),
		enum("loggingConfig.systemLogLevel", lambdaLoggingConfig, "DEBUG", "INFO", "WARN"),
	},
	typeEventInvokeConfig: {
		// API_PutFunctionEventInvokeConfig: MaximumRetryAttempts 0-2;
		// MaximumEventAgeInSeconds 60-21600.
		between("maximumRetryAttempts", 0, 2, "https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html"),
		between("maximumEventAgeInSeconds", 60, 21600, "https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html"),
	},
	typeRecursionConfig: {
		// API_PutFunctionRecursionConfig: RecursiveLoop "Allow | Terminate".
		enum("recursiveLoop", "https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionRecursionConfig.html", "Allow", "Terminate"),
	},
	typeEventSourceMap: {
		// API_CreateEventSourceMapping: BatchSize 1-10000;
		// MaximumBatchingWindowInSeconds 0-300; MaximumRetryAttempts
		// -1-10000; MaximumRecordAgeInSeconds -1-604800;
		// ParallelizationFactor 1-10; TumblingWindowInSeconds 0-900;
		// StartingPosition "TRIM_HORIZON | LATEST | AT_TIMESTAMP";
		// FunctionResponseTypes "ReportBatchItemFailures"; ScalingConfig
		// MaximumConcurrency 2-1000 (API_ScalingConfig).
		between("batchSize", 1, 10000, lambdaESM),
		between("maximumBatchingWindowInSeconds", 0, 300, lambdaESM),
		between("maximumRetryAttempts", -1, 10000, lambdaESM),
		between("maximumRecordAgeInSeconds", -1, 604800, lambdaESM),
		between("parallelizationFactor", 1, 10, lambdaESM),
		between("tumblingWindowInSeconds", 0, 900, lambdaESM),
		enum("startingPosition", lambdaESM, "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"),
		enum("functionResponseTypes", lambdaESM, "ReportBatchItemFailures"),
		between("scalingConfig.maximumConcurrency", 2, 1000, "https://docs.aws.amazon.com/lambda/latest/api/API_ScalingConfig.html"),
	},
	typeQueue: {
		// API_SetQueueAttributes: VisibilityTimeout 0-43200;
		// MessageRetentionPeriod 60-1209600; DelaySeconds 0-900;
		// ReceiveMessageWaitTimeSeconds 0-20; MaximumMessageSize
		// 1024-1048576 (1 MiB since August 2025);
		// KmsDataKeyReusePeriodSeconds 60-86400.
		between("visibilityTimeoutSeconds", 0, 43200, sqsAttributes),
		between("messageRetentionSeconds", 60, 1209600, sqsAttributes),
		between("delaySeconds", 0, 900, sqsAttributes),
		between("receiveWaitTimeSeconds", 0, 20, sqsAttributes),
		between("maxMessageSize", 1024, 1048576, sqsAttributes),
		between("kmsDataKeyReusePeriodSeconds", 60, 86400, sqsAttributes),
	},
	typeTable: {
		// API_CreateTable: BillingMode "PROVISIONED | PAY_PER_REQUEST";
		// TableClass "STANDARD | STANDARD_INFREQUENT_ACCESS";
		// API_AttributeDefinition AttributeType "S | N | B";
		// API_StreamSpecification StreamViewType "NEW_IMAGE | OLD_IMAGE |
		// NEW_AND_OLD_IMAGES | KEYS_ONLY"; API_Projection ProjectionType
		// "ALL | KEYS_ONLY | INCLUDE".
		enum("billingMode", dynamoCreateTable, "PROVISIONED", "PAY_PER_REQUEST"),
		enum("tableClass", dynamoCreateTable, "STANDARD", "STANDARD_INFREQUENT_ACCESS"),
		enum("attributes.type", "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeDefinition.html", "S", "N", "B"),
		enum("streamViewType", "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_StreamSpecification.html", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"),
		enum("globalSecondaryIndexes.projectionType", "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Projection.html", "ALL", "KEYS_ONLY", "INCLUDE"),
	},
}

// logRetentionDays are the values PutRetentionPolicy accepts
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html,
// retentionInDays "Valid Values"). 0 is the provider's "never expire": it
// sends no retention policy.
var logRetentionDays = []float64{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

func typesOf(ranged bool) []string {
	var out []string
	for typ, specs := range valueSpecs {
		if slices.ContainsFunc(specs, func(s valueSpec) bool { return s.ranged == ranged }) {
			out = append(out, typ)
		}
	}
	slices.Sort(out)
	return out
}

var valueRules = []Rule{
	{
		ID:          "AWS-LOG-RETENTION",
		Description: "Log groups keep their events for one of the periods CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90 days, ... 3653), or forever.",
		Types:       []string{typeLogGroup},
		Source:      logsRetention,
		NoSuppress:  true,
		Check:       checkLogRetention,
	},
	{
		ID:          "AWS-ALLOWED-VALUES",
		Description: "Enum-like inputs (runtimes, modes, classes, protocols, policies) hold a value the service accepts.",
		Types:       typesOf(false),
		Source:      lambdaCreateFunction + " (one page per input, cited in valueSpecs)",
		NoSuppress:  true,
		Check:       func(_ *Stack, r recording.Resource) []string { return checkValues(r, false) },
	},
	{
		ID:          "AWS-RANGE",
		Description: "Numeric inputs (memory, timeouts, retention, batch sizes, ports, TTLs, ...) lie in the range the service accepts.",
		Types:       typesOf(true),
		Source:      sqsAttributes + " (one page per input, cited in valueSpecs)",
		NoSuppress:  true,
		Check:       func(_ *Stack, r recording.Resource) []string { return checkValues(r, true) },
	},
	{
		ID:          "AWS-FIELD-COMBINATIONS",
		Description: "Inputs of one resource that constrain each other agree (Lambda log levels need the JSON format, one architecture, environment under 4 KB; cache policy TTLs in order; Auto Scaling sizes in order; port ranges; token validities; redrive counts).",
		Types:       slices.Sorted(maps.Keys(fieldChecks)),
		Source:      lambdaLoggingConfig + " (one page per combination, cited in fieldChecks)",
		NoSuppress:  true,
		Check:       func(_ *Stack, r recording.Resource) []string { return fieldChecks[r.Type](r) },
	},
}

func checkLogRetention(_ *Stack, r recording.Resource) []string {
	days, ok := number(r.Inputs, "retentionInDays")
	if !ok || days == 0 || slices.Contains(logRetentionDays, days) {
		return nil
	}
	return []string{fmt.Sprintf("retentionInDays %s is not a period CloudWatch Logs accepts: one of %s (%s)", num(days), joinNumbers(logRetentionDays), logsRetention)}
}

func checkValues(r recording.Resource, ranged bool) []string {
	var problems []string
	for _, spec := range valueSpecs[r.Type] {
		if spec.ranged != ranged {
			continue
		}
		for _, v := range values(r.Inputs, spec.path) {
			if msg := spec.problem(v); msg != "" {
				problems = append(problems, fmt.Sprintf("%s %s (%s)", spec.path, msg, spec.source))
			}
		}
	}
	return problems
}

// problem says what is wrong with one value, or "" when it is accepted.
func (s valueSpec) problem(v any) string {
	if !s.ranged {
		got := text(v)
		if slices.Contains(s.allowed, got) {
			return ""
		}
		return fmt.Sprintf("%q is not one of %s", got, strings.Join(s.allowed, ", "))
	}
	n, ok := toNumber(v)
	if !ok {
		return fmt.Sprintf("%q is not a number", text(v))
	}
	if n >= s.min && n <= s.max {
		return ""
	}
	if math.IsInf(s.max, 1) {
		return fmt.Sprintf("%s is below the minimum %s", num(n), num(s.min))
	}
	return fmt.Sprintf("%s is outside %s to %s", num(n), num(s.min), num(s.max))
}

// num renders a number as written, without exponent.
func num(n float64) string { return strconv.FormatFloat(n, 'f', -1, 64) }

func joinNumbers(ns []float64) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = num(n)
	}
	return strings.Join(parts, ", ")
}
