package main

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/dev/testimg"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
)

// Races the S3 events cannot order: the memS3 hook plays another event in
// full at one of the handler's S3 calls. A newer version or a deletion
// always wins.
func TestRacesEndWithTheCurrentUpload(t *testing.T) {
	photoA := jpg(t, testimg.Quadrants(400, 300))
	photoB := jpg(t, testimg.Quadrants(300, 400))
	tests := []struct {
		name string
		// at is the call of A's invocation during which the other event
		// happens and is handled.
		at       string
		other    func(store *memS3) json.RawMessage
		wantETag string // "" means no thumbnails at all
	}{
		{
			// A read version A, B was uploaded and its thumbnails written,
			// then A's writes landed last.
			name: "an older upload's late writes", at: "PUT thumbnails/256/ada.jpg",
			other: func(store *memS3) json.RawMessage {
				store.add(bucket, "uploads/ada.jpg", "vB", photoB)
				return s3Event(t, "ObjectCreated:Put", "uploads/ada.jpg", int64(len(photoB)), "vB")
			},
			wantETag: "vB",
		},
		{
			// The deletion's clean-up ran between A's read and A's writes.
			name: "a deletion during the creation", at: "PUT thumbnails/256/ada.jpg",
			other: func(store *memS3) json.RawMessage {
				store.remove(bucket, "uploads/ada.jpg")
				return s3Event(t, "ObjectRemoved:Delete", "uploads/ada.jpg", 0, "")
			},
		},
		{
			name: "a deletion before the read", at: "GET uploads/ada.jpg",
			other: func(store *memS3) json.RawMessage {
				store.remove(bucket, "uploads/ada.jpg")
				return s3Event(t, "ObjectRemoved:Delete", "uploads/ada.jpg", 0, "")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newMemS3()
			store.add(bucket, "uploads/ada.jpg", "vA", photoA)
			h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
			fired := false
			store.fail = func(op, _, key string) error {
				if !fired && op+" "+key == tt.at {
					fired = true
					// The other event runs to its end first; fired keeps
					// the hook out of its calls.
					if _, err := h.Handle(context.Background(), tt.other(store)); err != nil {
						t.Fatalf("the other event: %v", err)
					}
				}
				return nil
			}
			if _, err := h.Handle(context.Background(), s3Event(t, "ObjectCreated:Put", "uploads/ada.jpg", int64(len(photoA)), "vA")); err != nil {
				t.Fatal(err)
			}
			if !fired {
				t.Fatalf("the race at %q never happened: calls %q", tt.at, store.calls)
			}
			checkMadeFrom(t, store, "ada.jpg", tt.wantETag)
		})
	}
}

// checkMadeFrom checks that rel has thumbnails of every size made from
// etag, or, for "", none and no skip record.
func checkMadeFrom(t *testing.T, store *memS3, rel, etag string) {
	t.Helper()
	for _, size := range []string{"256", "64"} {
		o, ok := store.object(bucket, "thumbnails/"+size+"/"+rel)
		switch {
		case etag == "" && ok:
			t.Errorf("%s px thumbnail of a deleted upload, made from %s", size, o.metadata[metaSourceETag])
		case etag != "" && (!ok || o.metadata[metaSourceETag] != etag):
			t.Errorf("%s px thumbnail present %v, made from %q; want it made from %s", size, ok, o.metadata[metaSourceETag], etag)
		}
	}
	if etag == "" && len(store.keys(bucket, "thumbnail-skips/")) > 0 {
		t.Errorf("skip records %q of a deleted upload", store.keys(bucket, "thumbnail-skips/"))
	}
}

// Lifecycle rules delete uploads too; their events reach the function,
// which checks that the upload is really gone (expiring an old version
// leaves the current one).
func TestLifecycleExpiration(t *testing.T) {
	photo := jpg(t, testimg.Quadrants(400, 300))
	for _, tt := range []struct {
		eventName string
		gone      bool
	}{
		{"LifecycleExpiration:Delete", true},
		{"LifecycleExpiration:DeleteMarkerCreated", true},
		{"LifecycleExpiration:Delete", false}, // a noncurrent version expired
	} {
		t.Run(tt.eventName, func(t *testing.T) {
			store := newMemS3()
			store.add(bucket, "uploads/ada.jpg", "v1", photo)
			h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
			if _, err := h.Handle(context.Background(), s3Event(t, "ObjectCreated:Put", "uploads/ada.jpg", int64(len(photo)), "v1")); err != nil {
				t.Fatal(err)
			}
			want := "v1"
			if tt.gone {
				store.remove(bucket, "uploads/ada.jpg")
				want = ""
			}
			if _, err := h.Handle(context.Background(), s3Event(t, tt.eventName, "uploads/ada.jpg", 0, "")); err != nil {
				t.Fatal(err)
			}
			checkMadeFrom(t, store, "ada.jpg", want)
		})
	}
}

// Skip records say which bucket, key, ETag and size failed and why: they
// stay out of the thumbnail prefix, which the site serves.
func TestSkipRecordsStayPrivate(t *testing.T) {
	store := newMemS3()
	store.add(bucket, "uploads/notes.jpg", "v1", []byte("not a picture"))
	h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
	if _, err := h.Handle(context.Background(), s3Event(t, "ObjectCreated:Put", "uploads/notes.jpg", 13, "v1")); err != nil {
		t.Fatal(err)
	}
	if public := store.keys(bucket, "thumbnails/"); len(public) != 0 {
		t.Fatalf("written under the public thumbnail prefix: %q", public)
	}
	checkSkipRecord(t, store, "thumbnail-skips/notes.jpg.json", "uploads/notes.jpg", "v1", reasonUnsupported)
}

