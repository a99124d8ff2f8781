package stacktest

import "github.com/gopherstack/serverless-arch/components/recording"

// Resource is one recorded resource; see package recording.
type Resource = recording.Resource
