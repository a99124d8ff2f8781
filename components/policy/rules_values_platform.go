package policy

const (
	cognitoCreatePool   = "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html"
	cognitoCreateClient = "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html"
	elbCreateListener   = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html"
	elbCreateTG         = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html"
	elbFixedResponse    = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_FixedResponseActionConfig.html"
	ec2LTMetadata       = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateInstanceMetadataOptionsRequest.html"
	ec2LTEbs            = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateEbsBlockDeviceRequest.html"
	ec2IPPermission     = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html"
	s3Lifecycle         = "https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html"
)

// fixedResponseValues are the checks of a listener's or rule's fixed
// responses under actions (a rule) or defaultActions (a listener).
func fixedResponseValues(actions string) []valueSpec {
	return []valueSpec{
		// API_Action Type "forward | authenticate-oidc |
		// authenticate-cognito | redirect | fixed-response";
		// API_FixedResponseActionConfig ContentType "text/plain | text/css
		// | text/html | application/javascript | application/json",
		// StatusCode pattern ^(2|4|5)\d\d$.
		enum(actions+".type", "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Action.html",
			"forward", "authenticate-oidc", "authenticate-cognito", "redirect", "fixed-response"),
		enum(actions+".fixedResponse.contentType", elbFixedResponse, "text/plain", "text/css", "text/html", "application/javascript", "application/json"),
		between(actions+".fixedResponse.statusCode", 200, 599, elbFixedResponse),
	}
}

const elbCreateLB = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html"

var loadBalancerValues = []valueSpec{
	enum("loadBalancerType", elbCreateLB, "application", "network", "gateway"),
	enum("ipAddressType", elbCreateLB, "ipv4", "dualstack", "dualstack-without-public-ipv4"),
}

var elbProtocols = []string{"HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"}

