package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// memObject is one object in memS3.
type memObject struct {
	data         []byte
	etag         string // without quotes
	contentType  string
	cacheControl string
	metadata     map[string]string
}

// memS3 is an in-memory ObjectStore that answers like S3 does: NoSuchKey from
// GetObject, NotFound from HeadObject, PreconditionFailed for a failed
// If-Match. fail, when set, can make any call fail first.
type memS3 struct {
	mu      sync.Mutex
	objects map[string]*memObject // "bucket/key"
	calls   []string              // "GET bucket/key", "HEAD ...", "PUT ...", "DELETE ..."
	fail    func(op, bucket, key string) error
}

func newMemS3() *memS3 { return &memS3{objects: map[string]*memObject{}} }

// add stores an upload with the ETag its event will carry.
func (m *memS3) add(bucket, key, etag string, data []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.objects[bucket+"/"+key] = &memObject{data: data, etag: etag}
}

// remove deletes an upload, as its owner would.
func (m *memS3) remove(bucket, key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.objects, bucket+"/"+key)
}

func (m *memS3) object(bucket, key string) (memObject, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.objects[bucket+"/"+key]
	if !ok {
		return memObject{}, false
	}
	return *o, true
}

// keys returns the keys stored in bucket under prefix.
func (m *memS3) keys(bucket, prefix string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for k := range m.objects {
		if rest, ok := strings.CutPrefix(k, bucket+"/"); ok && strings.HasPrefix(rest, prefix) {
			out = append(out, rest)
		}
	}
	slices.Sort(out)
	return out
}

// count returns how many calls of op were made.
func (m *memS3) count(op string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, c := range m.calls {
		if strings.HasPrefix(c, op+" ") {
			n++
		}
	}
	return n
}

func (m *memS3) enter(op string, bucket, key *string) error {
	m.mu.Lock()
	m.calls = append(m.calls, op+" "+aws.ToString(bucket)+"/"+aws.ToString(key))
	fail := m.fail
	m.mu.Unlock()
	if fail != nil {
		return fail(op, aws.ToString(bucket), aws.ToString(key))
	}
	return nil
}

func (m *memS3) GetObject(_ context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	if err := m.enter("GET", in.Bucket, in.Key); err != nil {
		return nil, err
	}
	o, ok := m.object(aws.ToString(in.Bucket), aws.ToString(in.Key))
	if !ok {
		return nil, &types.NoSuchKey{Message: aws.String("The specified key does not exist.")}
	}
	if in.IfMatch != nil && *in.IfMatch != `"`+o.etag+`"` {
		return nil, &smithy.GenericAPIError{Code: "PreconditionFailed", Message: "At least one of the pre-conditions you specified did not hold"}
	}
	return &s3.GetObjectOutput{
		Body: io.NopCloser(bytes.NewReader(o.data)), ContentLength: aws.Int64(int64(len(o.data))),
		ETag: aws.String(`"` + o.etag + `"`), Metadata: o.metadata,
	}, nil
}

func (m *memS3) HeadObject(_ context.Context, in *s3.HeadObjectInput, _ ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	if err := m.enter("HEAD", in.Bucket, in.Key); err != nil {
		return nil, err
	}
	o, ok := m.object(aws.ToString(in.Bucket), aws.ToString(in.Key))
	if !ok {
		return nil, &types.NotFound{}
	}
	return &s3.HeadObjectOutput{
		ContentLength: aws.Int64(int64(len(o.data))), ETag: aws.String(`"` + o.etag + `"`),
		ContentType: aws.String(o.contentType), CacheControl: aws.String(o.cacheControl), Metadata: o.metadata,
	}, nil
}

func (m *memS3) PutObject(_ context.Context, in *s3.PutObjectInput, _ ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	if err := m.enter("PUT", in.Bucket, in.Key); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(in.Body)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.objects[aws.ToString(in.Bucket)+"/"+aws.ToString(in.Key)] = &memObject{
		data: data, etag: fmt.Sprintf("%x", len(data)), contentType: aws.ToString(in.ContentType),
		cacheControl: aws.ToString(in.CacheControl), metadata: in.Metadata,
	}
	return &s3.PutObjectOutput{}, nil
}

func (m *memS3) DeleteObject(_ context.Context, in *s3.DeleteObjectInput, _ ...func(*s3.Options)) (*s3.DeleteObjectOutput, error) {
	if err := m.enter("DELETE", in.Bucket, in.Key); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.objects, aws.ToString(in.Bucket)+"/"+aws.ToString(in.Key))
	return &s3.DeleteObjectOutput{}, nil
}

// ListObjectsV2 lists in one page, with common prefixes for a delimiter.
func (m *memS3) ListObjectsV2(_ context.Context, in *s3.ListObjectsV2Input, _ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	if err := m.enter("LIST", in.Bucket, in.Prefix); err != nil {
		return nil, err
	}
	prefix, delim := aws.ToString(in.Prefix), aws.ToString(in.Delimiter)
	out := &s3.ListObjectsV2Output{}
	seen := map[string]bool{}
	for _, k := range m.keys(aws.ToString(in.Bucket), prefix) {
		rest := strings.TrimPrefix(k, prefix)
		if i := strings.Index(rest, delim); delim != "" && i >= 0 {
			if cp := prefix + rest[:i+len(delim)]; !seen[cp] {
				seen[cp] = true
				out.CommonPrefixes = append(out.CommonPrefixes, types.CommonPrefix{Prefix: aws.String(cp)})
			}
			continue
		}
		out.Contents = append(out.Contents, types.Object{Key: aws.String(k)})
	}
	return out, nil
}

func (m *memS3) DeleteObjects(ctx context.Context, in *s3.DeleteObjectsInput, _ ...func(*s3.Options)) (*s3.DeleteObjectsOutput, error) {
	for _, o := range in.Delete.Objects {
		if _, err := m.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: in.Bucket, Key: o.Key}); err != nil {
			return nil, err
		}
	}
	return &s3.DeleteObjectsOutput{}, nil
}
