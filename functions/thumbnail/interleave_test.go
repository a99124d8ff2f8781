//go:build !race

// Under the race detector the SDK's calls run about seven times slower, and
// the thousands of schedules would take minutes: the scheduler was run under
// it once, and CI runs this test in tests/run.sh's step without it.

package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/gopherstack/serverless-arch/dev/testimg"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
)

const interleavedKey = "uploads/race.jpg"

// interleaveBound is the preemption bound of TestInterleavings: 1 in every
// run (3,437 schedules), 2 on demand (40,763; four minutes on two cores):
//
//	go test ./functions/thumbnail -run TestInterleavings -interleave-bound 2
var interleaveBound = flag.Int("interleave-bound", 1, "preemption bound of TestInterleavings")

// version is one content of the upload: its bytes and what the pipeline
// must make of them.
type version struct {
	name  string
	data  []byte
	thumb map[string][]byte // thumbnail key -> bytes; nil for a skip
}

// TestInterleavings runs the function against the S3 emulator for every
// order of three events on one key (upload A, upload B, delete), with the
// S3 reads and writes of the three invocations interleaved every way that
// switches away from a runnable invocation at most interleaveBound times,
// events arriving in any order: an invocation can be stopped between any
// two of its S3 calls while an upload, a deletion and the other
// invocations run. After each schedule the thumbnails match the upload S3
// holds (every size, made from its bytes, labelled with its ETag), or there
// are none and no skip record when it is gone.
func TestInterleavings(t *testing.T) {
	cfg := testConfig(thumbnail.FormatJPEG)
	cfg.Specs = cfg.Specs[:1] // one size keeps the schedules countable
	imageA := version{name: "A", data: jpg(t, testimg.Quadrants(48, 32))}
	imageB := version{name: "B", data: jpg(t, testimg.Quadrants(32, 48))}
	notAPicture := version{name: "B (not a picture)", data: []byte("these are my holiday notes")}
	for _, tc := range []struct {
		name string
		a, b version
	}{
		{"two pictures", imageA, imageB},
		{"a picture replaced by something else", imageA, notAPicture},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, v := range []*version{&tc.a, &tc.b} {
				v.thumb = expectedThumbnails(t, cfg, v.data)
			}
			runs := explore(*interleaveBound, func(choices []int) []decision {
				return playInterleaving(t, cfg, tc.a, tc.b, choices)
			})
			t.Logf("%d schedules with at most %d preemptions", runs, *interleaveBound)
		})
	}
}

// expectedThumbnails are what the function makes of data, keyed as it
// writes them; nil when data cannot have thumbnails.
func expectedThumbnails(t *testing.T, cfg Config, data []byte) map[string][]byte {
	outs, err := thumbnail.Generate(data, cfg.Specs, cfg.Limits)
	if err != nil {
		return nil
	}
	h := &Handler{Config: cfg}
	m := map[string][]byte{}
	for _, o := range outs {
		m[h.thumbnailKey(strings.TrimPrefix(interleavedKey, cfg.UploadPrefix), o.Spec.Size)] = o.Data
	}
	return m
}

// playInterleaving plays one schedule on a fresh emulator and checks the
// end state.
func playInterleaving(t *testing.T, cfg Config, a, b version, choices []int) []decision {
	t.Helper()
	client, err := emulator(bucket)
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{Config: cfg, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	put := func(v version) *actor {
		return &actor{name: "upload " + v.name, act: func() *actor {
			if _, err := client.PutObject(context.Background(), &s3.PutObjectInput{
				Bucket: aws.String(bucket), Key: aws.String(interleavedKey), Body: bytes.NewReader(v.data),
			}); err != nil {
				t.Fatal(err)
			}
			return invocation(h, "ObjectCreated:Put", v)
		}}
	}
	del := &actor{name: "delete", act: func() *actor {
		if _, err := client.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(interleavedKey)}); err != nil {
			t.Fatal(err)
		}
		return invocation(h, "ObjectRemoved:Delete", version{})
	}}
	s := newSchedule(nil)
	s.actors = []*actor{put(a), put(b), del}
	// The invocations join the actors as their events happen.
	for _, ua := range s.actors[:3] {
		act := ua.act
		ua.act = func() *actor {
			inv := act()
			s.actors = append(s.actors, inv)
			return inv
		}
	}
	if err := s.run(choices, client); err != nil {
		t.Fatal(err)
	}
	for _, ac := range s.actors[3:] {
		if ac.err != nil {
			t.Fatalf("%s failed after Lambda's retries: %v\nschedule: %q", ac.name, ac.err, s.calls)
		}
	}
	if problem := checkEndState(client, cfg, a, b); problem != "" {
		t.Fatalf("%s\nschedule: %q", problem, s.calls)
	}
	return s.trace
}

