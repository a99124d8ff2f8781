// Package apigw holds what the API functions behind an API Gateway REST API
// (Lambda proxy integration) share: routing on the resource template and HTTP
// method, JSON responses with caching and CORS headers, JSON error bodies,
// request body checks, opaque pagination cursors and Cognito claims.
//
// A function's main is [Start]; its handler embeds a [Service] (the
// [Router], the table and its client, the clock, from the [Config] the
// environment gives) and registers an [Endpoint] per resource and method.
// [GetItem], [PutNew] and [QueryPage] are the table calls the endpoints
// share. Endpoints return either a response or an error:
//
//   - an [*Error] is a client mistake and is answered as it says
//     (400 with the field at fault, 404, 409, ...);
//   - any other error is a failure of the function or of AWS: it is logged
//     with its cause and answered with a generic body, 503 when the AWS SDK
//     considers it transient (throttling, timeouts, connection errors) and
//     500 otherwise.
//
// Every error body has the same shape, so clients need one decoder:
//
//	{"error":{"code":"invalid_field","message":"title must have 1 to 200 characters","field":"title"}}
//
// Successful reads may be cached for the configured time; writes and errors
// never are (see [Responder]).
package apigw
