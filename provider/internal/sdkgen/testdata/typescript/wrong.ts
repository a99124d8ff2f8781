// Arguments the SDK must refuse: each line marked "error" must fail tsc.
import * as pulumi from "@pulumi/pulumi";
import * as sa from "./sdk";

const fn = "arn:aws:lambda:eu-west-1:123456789012:function:f";
// A plain list (routes decide which resources exist) given as an output:
new sa.api.ServerlessAPI("a", { routes: pulumi.output([]) }); // error
new sa.auth.UserAuth("b", { corsOrigins: pulumi.output(["https://x.example.com"]) }); // error
// A value outside an enum:
new sa.api.ServerlessAPI("c", { routes: [{ method: "GET", path: "/", functionArn: fn, auth: "COGNITO" }] }); // error
// A required argument left out:
new sa.site.StaticSite("d", {}); // error
// A Go-only argument:
new sa.site.StaticSite("e", { content: new pulumi.asset.FileArchive("."), contentDir: "." }); // error
// Inputs that may be outputs are accepted, list items included:
new sa.api.ServerlessAPI("f", { routes: [{ method: "GET", path: "/", functionArn: pulumi.output(fn), auth: sa.api.Auth.IAM }],
    userPoolArns: [pulumi.output("arn:aws:cognito-idp:eu-west-1:123456789012:userpool/p")] });
