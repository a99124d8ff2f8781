// Command serverless-arch is the Pulumi program that deploys the
// serverless-arch reference architectures: MyTodoList (a mobile backend),
// MyBlog.com (a global blog) and a CloudFront offload for software updates.
// Which of them a stack deploys, and how, is stack configuration (see
// Pulumi.yaml).
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/internal/app"
)

func main() {
	pulumi.Run(app.Run)
}
