package userauth_test

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/userauth"
)

// Sign-in by e-mail with optional TOTP, and a files bucket where each
// signed-in user owns private/<their identity ID>/. Run offline, the example
// prints what the users' role may do.
func Example() {
	program := func(ctx *pulumi.Context) error {
		_, err := userauth.New(ctx, "photos", userauth.Args{
			MFA:         userauth.MFAOptional,
			CORSOrigins: []string{"https://photos.example.com"},
		})
		return err
	}

	rec, err := stacktest.Run(program, stacktest.Project("demo"), stacktest.Stack("dev"))
	if err != nil {
		fmt.Println(err)
		return
	}
	pol, _ := rec.Get("aws:iam/rolePolicy:RolePolicy", "photos-authenticated-policy")
	var doc struct {
		Statement []struct {
			Action    []string
			Resource  []string
			Condition map[string]map[string][]string
		}
	}
	if err := json.Unmarshal([]byte(pol.Inputs["policy"].(string)), &doc); err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range doc.Statement {
		fmt.Println(s.Action, "on", s.Resource, s.Condition["StringLike"]["s3:prefix"])
	}
	// Output:
	// [s3:DeleteObject s3:GetObject s3:PutObject] on [arn:aws:s3:::photos-files/private/${cognito-identity.amazonaws.com:sub}/*] []
	// [s3:ListBucket] on [arn:aws:s3:::photos-files] [private/${cognito-identity.amazonaws.com:sub}/ private/${cognito-identity.amazonaws.com:sub}/*]
}
