package blocks

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// PhysicalName returns a deterministic physical name for a resource type
// that Pulumi does not auto-name (SES configuration sets and templates,
// CloudWatch log delivery sources, CloudFront policies, ...):
// "<project>-<stack>-<name>", with every character outside [A-Za-z0-9_-]
// replaced by "-". A name longer than max is cut and ends in a short hash
// of the full name, so two long names that share a prefix stay distinct.
func PhysicalName(ctx *pulumi.Context, name string, max int) string {
	full := ctx.Project() + "-" + ctx.Stack() + "-" + name
	var b strings.Builder
	for _, r := range full {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	s := b.String()
	if len(s) <= max {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	suffix := "-" + hex.EncodeToString(sum[:])[:8]
	return s[:max-len(suffix)] + suffix
}
