"""A Pulumi program in Python that uses every serverless-arch component, as a
user writes it after `pulumi package add`. sdkgen's tests generate ./sdk from
the provider's schema and type-check this file with mypy against the Pulumi
Python SDK."""
import json

import pulumi
import pulumi_serverless_arch as sa

FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:todo"

# The users table, replicated, and a welcome mail for each new user.
users = sa.table.GlobalTable(
    "users",
    partition_key=sa.table.KeyArgs(name="userId"),
    replicas=[sa.table.ReplicaArgs(region="eu-central-1")],
    encryption=sa.table.Encryption.CUSTOMER_MANAGED,
)
sa.mail.WelcomeMailer(
    "welcome",
    stream_arn=users.stream_arn,
    table_arn=users.arn,
    table_kms_key_arn=users.kms_key_arn,
    identity="example.com",
    sender="hello@example.com",
    user_id_attribute="userId",
    all_items_are_users=True,
    architecture=sa.Architecture.ARM64,
)

# Sign-in, and an API whose routes accept the user pool's tokens.
auth = sa.auth.UserAuth("auth", mfa=sa.auth.MFA.OPTIONAL, cors_origins=["https://app.example.com"])
api = sa.api.ServerlessAPI(
    "api",
    routes=[
        sa.api.RouteArgs(method="GET", path="/todos/{id}", function_arn=FUNCTION_ARN, auth=sa.api.Auth.COGNITO,
                         cache=True, query=[sa.api.ParamArgs(name="fields", cache_key=True)]),
        sa.api.RouteArgs(method="POST", path="/todos", function_arn=FUNCTION_ARN, auth=sa.api.Auth.COGNITO,
                         body_schema=json.dumps({"type": "object", "required": ["title"]}), success_status=201),
        sa.api.RouteArgs(method="GET", path="/health", function_arn=FUNCTION_ARN, auth=sa.api.Auth.NONE,
                         public_reason="load balancer checks"),
    ],
    user_pool_arns=[auth.user_pool_arn],
    cache_size_gb="0.5",
    throttle_rate_limit=50,
)
sa.api.DAX("cache", vpc_id="vpc-1", subnet_ids=["subnet-a", "subnet-b"], table_arns=[users.arn])

# Thumbnails of uploads, served beside the site and the API by CloudFront.
pics = sa.thumbnails.ThumbnailPipeline(
    "pics",
    upload_prefix="uploads/",
    delivery=sa.thumbnails.Delivery.SQS,
    sizes=[512, 128],
    served_by_cloud_front=True,
    extra_routes=[sa.thumbnails.NotificationRouteArgs(queue_arn="arn:aws:sqs:eu-west-1:123456789012:audit",
                                                      events=["s3:ObjectCreated:*"], filter_prefix="audit/")],
)
site = sa.site.StaticSite(
    "site",
    content=pulumi.FileArchive("./site"),
    log_destination=sa.site.LogDestination.S3,
    behaviors=[
        sa.site.BehaviorArgs(path_pattern="/api/*", origin=sa.site.OriginArgs(id="api", url=api.url),
                             strip_prefix="/api", caching=sa.site.Caching.ORIGIN),
        sa.site.BehaviorArgs(path_pattern="/thumbnails/*",
                             origin=sa.site.OriginArgs(id="thumbnails", domain_name=pics.thumbnails_domain_name,
                                                       bucket=True, read_arn=pics.thumbnails_objects_arn)),
    ],
)

# An update CDN in front of an existing load balancer.
updates = sa.cdn.UpdateOffloadCDN(
    "updates",
    origin=sa.cdn.Origin.EXISTING,
    alb_dns_name="origin.example.com",
    alb_arn="arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1",
    alb_security_group_id="sg-1",
    alb_listener_arn="arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/1/2",
    alb_target_group_arn="arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/3",
    origin_secret=pulumi.Output.secret("from-config"),
)

pulumi.export("siteUrl", site.url)
pulumi.export("apiUrl", api.url)
pulumi.export("replicaRegions", users.replica_regions)
pulumi.export("updatesDomain", updates.distribution_domain_name)
