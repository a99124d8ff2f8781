package policy

// Type tokens of the pulumi-aws v6 resources the rules read.
const (
	typeBucket            = "aws:s3/bucket:Bucket"
	typeBucketV2          = "aws:s3/bucketV2:BucketV2"
	typePublicAccessBlock = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	typeBucketPolicy      = "aws:s3/bucketPolicy:BucketPolicy"
	typeOwnership         = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	typeBucketEncryption  = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	typeBucketVersioning  = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	typeBucketLogging     = "aws:s3/bucketLoggingV2:BucketLoggingV2"
	typeBucketLifecycle   = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	typeBucketNotify      = "aws:s3/bucketNotification:BucketNotification"

	typeDistribution          = "aws:cloudfront/distribution:Distribution"
	typeResponseHeadersPolicy = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"

	typeLogGroup        = "aws:cloudwatch/logGroup:LogGroup"
	typeLogDelivery     = "aws:cloudwatch/logDelivery:LogDelivery"
	typeLogDeliverySrc  = "aws:cloudwatch/logDeliverySource:LogDeliverySource"
	typeLogDeliveryDest = "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination"
	typeEventTarget     = "aws:cloudwatch/eventTarget:EventTarget"

	typeRestAPI          = "aws:apigateway/restApi:RestApi"
	typeStage            = "aws:apigateway/stage:Stage"
	typeMethod           = "aws:apigateway/method:Method"
	typeMethodSettings   = "aws:apigateway/methodSettings:MethodSettings"
	typeRequestValidator = "aws:apigateway/requestValidator:RequestValidator"
	typeUsagePlan        = "aws:apigateway/usagePlan:UsagePlan"

	typeFunction          = "aws:lambda/function:Function"
	typePermission        = "aws:lambda/permission:Permission"
	typeEventSourceMap    = "aws:lambda/eventSourceMapping:EventSourceMapping"
	typeEventInvokeConfig = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"

	typeSNSSubscription = "aws:sns/topicSubscription:TopicSubscription"

	typeRole                = "aws:iam/role:Role"
	typeRolePolicy          = "aws:iam/rolePolicy:RolePolicy"
	typePolicy              = "aws:iam/policy:Policy"
	typeRolePolicyAttach    = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	typeUserPolicy          = "aws:iam/userPolicy:UserPolicy"
	typeGroupPolicy         = "aws:iam/groupPolicy:GroupPolicy"
	typeUserPolicyAttach    = "aws:iam/userPolicyAttachment:UserPolicyAttachment"
	typeGroupPolicyAttach   = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"
	typePolicyAttachment    = "aws:iam/policyAttachment:PolicyAttachment"
	typeRoleAttachExclusive = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"

	typeTable        = "aws:dynamodb/table:Table"
	typeTableReplica = "aws:dynamodb/tableReplica:TableReplica"

	typeUserPool     = "aws:cognito/userPool:UserPool"
	typeIdentityPool = "aws:cognito/identityPool:IdentityPool"

	typeQueue       = "aws:sqs/queue:Queue"
	typeQueuePolicy = "aws:sqs/queuePolicy:QueuePolicy"

	typeLoadBalancer    = "aws:lb/loadBalancer:LoadBalancer"
	typeALBLoadBalancer = "aws:alb/loadBalancer:LoadBalancer"
	typeLaunchTemplate  = "aws:ec2/launchTemplate:LaunchTemplate"
	typeInstance        = "aws:ec2/instance:Instance"
	typeSecurityGroup   = "aws:ec2/securityGroup:SecurityGroup"
	typeSGRule          = "aws:ec2/securityGroupRule:SecurityGroupRule"
	typeSGIngressRule   = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
)
