package policy

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/gopherstack/serverless-arch/components/recording"
)

const (
	lambdaSQS         = "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html"
	cfCertificates    = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html"
	s3NotifyFiltering = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html"
	lambdaConcurrency = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html"
	apigwEdgeDomain   = "https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-edge-optimized-custom-domain-name.html"
)

var crossRules = []Rule{
	{
		ID:          "AWS-SQS-VISIBILITY-TIMEOUT",
		Description: "A queue that a Lambda event source mapping reads has a visibility timeout at least the function's timeout (default 30 s and 3 s); Lambda refuses the mapping otherwise.",
		Types:       []string{typeEventSourceMap},
		// services-sqs-configure.html: "If your function's timeout exceeds
		// the queue's visibility timeout, Lambda refuses to create the
		// event source mapping"; it recommends six times the timeout.
		Source:     lambdaSQS,
		NoSuppress: true,
		Check:      checkVisibilityTimeout,
	},
	{
		ID:          "AWS-EVENT-SOURCE-MAPPING",
		Description: "Event source mapping settings fit their source: SQS takes no starting position and needs a batching window above 10 messages (10 at most for FIFO); streams need a starting position and a record age of -1 or 60 s or more.",
		Types:       []string{typeEventSourceMap},
		Source:      lambdaESM,
		NoSuppress:  true,
		Check:       checkMappingForSource,
	},
	{
		ID:          "AWS-CF-CERTIFICATE",
		Description: "A distribution with aliases has an ACM certificate in us-east-1 whose domain name or alternative names cover every alias (one wildcard label at most).",
		Types:       []string{typeDistribution},
		// cnames-and-https-requirements.html: "request (or import) the
		// certificate in the US East (N. Virginia) Region (us-east-1)";
		// "the certificate ... must cover the alternate domain name".
		Source:     cfCertificates,
		NoSuppress: true,
		Check:      checkDistributionCertificate,
	},
	{
		ID:          "AWS-APIGW-CERTIFICATE",
		Description: "An API Gateway custom domain's certificate covers the domain, and an edge-optimized domain's certificate is in us-east-1.",
		Types:       []string{typeRestAPIDomain},
		// how-to-edge-optimized-custom-domain-name.html: "the
		// certificate ... must be in the US East (N. Virginia) Region";
		// the certificate must cover the custom domain name.
		Source:     apigwEdgeDomain,
		NoSuppress: true,
		Check:      checkAPIDomainCertificate,
	},
	{
		ID:          "AWS-CF-ORIGINS",
		Description: "Every cache behaviour targets an origin of its distribution, origin IDs and path patterns are unique, and allowed and cached methods are combinations CloudFront accepts.",
		Types:       []string{typeDistribution},
		Source:      "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_AllowedMethods.html",
		NoSuppress:  true,
		Check:       checkDistributionOrigins,
	},
	{
		ID:          "AWS-S3-NOTIFICATION-OVERLAP",
		Description: "A bucket's notification configurations do not overlap (shared event type with overlapping prefix and suffix), and a bucket has one BucketNotification resource.",
		Types:       []string{typeBucketNotify},
		Source:      s3NotifyFiltering,
		NoSuppress:  true,
		Check:       checkNotificationOverlap,
	},
	{
		ID:          "AWS-DYNAMODB-ATTRIBUTES",
		Description: "A table defines exactly the attributes its keys and indexes use, and at most 5 local secondary indexes.",
		Types:       []string{typeTable},
		// API_CreateTable AttributeDefinitions: "An array of attributes
		// that describe the key schema for the table and indexes"; an
		// unused definition is refused ("Some AttributeDefinitions are not
		// used"). LocalSecondaryIndexes: "up to 5".
		Source:     dynamoCreateTable,
		NoSuppress: true,
		Check:      checkTableAttributes,
	},
	{
		ID:          "AWS-LAMBDA-CONCURRENCY",
		Description: "The functions of a stack reserve at most 900 concurrent executions together: the default account quota of 1,000 less the 100 Lambda keeps unreserved.",
		Types:       []string{typeFunction},
		// configuration-concurrency.html: "You can reserve up to the
		// Unreserved account concurrency value minus 100".
		Source:     lambdaConcurrency,
		NoSuppress: true,
		Check:      checkReservedConcurrency,
	},
}

