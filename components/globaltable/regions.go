package globaltable

import (
	"fmt"
	"regexp"
	"strings"
)

// regionForm is the shape of an AWS region name: partition prefix, area,
// number ("eu-west-1", "us-gov-west-1", "cn-north-1"). Whether a region
// exists, or is enabled in an account, is AWS's to say.
var regionForm = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)

// ReplicaProblem says what is wrong with replicas as the replica regions of
// a table whose home region is home, or returns "" when nothing is: each
// must have the form of a region name, none may be the home region, and
// none may appear twice.
func ReplicaProblem(home string, replicas []string) string {
	var problems []string
	seen := map[string]bool{}
	for _, r := range replicas {
		switch {
		case r == home:
			problems = append(problems, fmt.Sprintf("%q is the home region", r))
		case !regionForm.MatchString(r):
			problems = append(problems, fmt.Sprintf("%q is not an AWS region name", r))
		case seen[r]:
			problems = append(problems, fmt.Sprintf("%q is listed twice", r))
		}
		seen[r] = true
	}
	return strings.Join(problems, ", ")
}