// platformValues: Cognito, SES, ELB, EC2, Auto Scaling, KMS, ACM, Route 53,
// S3 and VPC security group rules.
var platformValues = map[string][]valueSpec{
	typeUserPool: {
		// API_CreateUserPool: MfaConfiguration "OFF | ON | OPTIONAL";
		// DeletionProtection "ACTIVE | INACTIVE"; UserPoolTier "LITE |
		// ESSENTIALS | PLUS"; UsernameAttributes and
		// AutoVerifiedAttributes "phone_number | email";
		// API_UserPoolAddOnsType AdvancedSecurityMode "OFF | AUDIT |
		// ENFORCED"; API_PasswordPolicyType MinimumLength 6-99,
		// TemporaryPasswordValidityDays 0-365, PasswordHistorySize 0-24;
		// API_RecoveryOptionType Name "verified_email |
		// verified_phone_number | admin_only", Priority 1-2.
		enum("mfaConfiguration", cognitoCreatePool, "OFF", "ON", "OPTIONAL"),
		enum("deletionProtection", cognitoCreatePool, "ACTIVE", "INACTIVE"),
		enum("userPoolTier", cognitoCreatePool, "LITE", "ESSENTIALS", "PLUS"),
		enum("usernameAttributes", cognitoCreatePool, "phone_number", "email"),
		enum("autoVerifiedAttributes", cognitoCreatePool, "phone_number", "email"),
		enum("userPoolAddOns.advancedSecurityMode", "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolAddOnsType.html", "OFF", "AUDIT", "ENFORCED"),
		between("passwordPolicy.minimumLength", 6, 99, "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_PasswordPolicyType.html"),
		between("passwordPolicy.temporaryPasswordValidityDays", 0, 365, "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_PasswordPolicyType.html"),
		between("passwordPolicy.passwordHistorySize", 0, 24, "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_PasswordPolicyType.html"),
		enum("accountRecoverySetting.recoveryMechanisms.name", "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RecoveryOptionType.html", "verified_email", "verified_phone_number", "admin_only"),
		between("accountRecoverySetting.recoveryMechanisms.priority", 1, 2, "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RecoveryOptionType.html"),
	},
	typeUserPoolClient: {
		// API_CreateUserPoolClient: ExplicitAuthFlows valid values;
		// PreventUserExistenceErrors "LEGACY | ENABLED"; AuthSessionValidity
		// 3-15 (minutes); API_TokenValidityUnitsType "seconds | minutes |
		// hours | days".
		enum("explicitAuthFlows", cognitoCreateClient,
			"ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
			"ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"),
		enum("preventUserExistenceErrors", cognitoCreateClient, "LEGACY", "ENABLED"),
		between("authSessionValidity", 3, 15, cognitoCreateClient),
		enum("tokenValidityUnits.accessToken", cognitoCreateClient, "seconds", "minutes", "hours", "days"),
		enum("tokenValidityUnits.idToken", cognitoCreateClient, "seconds", "minutes", "hours", "days"),
		enum("tokenValidityUnits.refreshToken", cognitoCreateClient, "seconds", "minutes", "hours", "days"),
	},
	typeSESConfigSet: {
		// API_DeliveryOptions TlsPolicy "REQUIRE | OPTIONAL";
		// API_SuppressionOptions SuppressedReasons "BOUNCE | COMPLAINT".
		enum("deliveryOptions.tlsPolicy", "https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_DeliveryOptions.html", "REQUIRE", "OPTIONAL"),
		enum("suppressionOptions.suppressedReasons", "https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SuppressionOptions.html", "BOUNCE", "COMPLAINT"),
	},
	typeSESIdentity: {
		// API_DkimSigningAttributes NextSigningKeyLength "RSA_1024_BIT |
		// RSA_2048_BIT".
		enum("dkimSigningAttributes.nextSigningKeyLength", "https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_DkimSigningAttributes.html", "RSA_1024_BIT", "RSA_2048_BIT"),
	},
	typeListener: append([]valueSpec{
		// API_CreateListener: Protocol "HTTP | HTTPS | TCP | TLS | UDP |
		// TCP_UDP | GENEVE"; Port 1-65535.
		enum("protocol", elbCreateListener, elbProtocols...),
		between("port", 1, 65535, elbCreateListener),
	}, fixedResponseValues("defaultActions")...),
	typeListenerRule: append([]valueSpec{
		// API_CreateRule: Priority "Valid Range: Minimum value of 1.
		// Maximum value of 50000."
		between("priority", 1, 50000, "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html"),
	}, fixedResponseValues("actions")...),
	typeTargetGroup: {
		// API_CreateTargetGroup: Protocol as listeners; TargetType
		// "instance | ip | lambda | alb"; Port 1-65535;
		// API_TargetGroupAttribute deregistration_delay.timeout_seconds
		// "0-3600 seconds".
		enum("protocol", elbCreateTG, elbProtocols...),
		enum("targetType", elbCreateTG, "instance", "ip", "lambda", "alb"),
		between("port", 1, 65535, elbCreateTG),
		enum("healthCheck.protocol", elbCreateTG, elbProtocols...),
		between("deregistrationDelay", 0, 3600, "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html"),
	},
	// API_CreateLoadBalancer: Type "application | network | gateway";
	// IpAddressType "ipv4 | dualstack | dualstack-without-public-ipv4".
	typeLoadBalancer:    loadBalancerValues,
	typeALBLoadBalancer: loadBalancerValues,
	typeLaunchTemplate: {
		// API_LaunchTemplateInstanceMetadataOptionsRequest: HttpTokens
		// "optional | required"; HttpEndpoint "disabled | enabled";
		// HttpPutResponseHopLimit 1-64. API_LaunchTemplateEbsBlockDeviceRequest
		// VolumeType "standard | io1 | io2 | gp2 | sc1 | st1 | gp3".
		enum("metadataOptions.httpTokens", ec2LTMetadata, "optional", "required"),
		enum("metadataOptions.httpEndpoint", ec2LTMetadata, "disabled", "enabled"),
		between("metadataOptions.httpPutResponseHopLimit", 1, 64, ec2LTMetadata),
		enum("blockDeviceMappings.ebs.volumeType", ec2LTEbs, "standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"),
	},
	typeASG: {
		// API_CreateAutoScalingGroup HealthCheckType "EC2 | ELB |
		// VPC_LATTICE | EBS"; API_StartInstanceRefresh Strategy "Rolling |
		// ReplaceRootVolume"; API_RefreshPreferences MinHealthyPercentage
		// 0-100.
		enum("healthCheckType", "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html", "EC2", "ELB", "VPC_LATTICE", "EBS"),
		atLeast("healthCheckGracePeriod", 0, "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html"),
		enum("instanceRefresh.strategy", "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html", "Rolling", "ReplaceRootVolume"),
		between("instanceRefresh.preferences.minHealthyPercentage", 0, 100, "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html"),
	},
	typeKMSKey: {
		// API_ScheduleKeyDeletion PendingWindowInDays 7-30 (the provider's
		// deletionWindowInDays).
		between("deletionWindowInDays", 7, 30, "https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html"),
	},
	typeKMSReplica: {
		between("deletionWindowInDays", 7, 30, "https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html"),
	},
	typeCertificate: {
		// API_RequestCertificate: KeyAlgorithm "RSA_1024 | RSA_2048 |
		// RSA_3072 | RSA_4096 | EC_prime256v1 | EC_secp384r1 |
		// EC_secp521r1"; ValidationMethod "EMAIL | DNS | HTTP".
		enum("keyAlgorithm", "https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html",
			"RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"),
		enum("validationMethod", "https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html", "EMAIL", "DNS", "HTTP"),
	},
	typeRecord: {
		// API_ResourceRecordSet: Type valid values; TTL 0-2147483647.
		enum("type", "https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html",
			"SOA", "A", "TXT", "NS", "CNAME", "MX", "NAPTR", "PTR", "SRV", "SPF", "AAAA", "CAA", "DS", "TLSA", "SSHFP", "SVCB", "HTTPS"),
		between("ttl", 0, 2147483647, "https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html"),
	},
	typeOwnership: {
		// API_OwnershipControlsRule ObjectOwnership "BucketOwnerPreferred
		// | ObjectWriter | BucketOwnerEnforced".
		enum("rule.objectOwnership", "https://docs.aws.amazon.com/AmazonS3/latest/API/API_OwnershipControlsRule.html", "BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"),
	},
	typeBucketVersioning: {
		// API_VersioningConfiguration Status "Enabled | Suspended"; the
		// provider also takes "Disabled" for a bucket never versioned.
		enum("versioningConfiguration.status", "https://docs.aws.amazon.com/AmazonS3/latest/API/API_VersioningConfiguration.html", "Enabled", "Suspended", "Disabled"),
	},
	typeBucketLifecycle: {
		// API_LifecycleRule Status "Enabled | Disabled"; Days, NoncurrentDays
		// and DaysAfterInitiation are positive integers.
		enum("rules.status", s3Lifecycle, "Enabled", "Disabled"),
		atLeast("rules.expiration.days", 1, s3Lifecycle),
		atLeast("rules.noncurrentVersionExpiration.noncurrentDays", 1, s3Lifecycle),
		atLeast("rules.abortIncompleteMultipartUpload.daysAfterInitiation", 1, s3Lifecycle),
	},
	typeBucketEncryption: {
		// API_ServerSideEncryptionByDefault SSEAlgorithm "AES256 | aws:kms
		// | aws:kms:dsse".
		enum("rules.applyServerSideEncryptionByDefault.sseAlgorithm", "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html", "AES256", "aws:kms", "aws:kms:dsse"),
	},
	typeBucketCors: {
		// API_CORSRule AllowedMethods "GET, PUT, HEAD, POST, and DELETE".
		enum("corsRules.allowedMethods", "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSRule.html", "GET", "PUT", "HEAD", "POST", "DELETE"),
		atLeast("corsRules.maxAgeSeconds", 0, "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSRule.html"),
	},
	typeSGIngressRule: sgRuleValues(),
	typeSGEgressRule:  sgRuleValues(),
	typeSGRule:        append(sgRuleValues(), enum("type", ec2IPPermission, "ingress", "egress")),
}

// sgRuleValues: API_IpPermission FromPort and ToPort, -1 for all, else
// 0-65535 (the protocol is checked in fieldChecks).
func sgRuleValues() []valueSpec {
	return []valueSpec{
		between("fromPort", -1, 65535, ec2IPPermission),
		between("toPort", -1, 65535, ec2IPPermission),
	}
}
