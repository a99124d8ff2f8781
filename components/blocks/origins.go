package blocks

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

var (
	originPattern   = regexp.MustCompile(`^https://[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$`)
	hostnamePattern = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$`)
)

// IsOrigin reports whether s is an https origin that CORS settings may
// allow, such as https://app.example.com or https://app.example.com:8443:
// scheme and lower-case host (as browsers send them), no path, no wildcard.
func IsOrigin(s string) bool { return originPattern.MatchString(s) }

// CheckOrigins reports each of origins that IsOrigin refuses, as the CORS
// origins of a component's arguments; nil when there is none.
func CheckOrigins(origins []string) error {
	var errs []error
	for _, o := range origins {
		if !IsOrigin(o) {
			errs = append(errs, fmt.Errorf("CORS origin %q: want https://host or https://host:port", o))
		}
	}
	return errors.Join(errs...)
}

// IsHostname reports whether s is a lower-case DNS name of at least two
// labels, such as api.example.com, as custom domains and hosted zones use;
// internationalized names are written in their xn-- form (example.xn--p1ai).
func IsHostname(s string) bool { return len(s) <= 253 && hostnamePattern.MatchString(s) }

// InZone reports whether name is in the DNS zone zone, a hostname (see
// IsHostname): the zone itself or a name under it, as api.example.com is
// in example.com. Either may be written fully qualified, with a trailing
// dot.
func InZone(name, zone string) bool {
	name, zone = strings.TrimSuffix(name, "."), strings.TrimSuffix(zone, ".")
	return IsHostname(zone) && (name == zone || strings.HasSuffix(name, "."+zone))
}