// mappingQueue returns the queue an event source mapping reads, if it is
// in the stack.
func mappingQueue(s *Stack, m recording.Resource) (recording.Resource, bool) {
	qs := s.Referenced(str(m.Inputs, "eventSourceArn"), typeQueue)
	if len(qs) == 0 {
		return recording.Resource{}, false
	}
	return qs[0], true
}

func checkVisibilityTimeout(s *Stack, m recording.Resource) []string {
	q, ok := mappingQueue(s, m)
	if !ok {
		return nil
	}
	fns := s.Referenced(str(m.Inputs, "functionName"), typeFunction)
	if len(fns) == 0 {
		return nil
	}
	visibility, ok := number(q.Inputs, "visibilityTimeoutSeconds")
	if !ok {
		visibility = 30 // API_SetQueueAttributes VisibilityTimeout default
	}
	timeout, ok := number(fns[0].Inputs, "timeout")
	if !ok {
		timeout = 3 // API_CreateFunction Timeout default
	}
	if visibility < timeout {
		return []string{fmt.Sprintf("queue %s has visibility timeout %s s, below function %s's timeout %s s; Lambda refuses the mapping (%s)", q.Name, num(visibility), fns[0].Name, num(timeout), lambdaSQS)}
	}
	return nil
}

func checkMappingForSource(s *Stack, m recording.Resource) []string {
	arn := str(m.Inputs, "eventSourceArn")
	service := ""
	if parts := strings.SplitN(arn, ":", 4); len(parts) == 4 {
		service = parts[2]
	}
	var problems []string
	bad := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf(format, args...)+" ("+lambdaESM+")")
	}
	batch, hasBatch := number(m.Inputs, "batchSize")
	switch service {
	case "sqs":
		for _, k := range []string{"startingPosition", "maximumRecordAgeInSeconds", "parallelizationFactor", "destinationConfig"} {
			if at(m.Inputs, k) != nil {
				bad("%s does not apply to an SQS source", k)
			}
		}
		if isTrue(m.Inputs, "bisectBatchOnFunctionError") {
			bad("bisectBatchOnFunctionError does not apply to an SQS source")
		}
		window, _ := number(m.Inputs, "maximumBatchingWindowInSeconds")
		if hasBatch && batch > 10 && window < 1 {
			bad("batchSize %s above 10 needs maximumBatchingWindowInSeconds of at least 1", num(batch))
		}
		if q, ok := mappingQueue(s, m); ok && isTrue(q.Inputs, "fifoQueue") && hasBatch && batch > 10 {
			bad("batchSize %s: a FIFO queue takes at most 10", num(batch))
		}
	case "dynamodb", "kinesis":
		pos := str(m.Inputs, "startingPosition")
		if pos == "" {
			bad("a %s stream source needs startingPosition", service)
		}
		if pos == "AT_TIMESTAMP" && service != "kinesis" {
			bad("startingPosition AT_TIMESTAMP is for Kinesis streams only")
		}
		if age, ok := number(m.Inputs, "maximumRecordAgeInSeconds"); ok && age != -1 && age < 60 {
			bad("maximumRecordAgeInSeconds %s: want -1 (no limit) or 60 to 604800", num(age))
		}
		if at(m.Inputs, "scalingConfig") != nil {
			bad("scalingConfig applies to SQS sources only")
		}
	}
	return problems
}

// arnRegion returns the region field of an ARN, "" when it is not one.
func arnRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) < 5 || parts[0] != "arn" {
		return ""
	}
	return parts[3]
}

func checkDistributionCertificate(s *Stack, d recording.Resource) []string {
	aliases := strs(d.Inputs, "aliases")
	certArn := str(d.Inputs, "viewerCertificate.acmCertificateArn")
	var problems []string
	if len(aliases) > 0 && certArn == "" && str(d.Inputs, "viewerCertificate.iamCertificateId") == "" {
		problems = append(problems, fmt.Sprintf("aliases %v need an ACM (or IAM) certificate; the default *.cloudfront.net certificate cannot serve them (%s)", aliases, cfCertificates))
	}
	if certArn == "" {
		return problems
	}
	if region := arnRegion(certArn); region != "" && region != "us-east-1" {
		problems = append(problems, fmt.Sprintf("certificate %s is in %s; CloudFront uses ACM certificates from us-east-1 only (%s)", certArn, region, cfCertificates))
	}
	for _, cert := range s.Referenced(certArn, typeCertificate) {
		names := append(strs(cert.Inputs, "domainName"), strs(cert.Inputs, "subjectAlternativeNames")...)
		for _, a := range aliases {
			if !slices.ContainsFunc(names, func(n string) bool { return covers(n, a) }) {
				problems = append(problems, fmt.Sprintf("alias %s is not covered by certificate %s (names %v) (%s)", a, cert.Name, names, cfCertificates))
			}
		}
	}
	return problems
}

