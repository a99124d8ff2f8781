package policy

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"

	"github.com/gopherstack/serverless-arch/components/recording"
)

const lambdaRuntimes = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"

// fieldChecks hold, per resource type, the constraints between inputs of
// one resource. Each check cites the page that states it.
var fieldChecks = map[string]func(r recording.Resource) []string{
	typeFunction:       checkFunctionFields,
	typeCachePolicy:    checkCachePolicyTTLs,
	typeASG:            checkGroupSizes,
	typeSGIngressRule:  func(r recording.Resource) []string { return checkPorts(r, "ipProtocol") },
	typeSGEgressRule:   func(r recording.Resource) []string { return checkPorts(r, "ipProtocol") },
	typeSGRule:         func(r recording.Resource) []string { return checkPorts(r, "protocol") },
	typeUserPoolClient: checkTokenValidity,
	typeQueue:          checkRedrive,
	typeBucketObject:   checkObjectKey,
	typePoolRoles:      checkPoolRoles,
}

// runtimeFamily matches the identifiers of Lambda's managed runtimes
// (lambda-runtimes.html, "Supported runtimes").
var runtimeFamily = regexp.MustCompile(`^(nodejs\d+\.x|python3\.\d+|java\d+(\.al2)?|dotnet\d+|ruby\d+\.\d+|provided(\.al2|\.al2023)?)$`)

// blockedRuntimes are deprecated runtimes past their "Block function
// create" date (lambda-runtimes.html, "Deprecated runtimes").
var blockedRuntimes = []string{
	"nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x",
	"python2.7", "python3.6", "python3.7",
	"dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet5.0",
	"ruby2.5", "ruby2.7", "java8", "go1.x", "provided",
}

// lambdaEnvLimit is the "4 KB, for all environment variables associated
// with the function, in aggregate" of
// https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html.
const lambdaEnvLimit = 4096

func checkFunctionFields(r recording.Resource) []string {
	var problems []string
	if rt := str(r.Inputs, "runtime"); rt != "" {
		switch {
		case slices.Contains(blockedRuntimes, rt):
			problems = append(problems, fmt.Sprintf("runtime %s is deprecated and Lambda blocks creating functions with it (%s)", rt, lambdaRuntimes))
		case !runtimeFamily.MatchString(rt):
			problems = append(problems, fmt.Sprintf("runtime %q is not a Lambda runtime identifier (%s)", rt, lambdaRuntimes))
		}
	}
	// API_LoggingConfig: log-level filtering needs the JSON log format
	// (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html).
	if str(r.Inputs, "loggingConfig.logFormat") != "JSON" {
		for _, k := range []string{"applicationLogLevel", "systemLogLevel"} {
			if str(r.Inputs, "loggingConfig."+k) != "" {
				problems = append(problems, fmt.Sprintf("loggingConfig.%s needs loggingConfig.logFormat JSON (%s)", k, lambdaLoggingConfig))
			}
		}
	}
	// API_CreateFunction Architectures: "Fixed number of 1 item".
	if n := len(list(r.Inputs, "architectures")); n > 1 {
		problems = append(problems, fmt.Sprintf("architectures has %d entries; Lambda takes exactly one (%s)", n, lambdaCreateFunction))
	}
	if vars, ok := at(r.Inputs, "environment.variables").(map[string]any); ok {
		size := 0
		for k, v := range vars {
			size += len(k) + len(text(v))
		}
		if size > lambdaEnvLimit {
			problems = append(problems, fmt.Sprintf("environment variables total %d bytes; Lambda allows %d (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html)", size, lambdaEnvLimit))
		}
	}
	return problems
}

// checkCachePolicyTTLs: API_CachePolicyConfig, MinTTL <= DefaultTTL <=
// MaxTTL (CloudFront answers InvalidArgument otherwise).
func checkCachePolicyTTLs(r recording.Resource) []string {
	lo, okLo := number(r.Inputs, "minTtl")
	def, okDef := number(r.Inputs, "defaultTtl")
	hi, okHi := number(r.Inputs, "maxTtl")
	if okLo && okDef && okHi && (lo > def || def > hi) {
		return []string{fmt.Sprintf("TTLs min %s, default %s, max %s are not in order min <= default <= max (%s)", num(lo), num(def), num(hi), cfCachePolicyConfig)}
	}
	return nil
}

