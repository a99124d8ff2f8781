package apigw

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Environment variables the API functions read.
const (
	// EnvTableName names the DynamoDB table (required).
	EnvTableName = "TABLE_NAME"
	// EnvCacheTTLSeconds is how many seconds clients may cache successful
	// reads; 0, the default, disables caching.
	EnvCacheTTLSeconds = "CACHE_TTL_SECONDS"
	// EnvCORSOrigin, if set, is the origin allowed to call the API from a
	// browser.
	EnvCORSOrigin = "CORS_ORIGIN"
)

// maxCacheTTL keeps CACHE_TTL_SECONDS to values a cache honours.
const maxCacheTTL = 365 * 24 * time.Hour

// Config is the configuration of an API function.
type Config struct {
	TableName  string
	CacheTTL   time.Duration
	CORSOrigin string
}

// ConfigFromEnv reads the Config from the environment through getenv
// (os.Getenv in main). Invalid settings are errors, so that a misconfigured
// function fails at start-up instead of on some request.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{TableName: getenv(EnvTableName), CORSOrigin: getenv(EnvCORSOrigin)}
	if cfg.TableName == "" {
		return Config{}, errors.New(EnvTableName + " is not set")
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