func checkAPIDomainCertificate(s *Stack, d recording.Resource) []string {
	domain := str(d.Inputs, "domainName")
	var problems []string
	if arn := str(d.Inputs, "certificateArn"); arn != "" {
		if region := arnRegion(arn); region != "" && region != "us-east-1" {
			problems = append(problems, fmt.Sprintf("edge-optimized domain %s uses certificate %s in %s; it must be in us-east-1 (%s)", domain, arn, region, apigwEdgeDomain))
		}
	}
	for _, arn := range []string{str(d.Inputs, "certificateArn"), str(d.Inputs, "regionalCertificateArn")} {
		if arn == "" {
			continue
		}
		for _, cert := range s.Referenced(arn, typeCertificate) {
			names := append(strs(cert.Inputs, "domainName"), strs(cert.Inputs, "subjectAlternativeNames")...)
			if !slices.ContainsFunc(names, func(n string) bool { return covers(n, domain) }) {
				problems = append(problems, fmt.Sprintf("domain %s is not covered by certificate %s (names %v) (%s)", domain, cert.Name, names, apigwEdgeDomain))
			}
		}
	}
	return problems
}

// covers reports whether a certificate name (possibly "*.example.com")
// covers host: equal, or a wildcard matching exactly one leftmost label.
func covers(name, host string) bool {
	name, host = strings.ToLower(strings.TrimSuffix(name, ".")), strings.ToLower(strings.TrimSuffix(host, "."))
	if name == host {
		return true
	}
	rest, ok := strings.CutPrefix(name, "*.")
	if !ok {
		return false
	}
	label, parent, found := strings.Cut(host, ".")
	return found && label != "" && parent == rest
}

// allowedMethodSets are the combinations API_AllowedMethods accepts, sorted.
var allowedMethodSets = [][]string{
	{"GET", "HEAD"},
	{"GET", "HEAD", "OPTIONS"},
	{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"},
}

func checkDistributionOrigins(_ *Stack, d recording.Resource) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	ids := strs(d.Inputs, "origins.originId")
	ids = append(ids, strs(d.Inputs, "originGroups.originId")...)
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			bad("origin ID %q appears twice (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Origin.html)", id)
		}
		seen[id] = true
	}
	patterns := map[string]bool{}
	behaviours := append(list(d.Inputs, "defaultCacheBehavior"), list(d.Inputs, "orderedCacheBehaviors")...)
	for _, b := range behaviours {
		where := "default behaviour"
		if p := str(b, "pathPattern"); p != "" {
			where = "behaviour " + p
			if patterns[p] {
				bad("path pattern %s appears twice (%s)", p, cfCacheBehavior)
			}
			patterns[p] = true
		}
		if t := str(b, "targetOriginId"); !seen[t] {
			bad("%s targets origin %q, which the distribution does not have (%s)", where, t, cfCacheBehavior)
		}
		allowed, cached := sortedStrs(b, "allowedMethods"), sortedStrs(b, "cachedMethods")
		if len(allowed) > 0 && !slices.ContainsFunc(allowedMethodSets, func(set []string) bool { return slices.Equal(set, allowed) }) {
			bad("%s allows %v; CloudFront accepts GET+HEAD, GET+HEAD+OPTIONS or all seven methods (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_AllowedMethods.html)", where, allowed)
		}
		if len(cached) > 0 && (!slices.ContainsFunc(allowedMethodSets[:2], func(set []string) bool { return slices.Equal(set, cached) }) ||
			len(allowed) > 0 && !isSubset(cached, allowed)) {
			bad("%s caches %v; CloudFront caches GET+HEAD or GET+HEAD+OPTIONS, among the allowed methods (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CachedMethods.html)", where, cached)
		}
	}
	return problems
}

func sortedStrs(v any, path string) []string {
	out := strs(v, path)
	slices.Sort(out)
	return out
}

func isSubset(sub, set []string) bool {
	for _, s := range sub {
		if !slices.Contains(set, s) {
			return false
		}
	}
	return true
}

// notifyConfig is one queue, topic or function configuration of a bucket
// notification.
type notifyConfig struct {
	id, prefix, suffix string
	events             []string
}

