package apigw

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Environment variables the API functions read.
const (
	// EnvTableName names the DynamoDB table (required).
	EnvTableName = "TABLE_NAME"
	// EnvCacheTTLSeconds is how many seconds clients may cache successful
	// reads; 0, the default, disables caching.
	EnvCacheTTLSeconds = "CACHE_TTL_SECONDS"
	// EnvCORSOrigins, if set, are the origins allowed to call the API from a
	// browser, separated by commas: "https://app.example.com,https://example.com".
	EnvCORSOrigins = "CORS_ORIGINS"
)

// maxCacheTTL keeps CACHE_TTL_SECONDS to values a cache honours.
const maxCacheTTL = 365 * 24 * time.Hour

// Config is the configuration of an API function.
type Config struct {
	TableName string
	CacheTTL  time.Duration
	// CORSOrigins are the browser origins allowed to call the API (see
	// Router.AllowOrigins).
	CORSOrigins []string
}

// ConfigFromEnv reads the Config from the environment through getenv
// (os.Getenv in [Start]). Invalid settings are errors, so that a misconfigured
// function fails at start-up instead of on some request.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{TableName: getenv(EnvTableName)}
	if cfg.TableName == "" {
		return Config{}, errors.New(EnvTableName + " is not set")
	}
	if raw := getenv(EnvCORSOrigins); raw != "" {
		for _, o := range strings.Split(raw, ",") {
			if !isOrigin(o) {
				return Config{}, fmt.Errorf("%s: %q is not an origin such as https://app.example.com", EnvCORSOrigins, o)
			}
			cfg.CORSOrigins = append(cfg.CORSOrigins, o)
		}
	}
	if raw := getenv(EnvCacheTTLSeconds); raw != "" {
		seconds, err := strconv.Atoi(raw)
		if err != nil || seconds < 0 || time.Duration(seconds)*time.Second > maxCacheTTL {
			return Config{}, fmt.Errorf("%s=%q: want a whole number of seconds from 0 to %d", EnvCacheTTLSeconds, raw, int(maxCacheTTL/time.Second))
		}
		cfg.CacheTTL = time.Duration(seconds) * time.Second
	}
	return cfg, nil
}

// isOrigin reports whether o is a browser origin as the Origin header
// carries it: http or https, a host, an optional port, nothing else.
func isOrigin(o string) bool {
	u, err := url.Parse(o)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" &&
		u.User == nil && u.Path == "" && u.RawQuery == "" && u.Fragment == "" && u.String() == o
}