// checkGroupSizes: API_CreateAutoScalingGroup, MinSize <= DesiredCapacity
// <= MaxSize.
func checkGroupSizes(r recording.Resource) []string {
	lo, okLo := number(r.Inputs, "minSize")
	hi, okHi := number(r.Inputs, "maxSize")
	if !okLo || !okHi {
		return nil
	}
	const source = "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html"
	if want, ok := number(r.Inputs, "desiredCapacity"); ok && (want < lo || want > hi) {
		return []string{fmt.Sprintf("desiredCapacity %s is outside minSize %s to maxSize %s (%s)", num(want), num(lo), num(hi), source)}
	}
	if lo > hi {
		return []string{fmt.Sprintf("minSize %s is above maxSize %s (%s)", num(lo), num(hi), source)}
	}
	return nil
}

// checkPorts: API_IpPermission, IpProtocol "tcp, udp, icmp, icmpv6" or a
// protocol number, -1 for all; for TCP and UDP, FromPort <= ToPort.
func checkPorts(r recording.Resource, protocolKey string) []string {
	p := str(r.Inputs, protocolKey)
	var problems []string
	switch p {
	case "", "tcp", "udp", "icmp", "icmpv6", "-1", "all", "6", "17":
	default:
		if n, err := strconv.Atoi(p); err != nil || n < 0 || n > 255 {
			problems = append(problems, fmt.Sprintf("%s %q is not tcp, udp, icmp, icmpv6, -1 or a protocol number (%s)", protocolKey, p, ec2IPPermission))
		}
	}
	from, okFrom := number(r.Inputs, "fromPort")
	to, okTo := number(r.Inputs, "toPort")
	if (p == "tcp" || p == "udp" || p == "6" || p == "17") && okFrom && okTo && from > to {
		problems = append(problems, fmt.Sprintf("fromPort %s is above toPort %s (%s)", num(from), num(to), ec2IPPermission))
	}
	return problems
}

// checkTokenValidity: API_CreateUserPoolClient, AccessTokenValidity and
// IdTokenValidity "between 5 minutes and 1 day", RefreshTokenValidity
// "between 60 minutes and 10 years", in TokenValidityUnits (default hours,
// hours and days).
func checkTokenValidity(r recording.Resource) []string {
	const minute, hour, day = 60, 3600, 86400
	unit := map[string]float64{"seconds": 1, "minutes": minute, "hours": hour, "days": day}
	var problems []string
	for _, t := range []struct {
		key, units, defaultUnit string
		lo, hi                  float64
	}{
		{"accessTokenValidity", "accessToken", "hours", 5 * minute, day},
		{"idTokenValidity", "idToken", "hours", 5 * minute, day},
		{"refreshTokenValidity", "refreshToken", "days", hour, 3650 * day},
	} {
		v, ok := number(r.Inputs, t.key)
		if !ok {
			continue
		}
		u := str(r.Inputs, "tokenValidityUnits."+t.units)
		if u == "" {
			u = t.defaultUnit
		}
		if secs := v * unit[u]; unit[u] > 0 && (secs < t.lo || secs > t.hi) {
			problems = append(problems, fmt.Sprintf("%s %s %s is outside %s s to %s s (%s)", t.key, num(v), u, num(t.lo), num(t.hi), cognitoCreateClient))
		}
	}
	return problems
}

// checkRedrive: API_SetQueueAttributes RedrivePolicy maxReceiveCount
// 1-1000.
func checkRedrive(r recording.Resource) []string {
	raw := str(r.Inputs, "redrivePolicy")
	if raw == "" {
		return nil
	}
	var p struct {
		MaxReceiveCount any `json:"maxReceiveCount"`
	}
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return []string{fmt.Sprintf("redrivePolicy is not JSON: %v (%s)", err, sqsAttributes)}
	}
	if n, ok := toNumber(p.MaxReceiveCount); !ok || n < 1 || n > 1000 {
		return []string{fmt.Sprintf("redrivePolicy maxReceiveCount %v is outside 1-1000 (%s)", p.MaxReceiveCount, sqsAttributes)}
	}
	return nil
}

// checkObjectKey: "The object key name is a sequence of Unicode characters
// with UTF-8 encoding of up to 1,024 bytes long"
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html).
func checkObjectKey(r recording.Resource) []string {
	if key := str(r.Inputs, "key"); len(key) > 1024 {
		return []string{fmt.Sprintf("key is %d bytes; S3 object keys are at most 1024 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html)", len(key))}
	}
	return nil
}

// checkPoolRoles: API_SetIdentityPoolRoles Roles, "Valid keys:
// authenticated | unauthenticated".
func checkPoolRoles(r recording.Resource) []string {
	roles, _ := at(r.Inputs, "roles").(map[string]any)
	var problems []string
	for _, k := range slices.Sorted(maps.Keys(roles)) {
		if k != "authenticated" && k != "unauthenticated" {
			problems = append(problems, fmt.Sprintf("roles key %q is not authenticated or unauthenticated (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_SetIdentityPoolRoles.html)", k))
		}
	}
	return problems
}
