// A Pulumi program in TypeScript that uses every serverless-arch component,
// as a user writes it after `pulumi package add`. sdkgen's tests generate
// ./sdk from the provider's schema and type-check this file with tsc.
import * as pulumi from "@pulumi/pulumi";
import * as sa from "./sdk";

const functionArn = "arn:aws:lambda:eu-west-1:123456789012:function:todo";

// The users table, replicated, and a welcome mail for each new user.
const users = new sa.table.GlobalTable("users", {
    partitionKey: { name: "userId" },
    replicas: [{ region: "eu-central-1" }],
    encryption: sa.table.Encryption.CustomerManaged,
});
new sa.mail.WelcomeMailer("welcome", {
    streamArn: users.streamArn,
    tableArn: users.arn,
    tableKmsKeyArn: users.kmsKeyArn,
    identity: "example.com",
    sender: "hello@example.com",
    userIdAttribute: "userId",
    allItemsAreUsers: true,
    architecture: sa.Architecture.ARM64,
});

// Sign-in, and an API whose routes accept the user pool's tokens.
const auth = new sa.auth.UserAuth("auth", { mfa: sa.auth.MFA.Optional, corsOrigins: ["https://app.example.com"] });
const api = new sa.api.ServerlessAPI("api", {
    routes: [
        { method: "GET", path: "/todos/{id}", functionArn, auth: sa.api.Auth.Cognito, cache: true,
          query: [{ name: "fields", cacheKey: true }] },
        { method: "POST", path: "/todos", functionArn, auth: sa.api.Auth.Cognito,
          bodySchema: JSON.stringify({ type: "object", required: ["title"] }), successStatus: 201 },
        { method: "GET", path: "/health", functionArn, auth: sa.api.Auth.None, publicReason: "load balancer checks" },
    ],
    userPoolArns: [auth.userPoolArn],
    cacheSizeGb: "0.5",
    throttleRateLimit: 50,
});
new sa.api.DAX("cache", { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], tableArns: [users.arn] });

// Thumbnails of uploads, served beside the site and the API by CloudFront.
const pics = new sa.thumbnails.ThumbnailPipeline("pics", {
    uploadPrefix: "uploads/",
    delivery: sa.thumbnails.Delivery.SQS,
    sizes: [512, 128],
    servedByCloudFront: true,
    extraRoutes: [{ queueArn: "arn:aws:sqs:eu-west-1:123456789012:audit", events: ["s3:ObjectCreated:*"], filterPrefix: "audit/" }],
});
const site = new sa.site.StaticSite("site", {
    content: new pulumi.asset.FileArchive("./site"),
    logDestination: sa.site.LogDestination.S3,
    behaviors: [
        { pathPattern: "/api/*", origin: { id: "api", url: api.url }, stripPrefix: "/api", caching: sa.site.Caching.Origin },
        { pathPattern: "/thumbnails/*", origin: { id: "thumbnails", domainName: pics.thumbnailsDomainName, bucket: true,
          readArn: pics.thumbnailsObjectsArn } },
    ],
});

// An update CDN in front of an existing load balancer.
const updates = new sa.cdn.UpdateOffloadCDN("updates", {
    origin: sa.cdn.Origin.Existing,
    albDnsName: "origin.example.com",
    albArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1",
    albSecurityGroupId: "sg-1",
    albListenerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/1/2",
    albTargetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/3",
    originSecret: pulumi.secret("from-config"),
});

export const siteUrl: pulumi.Output<string> = site.url;
export const apiUrl: pulumi.Output<string> = api.url;
export const replicaRegions: pulumi.Output<string[]> = users.replicaRegions;
export const updatesDomain: pulumi.Output<string> = updates.distributionDomainName;
