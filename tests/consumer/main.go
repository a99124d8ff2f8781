// Command consumer is a Pulumi program of another team: it imports the
// serverless-arch components with nothing but `go get`, and uses each as
// its package documentation shows.
package main

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

func main() { pulumi.Run(program) }