// A picture replaced by something that is not one stops showing the old
// picture.
func TestReplacedByANonPicture(t *testing.T) {
	store := newMemS3()
	photo := jpg(t, testimg.Quadrants(400, 300))
	store.add(bucket, "uploads/ada.jpg", "v1", photo)
	h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
	for _, ev := range []json.RawMessage{
		s3Event(t, "ObjectCreated:Put", "uploads/ada.jpg", int64(len(photo)), "v1"),
		func() json.RawMessage {
			store.add(bucket, "uploads/ada.jpg", "v2", []byte("text"))
			return s3Event(t, "ObjectCreated:Put", "uploads/ada.jpg", 4, "v2")
		}(),
	} {
		if _, err := h.Handle(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
	}
	if got := store.keys(bucket, "thumbnails/"); len(got) != 0 {
		t.Fatalf("thumbnails %q of the picture the upload no longer is", got)
	}
	checkSkipRecord(t, store, "thumbnail-skips/ada.jpg.json", "uploads/ada.jpg", "v2", reasonUnsupported)
}

// Taking a size out of SIZES leaves its thumbnails behind until a sweep
// (which the component sends on the deployment) or the upload's deletion
// removes them.
func TestRetiredSizes(t *testing.T) {
	photo := jpg(t, testimg.Quadrants(400, 300))
	// setup makes thumbnails in 256 and 64 px, leaves a skip record where
	// earlier versions kept them, then configures 128 px only.
	setup := func(t *testing.T) (*memS3, *Handler) {
		t.Helper()
		store := newMemS3()
		h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
		for _, name := range []string{"ada.jpg", "bob.jpg"} {
			store.add(bucket, "uploads/"+name, "v1", photo)
			if _, err := h.Handle(context.Background(), s3Event(t, "ObjectCreated:Put", "uploads/"+name, int64(len(photo)), "v1")); err != nil {
				t.Fatal(err)
			}
		}
		store.add(bucket, "thumbnails/_skipped/old.jpg.json", "x", []byte("{}"))
		store.add(bucket, "thumbnails/about.html", "x", []byte("not ours"))
		h.Config.Specs = []thumbnail.Spec{{Size: 128, Format: thumbnail.FormatAuto, Quality: 80}}
		return store, h
	}
	t.Run("a deleted upload leaves nothing in any size", func(t *testing.T) {
		store, h := setup(t)
		store.remove(bucket, "uploads/ada.jpg")
		if _, err := h.Handle(context.Background(), s3Event(t, "ObjectRemoved:Delete", "uploads/ada.jpg", 0, "")); err != nil {
			t.Fatal(err)
		}
		if got := store.keys(bucket, "thumbnails/"); slices.ContainsFunc(got, func(k string) bool { return strings.HasSuffix(k, "/ada.jpg") }) {
			t.Fatalf("thumbnails of the deleted upload remain: %q", got)
		}
	})
	t.Run("a sweep deletes the retired sizes and the old skip records", func(t *testing.T) {
		store, h := setup(t)
		out, err := h.Handle(context.Background(), json.RawMessage(`{"sweep":"retired-sizes","sizes":"128"}`))
		if err != nil {
			t.Fatal(err)
		}
		res := out.(SweepResult)
		want := []string{"thumbnails/about.html"}
		if got := store.keys(bucket, "thumbnails/"); !slices.Equal(got, want) || res.Deleted != 5 || !res.Done {
			t.Fatalf("after the sweep %q, result %+v; want %q, 5 deleted", got, res, want)
		}
	})
	for _, bad := range []string{`{"sweep":"retired-sizes","sizes":"256,64"}`, `{"sweep":"everything"}`} {
		t.Run("refused: "+bad, func(t *testing.T) {
			store, h := setup(t)
			before := store.keys(bucket, "thumbnails/")
			if _, err := h.Handle(context.Background(), json.RawMessage(bad)); err == nil {
				t.Fatal("accepted")
			}
			if after := store.keys(bucket, "thumbnails/"); !slices.Equal(after, before) {
				t.Fatalf("a refused sweep deleted %q", after)
			}
		})
	}
}

// With KEEP_AFTER_UPLOAD_DELETED the thumbnails of a deleted upload stay,
// however the function learns of the deletion.
func TestKeepDeleted(t *testing.T) {
	photo := jpg(t, testimg.Quadrants(400, 300))
	for _, eventName := range []string{"ObjectRemoved:Delete", "LifecycleExpiration:Delete", "ObjectCreated:Put"} {
		t.Run(eventName, func(t *testing.T) {
			store := newMemS3()
			store.add(bucket, "uploads/ada.jpg", "v1", photo)
			cfg := testConfig(thumbnail.FormatAuto)
			cfg.KeepDeleted = true
			h := newTestHandler(store, cfg)
			if _, err := h.Handle(context.Background(), s3Event(t, "ObjectCreated:Put", "uploads/ada.jpg", int64(len(photo)), "v1")); err != nil {
				t.Fatal(err)
			}
			store.remove(bucket, "uploads/ada.jpg")
			store.calls = nil
			// A late creation event of another version sees the upload gone.
			if _, err := h.Handle(context.Background(), s3Event(t, eventName, "uploads/ada.jpg", int64(len(photo)), "v2")); err != nil {
				t.Fatal(err)
			}
			if n := store.count("DELETE"); n != 0 {
				t.Fatalf("%d deletions, want the thumbnails kept", n)
			}
			checkMadeFrom(t, store, "ada.jpg", "v1")
		})
	}
}