func checkNotificationOverlap(s *Stack, n recording.Resource) []string {
	var problems []string
	for _, other := range s.OfType(typeBucketNotify) {
		if other.URN != n.URN && str(other.Inputs, "bucket") == str(n.Inputs, "bucket") && other.URN < n.URN {
			problems = append(problems, fmt.Sprintf("bucket %s already has BucketNotification %s; a bucket has one notification configuration and each replaces the other (%s)", str(n.Inputs, "bucket"), other.Name, s3NotifyFiltering))
		}
	}
	var configs []notifyConfig
	for _, kind := range []string{"queues", "topics", "lambdaFunctions"} {
		for _, c := range list(n.Inputs, kind) {
			configs = append(configs, notifyConfig{id: str(c, "id"), prefix: str(c, "filterPrefix"), suffix: str(c, "filterSuffix"), events: strs(c, "events")})
		}
	}
	for i, a := range configs {
		for _, b := range configs[i+1:] {
			if eventsOverlap(a.events, b.events) && overlaps(a.prefix, b.prefix, strings.HasPrefix) && overlaps(a.suffix, b.suffix, strings.HasSuffix) {
				problems = append(problems, fmt.Sprintf("configurations %q (prefix %q, suffix %q) and %q (prefix %q, suffix %q) overlap for the same event type; S3 refuses overlapping prefixes and suffixes (%s)",
					a.id, a.prefix, a.suffix, b.id, b.prefix, b.suffix, s3NotifyFiltering))
			}
		}
	}
	return problems
}

// overlaps reports whether two filters can match the same key: one is a
// prefix (or suffix) of the other; "" matches everything.
func overlaps(a, b string, has func(s, part string) bool) bool {
	return has(a, b) || has(b, a)
}

// eventsOverlap reports whether two event lists share an event type, a
// wildcard ("s3:ObjectCreated:*") covering the types under it.
func eventsOverlap(a, b []string) bool {
	match := func(x, y string) bool {
		if x == y {
			return true
		}
		if p, ok := strings.CutSuffix(x, "*"); ok && strings.HasPrefix(y, p) {
			return true
		}
		p, ok := strings.CutSuffix(y, "*")
		return ok && strings.HasPrefix(x, p)
	}
	for _, x := range a {
		for _, y := range b {
			if match(x, y) {
				return true
			}
		}
	}
	return false
}

func checkTableAttributes(_ *Stack, t recording.Resource) []string {
	used := map[string]bool{}
	for _, k := range []string{"hashKey", "rangeKey", "globalSecondaryIndexes.hashKey", "globalSecondaryIndexes.rangeKey", "localSecondaryIndexes.rangeKey"} {
		for _, a := range strs(t.Inputs, k) {
			used[a] = true
		}
	}
	defined := map[string]bool{}
	var problems []string
	for _, a := range strs(t.Inputs, "attributes.name") {
		defined[a] = true
		if !used[a] {
			problems = append(problems, fmt.Sprintf("attribute %s is defined but no key or index uses it; DynamoDB refuses unused attribute definitions (%s)", a, dynamoCreateTable))
		}
	}
	for _, a := range slices.Sorted(maps.Keys(used)) {
		if !defined[a] {
			problems = append(problems, fmt.Sprintf("key attribute %s has no attribute definition (%s)", a, dynamoCreateTable))
		}
	}
	if n := len(list(t.Inputs, "localSecondaryIndexes")); n > 5 {
		problems = append(problems, fmt.Sprintf("%d local secondary indexes; a table has at most 5 (%s)", n, dynamoCreateTable))
	}
	return problems
}

// maxReserved is the default account concurrency (1,000) less the 100
// Lambda keeps unreserved.
const maxReserved = 900

func checkReservedConcurrency(s *Stack, fn recording.Resource) []string {
	mine, ok := number(fn.Inputs, "reservedConcurrentExecutions")
	if !ok || mine <= 0 {
		return nil
	}
	total := 0.0
	for _, f := range s.OfType(typeFunction) {
		if n, ok := number(f.Inputs, "reservedConcurrentExecutions"); ok && n > 0 {
			total += n
		}
	}
	if total > maxReserved {
		return []string{fmt.Sprintf("reserves %s of %s reserved in the stack; a default account allows %d (%s)", num(mine), num(total), maxReserved, lambdaConcurrency)}
	}
	return nil
}
