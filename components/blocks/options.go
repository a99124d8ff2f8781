package blocks

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Stateful returns the options for a resource that holds user data: in
// production (protect set) Pulumi refuses to delete it and, should the
// resource ever be removed from the program, leaves it in the account.
func Stateful(protect bool) []pulumi.ResourceOption {
	if !protect {
		return nil
	}
	return []pulumi.ResourceOption{pulumi.Protect(true), pulumi.RetainOnDelete(true)}
}

// With returns opts followed by more, without modifying opts.
func With(opts []pulumi.ResourceOption, more ...pulumi.ResourceOption) []pulumi.ResourceOption {
	out := make([]pulumi.ResourceOption, 0, len(opts)+len(more))
	return append(append(out, opts...), more...)
}
