//go:build !race

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// This file is a deterministic scheduler for the interleaving test: every
// S3 call of every running invocation waits for its turn, so a test decides
// the order of all reads and writes, replays it exactly, and enumerates the
// orders systematically (stateless model checking with a preemption bound,
// as CHESS does: every schedule that switches away from a runnable actor at
// most bound times).

// emulator is a fresh in-memory S3 (gofakes3, the emulator the other tests
// and local mode use), served to the real SDK client through an in-process
// transport: the same HTTP handling, without sockets, so that thousands of
// schedules run in seconds.
func emulator(buckets ...string) (*s3.Client, error) {
	backend := s3mem.New()
	for _, b := range buckets {
		if err := backend.CreateBucket(b); err != nil {
			return nil, err
		}
	}
	handler := gofakes3.New(backend, gofakes3.WithoutVersioning()).Server()
	return s3.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDINTERLEAVE", "secret", ""),
		BaseEndpoint: aws.String("http://s3.emulator"),
		HTTPClient:   &http.Client{Transport: inProcess{handler}},
	}, func(o *s3.Options) {
		o.UsePathStyle = true
		// Checksums cost more than the rest of a call here and decide
		// nothing the test looks at.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	}), nil
}

// inProcess hands requests straight to an http.Handler.
type inProcess struct{ h http.Handler }

func (t inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.ContentLength > 0 {
		r.Header.Set("Content-Length", strconv.FormatInt(r.ContentLength, 10))
	}
	r.RequestURI = r.URL.RequestURI()
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// actor is one thing that happens: a user's action (one atomic step) or an
// invocation of the function (one step per S3 call).
type actor struct {
	name string
	// act, for a user's action, is the step; it returns the invocation it
	// triggers, or nil.
	act func() *actor
	// run, for an invocation, is its body, run on its own goroutine.
	run func(store ObjectStore) error

	started, done bool
	pending       string        // the call it waits to make
	turn          chan struct{} // lets it make that call
	err           error
}

// decision is one choice of a schedule.
type decision struct {
	enabled []int // actors that could take the next step
	chosen  int
	current int // the actor that took the previous step, or -1
}

// preempts reports whether choosing alt here switches away from an actor
// that could go on.
func (d decision) preempts(alt int) bool {
	if d.current < 0 || alt == d.current {
		return false
	}
	for _, e := range d.enabled {
		if e == d.current {
			return true
		}
	}
	return false
}

// schedule runs actors to completion, following choices as far as they go
// and then the default (go on with the current actor, else the first that
// can move), and returns every decision it made.
type schedule struct {
	actors []*actor
	events chan int // an actor parked at a call or finished
	trace  []decision
	calls  []string
}

func newSchedule(actors []*actor) *schedule {
	return &schedule{actors: actors, events: make(chan int)}
}

// gate is the ObjectStore an invocation uses: each call waits for the
// scheduler's go.
type gate struct {
	ObjectStore
	s *schedule
	a *actor
}

func (g gate) wait(op string, key *string) {
	g.a.pending = op + " " + aws.ToString(key)
	g.s.events <- 0
	<-g.a.turn
}

func (g gate) GetObject(ctx context.Context, in *s3.GetObjectInput, o ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	g.wait("GET", in.Key)
	return g.ObjectStore.GetObject(ctx, in, o...)
}

func (g gate) HeadObject(ctx context.Context, in *s3.HeadObjectInput, o ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	g.wait("HEAD", in.Key)
	return g.ObjectStore.HeadObject(ctx, in, o...)
}

func (g gate) PutObject(ctx context.Context, in *s3.PutObjectInput, o ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	g.wait("PUT", in.Key)
	return g.ObjectStore.PutObject(ctx, in, o...)
}

func (g gate) DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, o ...func(*s3.Options)) (*s3.DeleteObjectOutput, error) {
	g.wait("DELETE", in.Key)
	return g.ObjectStore.DeleteObject(ctx, in, o...)
}

func (g gate) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, o ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	g.wait("LIST", in.Prefix)
	return g.ObjectStore.ListObjectsV2(ctx, in, o...)
}

// start runs an invocation on its goroutine until its first call.
func (s *schedule) start(a *actor, store ObjectStore) {
	a.started, a.turn = true, make(chan struct{})
	go func() {
		a.err = a.run(gate{store, s, a})
		a.done, a.pending = true, ""
		s.events <- 0
	}()
	<-s.events
}

// enabled lists the actors that can take a step: user actions not taken
// yet, and started invocations that have not finished.
func (s *schedule) enabled() []int {
	var out []int
	for i, a := range s.actors {
		if (a.act != nil && !a.done) || (a.run != nil && a.started && !a.done) {
			out = append(out, i)
		}
	}
	return out
}

// step lets actor i take one step.
func (s *schedule) step(i int, store ObjectStore) {
	a := s.actors[i]
	if a.act != nil {
		a.done = true
		if next := a.act(); next != nil {
			s.start(next, store)
		}
		s.calls = append(s.calls, a.name)
		return
	}
	s.calls = append(s.calls, a.name+": "+a.pending)
	a.turn <- struct{}{}
	<-s.events
}

// run plays choices, then the default, to the end.
func (s *schedule) run(choices []int, store ObjectStore) error {
	current := -1
	for n := 0; ; n++ {
		en := s.enabled()
		if len(en) == 0 {
			return nil
		}
		next := en[0]
		for _, e := range en {
			if e == current {
				next = e
			}
		}
		if n < len(choices) {
			next = choices[n]
			if !contains(en, next) {
				return fmt.Errorf("choice %d: actor %d cannot move", n, next)
			}
		}
		s.trace = append(s.trace, decision{enabled: en, chosen: next, current: current})
		s.step(next, store)
		current = next
	}
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// explore calls play for every schedule within the preemption bound,
// depth first: each schedule is the default after some prefix of choices,
// and each is played exactly once. play returns the schedule's decisions.
func explore(bound int, play func(choices []int) []decision) int {
	var walk func(prefix []int, preemptions int) int
	walk = func(prefix []int, preemptions int) int {
		trace := play(prefix)
		runs := 1
		used := preemptions
		for i := len(prefix); i < len(trace); i++ {
			d := trace[i]
			for _, alt := range d.enabled {
				if alt == d.chosen {
					continue
				}
				cost := used
				if d.preempts(alt) {
					cost++
				}
				if cost > bound {
					continue
				}
				next := make([]int, i, i+1)
				for j := range i {
					next[j] = trace[j].chosen
				}
				runs += walk(append(next, alt), cost)
			}
			if d.preempts(d.chosen) {
				used++
			}
		}
		return runs
	}
	return walk(nil, 0)
}