// invocation is the function handling the event of v (ETag and size as S3
// sends them; none for a deletion), retried twice on an error as Lambda
// retries an asynchronous event.
func invocation(h *Handler, eventName string, v version) *actor {
	ev := events.S3Event{Records: []events.S3EventRecord{{EventSource: "aws:s3", EventName: eventName,
		S3: events.S3Entity{Bucket: events.S3Bucket{Name: bucket}, Object: events.S3Object{Key: interleavedKey}}}}}
	if v.data != nil {
		ev.Records[0].S3.Object.ETag, ev.Records[0].S3.Object.Size = md5hex(v.data), int64(len(v.data))
	}
	raw, _ := json.Marshal(ev)
	return &actor{name: fmt.Sprintf("function(%s %s)", eventName, v.name), run: func(store ObjectStore) error {
		inv := *h
		inv.S3 = store
		var err error
		for range 3 {
			if _, err = inv.Handle(context.Background(), raw); err == nil {
				return nil
			}
		}
		return err
	}}
}

// checkEndState returns what is wrong with the emulator's content, or "".
func checkEndState(client *s3.Client, cfg Config, a, b version) string {
	ctx := context.Background()
	var current *version
	if head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(interleavedKey)}); err == nil {
		for _, v := range []*version{&a, &b} {
			if unquote(aws.ToString(head.ETag)) == md5hex(v.data) {
				current = v
			}
		}
	}
	made := map[string]bool{}
	for _, prefix := range []string{cfg.Prefix, cfg.SkipPrefix} {
		out, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
		if err != nil {
			return err.Error()
		}
		for _, o := range out.Contents {
			made[aws.ToString(o.Key)] = true
		}
	}
	var want []string
	switch {
	case current == nil:
	case current.thumb == nil:
		want = []string{cfg.SkipPrefix + strings.TrimPrefix(interleavedKey, cfg.UploadPrefix) + ".json"}
	default:
		for k := range current.thumb {
			want = append(want, k)
		}
	}
	got := slices.Sorted(func(yield func(string) bool) {
		for k := range made {
			if !yield(k) {
				return
			}
		}
	})
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return fmt.Sprintf("upload is %s; the pipeline's objects are %q, want %q", nameOf(current), got, want)
	}
	for _, k := range want {
		out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)})
		if err != nil {
			return err.Error()
		}
		data, _ := io.ReadAll(out.Body)
		out.Body.Close()
		if out.Metadata[metaSourceETag] != md5hex(current.data) || (current.thumb != nil && !bytes.Equal(data, current.thumb[k])) {
			return fmt.Sprintf("upload is %s; %s is labelled %s and made from other bytes %v", nameOf(current), k,
				out.Metadata[metaSourceETag], current.thumb != nil && !bytes.Equal(data, current.thumb[k]))
		}
	}
	return ""
}

func nameOf(v *version) string {
	if v == nil {
		return "deleted"
	}
	return v.name
}

// md5hex is the ETag S3 gives a single-part upload of data.
func md5hex(data []byte) string {
	sum := md5.Sum(data)
	return hex.EncodeToString(sum[:])
}
