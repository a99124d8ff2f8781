package apigw

import (
	"context"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// ReadCache says which caches may keep a function's successful reads for
// [Config.CacheTTL] (see [Responder.Public]).
type ReadCache bool

const (
	// PrivateReads are per-user data: only the caller's own client may
	// cache them.
	PrivateReads ReadCache = false
	// PublicReads are the same for every caller: shared caches (a CDN) may
	// keep them too.
	PublicReads ReadCache = true
)

// Service is what the handler of every API function holds besides its
// endpoints: the Router that answers its events, the client and name of its
// DynamoDB table, and its clock. A handler embeds a Service, registers its
// endpoints on Router, and serves the Lambda runtime with [Service.Handle].
type Service[DB any] struct {
	Router Router
	DB     DB
	Table  string
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// NewService returns the Service of a function configured by cfg that reaches
// its table through db.
func NewService[DB any](db DB, cfg Config, reads ReadCache) Service[DB] {
	return Service[DB]{
		Router: Router{Responder: Responder{MaxAge: cfg.CacheTTL, Public: bool(reads)}, AllowOrigins: cfg.CORSOrigins},
		DB:     db,
		Table:  cfg.TableName,
		Now:    time.Now,
	}
}

// Handle answers an API Gateway REST proxy event. Every outcome, including
// failures, is an HTTP response, so the error is always nil.
func (s *Service[DB]) Handle(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return s.Router.Serve(ctx, req), nil
}
