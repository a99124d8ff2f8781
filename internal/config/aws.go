package config

import (
	"github.com/gopherstack/serverless-arch/components/blocks"
)

// AWSSettings are the stack's aws: identity settings, which the program's
// own providers share with the default provider; blocks.AWSSettings says
// why and reads them.
type AWSSettings = blocks.AWSSettings

// AssumeRole is aws:assumeRole.
type AssumeRole = blocks.AssumeRole

// loadAWS reads the aws: identity settings, reporting each bad value as
// every other key's.
func loadAWS(r *reader) AWSSettings {
	return blocks.ReadAWSSettings(r.raw, r.fail)
}
