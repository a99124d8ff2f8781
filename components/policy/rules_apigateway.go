package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gopherstack/serverless-arch/components/recording"
)

const typeAPIResource = "aws:apigateway/resource:Resource"

var apiGatewayRules = []Rule{
	{
		ID:          "APIGW-ACCESS-LOGS",
		Mirrors:     []string{"AwsSolutions-APIG1", "Serverless-APIGWAccessLogging", "CKV_AWS_76"},
		Description: "Every REST API stage writes access logs (accessLogSettings with a destinationArn and a format).",
		Types:       []string{typeStage},
		Check:       checkStageAccessLogs,
	},
	{
		ID:          "APIGW-XRAY",
		Mirrors:     []string{"Serverless-APIGWXrayEnabled", "CKV_AWS_73"},
		Description: "Every REST API stage has xrayTracingEnabled.",
		Types:       []string{typeStage},
		Check:       requireTrue("xrayTracingEnabled", "X-Ray tracing is off; set xrayTracingEnabled"),
	},
	{
		ID:          "APIGW-THROTTLING",
		Mirrors:     []string{"Serverless-APIGWDefaultThrottling"},
		Description: "Every REST API stage sets its own throttling: a MethodSettings for methodPath */* with throttlingRateLimit and throttlingBurstLimit above zero, so one client cannot exhaust the account's limit.",
		Types:       []string{typeStage},
		Check:       checkStageThrottling,
	},
	{
		ID:          "APIGW-REQUEST-VALIDATION",
		Mirrors:     []string{"AwsSolutions-APIG2", "CKV2_AWS_53"},
		Description: "Every method that takes a body (POST, PUT, PATCH, ANY) has a request validator that validates the body.",
		Types:       []string{typeMethod},
		Check:       checkMethodValidation,
	},
	{
		ID:          "APIGW-CACHE-ENCRYPTED",
		Mirrors:     []string{"CKV_AWS_308"},
		Description: "Where a stage cache is on, cached responses are encrypted: MethodSettings with cachingEnabled set cacheDataEncrypted, and a stage with cacheClusterEnabled has */* settings that do.",
		Types:       []string{typeStage, typeMethodSettings},
		Check:       checkCacheEncrypted,
	},
	{
		ID:          "APIGW-AUTHORIZER",
		Mirrors:     []string{"AwsSolutions-APIG4", "CKV_AWS_59"},
		Description: "Every method but CORS preflight (OPTIONS) has authorization other than NONE. A route that is public by design is declared with a suppression giving the reason.",
		Types:       []string{typeMethod},
		Check:       checkMethodAuthorizer,
	},
}

func checkStageAccessLogs(_ *Stack, st recording.Resource) []string {
	var missing []string
	for _, k := range []string{"destinationArn", "format"} {
		if str(st.Inputs, "accessLogSettings."+k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return []string{"access logging is off: accessLogSettings lacks " + strings.Join(missing, " and ")}
	}
	return nil
}

// stageSettings returns the MethodSettings of a stage: same stage name, same
// REST API.
func stageSettings(s *Stack, st recording.Resource) []recording.Resource {
	var out []recording.Resource
	for _, ms := range s.OfType(typeMethodSettings) {
		if str(ms.Inputs, "stageName") == str(st.Inputs, "stageName") &&
			s.sameResource(at(ms.Inputs, "restApi"), at(st.Inputs, "restApi"), typeRestAPI) {
			out = append(out, ms)
		}
	}
	return out
}

// sameResource reports whether two input values name the same thing: they
// are equal, or both refer to one resource of the given types.
func (s *Stack) sameResource(a, b any, types ...string) bool {
	if ta, tb := text(a), text(b); ta != "" && ta == tb {
		return true
	}
	for _, r := range s.Referenced(a, types...) {
		if s.RefersTo(b, r) {
			return true
		}
	}
	return false
}

func allMethods(ms recording.Resource) bool { return str(ms.Inputs, "methodPath") == "*/*" }

func checkStageThrottling(s *Stack, st recording.Resource) []string {
	for _, ms := range stageSettings(s, st) {
		rate, okRate := number(ms.Inputs, "settings.throttlingRateLimit")
		burst, okBurst := number(ms.Inputs, "settings.throttlingBurstLimit")
		if allMethods(ms) && okRate && okBurst && rate > 0 && burst > 0 {
			return nil
		}
	}
	return []string{"no stage-wide throttling; add MethodSettings for */* with throttlingRateLimit and throttlingBurstLimit"}
}

func methodLabel(s *Stack, m recording.Resource) string {
	label := str(m.Inputs, "httpMethod")
	if res := s.Referenced(at(m.Inputs, "resourceId"), typeAPIResource); len(res) > 0 {
		label += " /" + str(res[0].Inputs, "pathPart")
	}
	return label
}

func checkMethodValidation(s *Stack, m recording.Resource) []string {
	if !slices.Contains([]string{"POST", "PUT", "PATCH", "ANY"}, strings.ToUpper(str(m.Inputs, "httpMethod"))) {
		return nil
	}
	id := str(m.Inputs, "requestValidatorId")
	if id == "" {
		return []string{fmt.Sprintf("%s takes a body but has no request validator", methodLabel(s, m))}
	}
	for _, v := range s.Referenced(id, typeRequestValidator) {
		if !isTrue(v.Inputs, "validateRequestBody") {
			return []string{fmt.Sprintf("%s uses request validator %q, which does not validate the body", methodLabel(s, m), v.Name)}
		}
	}
	return nil
}

func checkCacheEncrypted(s *Stack, r recording.Resource) []string {
	if r.Type == typeMethodSettings {
		if isTrue(r.Inputs, "settings.cachingEnabled") && !isTrue(r.Inputs, "settings.cacheDataEncrypted") {
			return []string{fmt.Sprintf("caching is on for %s but cacheDataEncrypted is not set", str(r.Inputs, "methodPath"))}
		}
		return nil
	}
	if !isTrue(r.Inputs, "cacheClusterEnabled") {
		return nil
	}
	for _, ms := range stageSettings(s, r) {
		if allMethods(ms) && isTrue(ms.Inputs, "settings.cacheDataEncrypted") {
			return nil
		}
	}
	return []string{"the stage cache is on but no */* MethodSettings sets cacheDataEncrypted"}
}

func checkMethodAuthorizer(s *Stack, m recording.Resource) []string {
	if strings.EqualFold(str(m.Inputs, "httpMethod"), "OPTIONS") {
		// Browsers send CORS preflight requests without credentials, so
		// they cannot carry authorization.
		return nil
	}
	if auth := str(m.Inputs, "authorization"); auth == "" || strings.EqualFold(auth, "NONE") {
		return []string{fmt.Sprintf("%s is open to anyone (authorization NONE); attach an authorizer, or suppress with the reason the route is public", methodLabel(s, m))}
	}
	return nil
}
