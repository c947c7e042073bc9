package graph

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/casewatch/casewatch/graph/gqlmodel"
	"github.com/casewatch/casewatch/internal/ratelimit"
)

// RateLimits charges an operation's cost to the caller's budget before it runs. The cost
// is what the complexity extension published (extension.GetComplexityStats), so it must be
// registered after that one. The HTTP layer opens the request's account
// (ratelimit.FromContext) and has charged its first point already; without an account
// nothing is charged. Over the budget, the operation is refused with RATE_LIMITED and the
// HTTP layer answers 429.
type RateLimits struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = RateLimits{}

func (RateLimits) ExtensionName() string { return "RateLimits" }

func (RateLimits) Validate(graphql.ExecutableSchema) error { return nil }

func (RateLimits) MutateOperationContext(ctx context.Context, _ *graphql.OperationContext) *gqlerror.Error {
	req := ratelimit.FromContext(ctx)
	if req == nil {
		return nil
	}
	cost := operationCost(ctx)
	res := req.ChargeTotal(ctx, cost, "cost")
	if res.Allowed {
		return nil
	}
	err := gqlerror.Errorf("rate limit: this operation costs %d points and %d are left of your %d; retry in %d s",
		min(cost, res.Limit), res.Remaining, res.Limit, RetryAfterSeconds(res.RetryAfter))
	errcode.Set(err, CodeRateLimited)
	err.Extensions["cost"] = cost
	err.Extensions["remaining"] = res.Remaining
	err.Extensions["retryAfter"] = RetryAfterSeconds(res.RetryAfter)
	return err
}

// operationCost is the operation's cost in rate-limit points (CostUnitsPerPoint units of
// the complexity each, rounded up), at least 1.
func operationCost(ctx context.Context) int {
	if s := extension.GetComplexityStats(ctx); s != nil {
		return max((s.Complexity+CostUnitsPerPoint-1)/CostUnitsPerPoint, 1)
	}
	return 1
}

// RetryAfterSeconds is a wait in whole seconds, rounded up, at least 1: the value of a
// Retry-After header.
func RetryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// rateLimitOf answers Query.rateLimit: the caller's budget after this request's charge.
func rateLimitOf(ctx context.Context) *gqlmodel.RateLimit {
	req := ratelimit.FromContext(ctx)
	if req == nil {
		return &gqlmodel.RateLimit{Cost: operationCost(ctx), ResetAt: time.Now().UTC().Format(time.RFC3339)}
	}
	charged, last, _ := req.State()
	used := last.Limit - last.Remaining
	return &gqlmodel.RateLimit{
		Limit:     last.Limit,
		Cost:      charged,
		Remaining: last.Remaining,
		ResetAt:   time.Now().Add(last.ResetAfter).UTC().Format(time.RFC3339),
		Used:      &used,
	}
}

// RateLimitedBody is the answer to a request refused before it was read: a GraphQL error
// with code RATE_LIMITED.
func RateLimitedBody(res ratelimit.Result) []byte {
	return fmt.Appendf(nil, `{"errors":[{"message":"rate limit: nothing is left of your %d points; retry in %d s","extensions":{"code":%q,"remaining":%d,"retryAfter":%d}}]}`+"\n",
		res.Limit, RetryAfterSeconds(res.RetryAfter), CodeRateLimited, res.Remaining, RetryAfterSeconds(res.RetryAfter))
}
