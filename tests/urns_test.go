package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeployedStacksKeepTheirResources reads the URNs of each stack as it
// was last released (testdata/deployed/<stack>.urns) and checks that the
// program still holds every one of them, as its URN or as an alias of a
// resource (pulumi.Aliases). A URN that is neither is a resource `pulumi up`
// would delete, and, if it moved, create again: a replacement of what a
// deployed stack holds. A resource meant to go is removed from the file in
// the same change, with the reason in the commit message. The site's
// objects are not held to it: an object is named by its key, and a
// fingerprinted asset's key changes with its content by design (the old
// object goes when a new build no longer has it).
func TestDeployedStacksKeepTheirResources(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "deployed", stack+".urns"))
			if err != nil {
				t.Fatal(err)
			}
			known := map[string]bool{}
			for _, r := range record(t, stack).Resources {
				known[r.URN] = true
				for _, a := range r.Aliases {
					known[a] = true
				}
			}
			for _, urn := range strings.Fields(string(data)) {
				if !known[urn] && !strings.Contains(urn, "$aws:s3/bucketObjectv2:BucketObjectv2::") {
					t.Errorf("%s: deployed resource %s is gone, with no alias to it", stack, urn)
				}
			}
		})
	}
}
