package policy

const (
	cfDistributionConfig = "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html"
	cfCacheBehavior      = "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CacheBehavior.html"
	cfViewerCertificate  = "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ViewerCertificate.html"
	cfCustomOrigin       = "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CustomOriginConfig.html"
	cfOrigin             = "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Origin.html"
	cfCachePolicyConfig  = "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CachePolicyConfig.html"
	cfOACConfig          = "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html"
	cfSecurityHeaders    = "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ResponseHeadersPolicySecurityHeadersConfig.html"
	apigwCreateStage     = "https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html"
	apigwMethodSetting   = "https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html"
	apigwCaching         = "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html"
)

// Both cache behaviour lists of a distribution.
var behaviourPaths = []string{"defaultCacheBehavior", "orderedCacheBehaviors"}

// edgeValues: CloudFront and API Gateway.
var edgeValues = map[string][]valueSpec{
	typeDistribution: append([]valueSpec{
		// API_DistributionConfig: PriceClass "PriceClass_100 |
		// PriceClass_200 | PriceClass_All"; HttpVersion "http1.1 | http2 |
		// http3 | http2and3".
		enum("priceClass", cfDistributionConfig, "PriceClass_100", "PriceClass_200", "PriceClass_All"),
		enum("httpVersion", cfDistributionConfig, "http1.1", "http2", "http3", "http2and3"),
		// API_ViewerCertificate: MinimumProtocolVersion "SSLv3 | TLSv1 |
		// TLSv1_2016 | TLSv1.1_2016 | TLSv1.2_2018 | TLSv1.2_2019 |
		// TLSv1.2_2021 | TLSv1.3_2025 | TLSv1.2_2025"; SSLSupportMethod
		// "sni-only | vip | static-ip".
		enum("viewerCertificate.minimumProtocolVersion", cfViewerCertificate,
			"SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016", "TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.3_2025", "TLSv1.2_2025"),
		enum("viewerCertificate.sslSupportMethod", cfViewerCertificate, "sni-only", "vip", "static-ip"),
		// API_CustomOriginConfig: OriginProtocolPolicy "http-only |
		// match-viewer | https-only"; OriginSslProtocols "SSLv3 | TLSv1 |
		// TLSv1.1 | TLSv1.2"; OriginReadTimeout and OriginKeepaliveTimeout
		// at least 1 second and at most 180 (above 60 with a quota
		// increase); HTTPPort and HTTPSPort 1-65535.
		enum("origins.customOriginConfig.originProtocolPolicy", cfCustomOrigin, "http-only", "match-viewer", "https-only"),
		enum("origins.customOriginConfig.originSslProtocols", cfCustomOrigin, "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"),
		between("origins.customOriginConfig.originReadTimeout", 1, 180, cfCustomOrigin),
		between("origins.customOriginConfig.originKeepaliveTimeout", 1, 180, cfCustomOrigin),
		between("origins.customOriginConfig.httpPort", 1, 65535, cfCustomOrigin),
		between("origins.customOriginConfig.httpsPort", 1, 65535, cfCustomOrigin),
		// API_Origin: ConnectionAttempts "1, 2, or 3"; ConnectionTimeout
		// "from 1 to 10 (seconds), inclusive".
		between("origins.connectionAttempts", 1, 3, cfOrigin),
		between("origins.connectionTimeout", 1, 10, cfOrigin),
		// API_GeoRestriction: RestrictionType "blacklist | whitelist |
		// none".
		enum("restrictions.geoRestriction.restrictionType", "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_GeoRestriction.html", "blacklist", "whitelist", "none"),
	}, behaviourValues()...),
	typeCachePolicy: {
		// API_CachePolicyCookiesConfig CookieBehavior "none | whitelist |
		// allExcept | all"; API_CachePolicyHeadersConfig HeaderBehavior
		// "none | whitelist"; API_CachePolicyQueryStringsConfig
		// QueryStringBehavior "none | whitelist | allExcept | all";
		// API_CachePolicyConfig MinTTL, DefaultTTL, MaxTTL are seconds, 0
		// or more.
		enum("parametersInCacheKeyAndForwardedToOrigin.cookiesConfig.cookieBehavior", "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CachePolicyCookiesConfig.html", "none", "whitelist", "allExcept", "all"),
		enum("parametersInCacheKeyAndForwardedToOrigin.headersConfig.headerBehavior", "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CachePolicyHeadersConfig.html", "none", "whitelist"),
		enum("parametersInCacheKeyAndForwardedToOrigin.queryStringsConfig.queryStringBehavior", "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CachePolicyQueryStringsConfig.html", "none", "whitelist", "allExcept", "all"),
		atLeast("minTtl", 0, cfCachePolicyConfig),
		atLeast("defaultTtl", 0, cfCachePolicyConfig),
		atLeast("maxTtl", 0, cfCachePolicyConfig),
	},
	typeCFFunction: {
		// API_FunctionConfig: Runtime "cloudfront-js-1.0 |
		// cloudfront-js-2.0".
		enum("runtime", "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_FunctionConfig.html", "cloudfront-js-1.0", "cloudfront-js-2.0"),
	},
	typeOAC: {
		// API_OriginAccessControlConfig: OriginAccessControlOriginType "s3
		// | mediastore | mediapackagev2 | lambda"; SigningBehavior "never |
		// always | no-override"; SigningProtocol "sigv4".
		enum("originAccessControlOriginType", cfOACConfig, "s3", "mediastore", "mediapackagev2", "lambda"),
		enum("signingBehavior", cfOACConfig, "never", "always", "no-override"),
		enum("signingProtocol", cfOACConfig, "sigv4"),
	},
	typeResponseHeadersPolicy: {
		// API_ResponseHeadersPolicyFrameOptions FrameOption "DENY |
		// SAMEORIGIN"; API_ResponseHeadersPolicyReferrerPolicy
		// ReferrerPolicy "no-referrer | no-referrer-when-downgrade |
		// origin | origin-when-cross-origin | same-origin | strict-origin
		// | strict-origin-when-cross-origin | unsafe-url".
		enum("securityHeadersConfig.frameOptions.frameOption", cfSecurityHeaders, "DENY", "SAMEORIGIN"),
		enum("securityHeadersConfig.referrerPolicy.referrerPolicy", cfSecurityHeaders,
			"no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin",
			"same-origin", "strict-origin", "strict-origin-when-cross-origin", "unsafe-url"),
		atLeast("securityHeadersConfig.strictTransportSecurity.accessControlMaxAgeSec", 0, cfSecurityHeaders),
	},
	typeStage: {
		// API_CreateStage: cacheClusterSize "0.5 | 1.6 | 6.1 | 13.5 | 28.4
		// | 58.2 | 118 | 237".
		enum("cacheClusterSize", apigwCreateStage, "0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"),
	},
	typeRestAPI: {
		// API_EndpointConfiguration types "REGIONAL | EDGE | PRIVATE";
		// API_CreateRestApi minimumCompressionSize "between 0 and 10485760
		// (10M) bytes, inclusive"; -1 is the provider's "compression off",
		// for which it sends no value.
		enum("endpointConfiguration.types", "https://docs.aws.amazon.com/apigateway/latest/api/API_EndpointConfiguration.html", "REGIONAL", "EDGE", "PRIVATE"),
		between("minimumCompressionSize", -1, 10485760, "https://docs.aws.amazon.com/apigateway/latest/api/API_CreateRestApi.html"),
	},
	typeMethodSettings: {
		// API_MethodSetting: loggingLevel "OFF, ERROR, and INFO";
		// unauthorizedCacheControlHeaderStrategy "FAIL_WITH_403 |
		// SUCCEED_WITH_RESPONSE_HEADER | SUCCEED_WITHOUT_RESPONSE_HEADER".
		// Caching guide: "The maximum TTL value is 3600 seconds."
		enum("settings.loggingLevel", apigwMethodSetting, "OFF", "ERROR", "INFO"),
		enum("settings.unauthorizedCacheControlHeaderStrategy", apigwMethodSetting, "FAIL_WITH_403", "SUCCEED_WITH_RESPONSE_HEADER", "SUCCEED_WITHOUT_RESPONSE_HEADER"),
		between("settings.cacheTtlInSeconds", 0, 3600, apigwCaching),
	},
	typeMethod: {
		// API_PutMethod: authorizationType "NONE for open access, AWS_IAM
		// for using AWS IAM permissions, CUSTOM for using a custom
		// authorizer, or COGNITO_USER_POOLS".
		enum("authorization", "https://docs.aws.amazon.com/apigateway/latest/api/API_PutMethod.html", "NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"),
	},
	typeIntegration: {
		// API_PutIntegration: type "HTTP | AWS | MOCK | HTTP_PROXY |
		// AWS_PROXY"; timeoutInMillis "between 50 and 29,000
		// milliseconds" (more for Regional and private APIs after a quota
		// increase, so only the minimum is checked).
		enum("type", "https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html", "HTTP", "AWS", "MOCK", "HTTP_PROXY", "AWS_PROXY"),
		atLeast("timeoutInMillis", 50, "https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html"),
	},
	typeGatewayResponse: {
		// API_PutGatewayResponse: responseType valid values.
		enum("responseType", "https://docs.aws.amazon.com/apigateway/latest/api/API_PutGatewayResponse.html",
			"DEFAULT_4XX", "DEFAULT_5XX", "RESOURCE_NOT_FOUND", "UNAUTHORIZED", "INVALID_API_KEY", "ACCESS_DENIED",
			"AUTHORIZER_FAILURE", "AUTHORIZER_CONFIGURATION_ERROR", "INVALID_SIGNATURE", "EXPIRED_TOKEN",
			"MISSING_AUTHENTICATION_TOKEN", "INTEGRATION_FAILURE", "INTEGRATION_TIMEOUT", "API_CONFIGURATION_ERROR",
			"UNSUPPORTED_MEDIA_TYPE", "BAD_REQUEST_PARAMETERS", "BAD_REQUEST_BODY", "REQUEST_TOO_LARGE", "THROTTLED",
			"QUOTA_EXCEEDED", "WAF_FILTERED"),
	},
	typeUsagePlanKey: {
		// API_CreateUsagePlanKey: keyType "The type of a UsagePlanKey
		// resource for a plan customer", API_KEY being the only one.
		enum("keyType", "https://docs.aws.amazon.com/apigateway/latest/api/API_CreateUsagePlanKey.html", "API_KEY"),
	},
	typeAuthorizer: {
		// API_CreateAuthorizer: type "TOKEN | REQUEST |
		// COGNITO_USER_POOLS"; authorizerResultTtlInSeconds "The maximum
		// value is 3600".
		enum("type", "https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html", "TOKEN", "REQUEST", "COGNITO_USER_POOLS"),
		between("authorizerResultTtlInSeconds", 0, 3600, "https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html"),
	},
}

// behaviourValues are the checks of every cache behaviour, default and
// ordered.
func behaviourValues() []valueSpec {
	var out []valueSpec
	for _, b := range behaviourPaths {
		out = append(out,
			// API_CacheBehavior: ViewerProtocolPolicy "allow-all |
			// https-only | redirect-to-https"; API_FunctionAssociation
			// EventType of a CloudFront Function "viewer-request |
			// viewer-response".
			enum(b+".viewerProtocolPolicy", cfCacheBehavior, "allow-all", "https-only", "redirect-to-https"),
			enum(b+".functionAssociations.eventType", "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_FunctionAssociation.html", "viewer-request", "viewer-response"),
		)
	}
	return out
}
