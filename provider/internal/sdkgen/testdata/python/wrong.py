"""Arguments the SDK must refuse: each line marked "error" must fail mypy."""
import pulumi
import pulumi_serverless_arch as sa

FN = "arn:aws:lambda:eu-west-1:123456789012:function:f"
sa.api.ServerlessAPI("a", routes="GET /")  # error
sa.auth.UserAuth("b", cors_origins=pulumi.Output.from_input(["https://x.example.com"]))  # error
sa.api.ServerlessAPI("c", routes=[sa.api.RouteArgs(method="GET", path="/", function_arn=FN, auth="COGNITO")])  # error
sa.site.StaticSite("d", content=pulumi.FileArchive("."), content_dir=".")  # error
# Inputs that may be outputs are accepted, list items included:
sa.api.ServerlessAPI("e", routes=[sa.api.RouteArgs(method="GET", path="/", function_arn=pulumi.Output.from_input(FN),
                                                   auth=sa.api.Auth.IAM)],
                     user_pool_arns=[pulumi.Output.from_input("arn:aws:cognito-idp:eu-west-1:123456789012:userpool/p")])
