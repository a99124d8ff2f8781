package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// StreamReader is the part of the DynamoDB Streams client a re-drive of
// failure records uses: the same reads the event-source mapping makes.
type StreamReader interface {
	GetShardIterator(ctx context.Context, in *dynamodbstreams.GetShardIteratorInput, optFns ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetShardIteratorOutput, error)
	GetRecords(ctx context.Context, in *dynamodbstreams.GetRecordsInput, optFns ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetRecordsOutput, error)
}

// FailureRecord is what a DynamoDB stream mapping sends to its on-failure
// destination when it gives up on records: where they are, not what they
// say. Condition is RetryAttemptsExhausted or RecordAgeExceeded.
type FailureRecord struct {
	RequestContext struct {
		Condition              string `json:"condition"`
		ApproximateInvokeCount int    `json:"approximateInvokeCount"`
	} `json:"requestContext"`
	Batch StreamBatchInfo `json:"DDBStreamBatchInfo"`
}

// StreamBatchInfo locates the records of a failure record in the stream.
type StreamBatchInfo struct {
	ShardID             string `json:"shardId"`
	StartSequenceNumber string `json:"startSequenceNumber"`
	EndSequenceNumber   string `json:"endSequenceNumber"`
	BatchSize           int    `json:"batchSize"`
	StreamArn           string `json:"streamArn"`
}

// ParseFailureRecord decodes an on-failure message body and checks that it
// names a range of a stream.
func ParseFailureRecord(body string) (FailureRecord, error) {
	var r FailureRecord
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return FailureRecord{}, fmt.Errorf("decoding failure record: %w", err)
	}
	b := r.Batch
	switch {
	case b.ShardID == "" || b.StreamArn == "":
		return FailureRecord{}, errors.New("failure record has no DDBStreamBatchInfo with a shardId and a streamArn")
	case !isSequenceNumber(b.StartSequenceNumber) || !isSequenceNumber(b.EndSequenceNumber):
		return FailureRecord{}, fmt.Errorf("failure record has sequence numbers %q and %q, want decimal numbers", b.StartSequenceNumber, b.EndSequenceNumber)
	case seqLess(b.EndSequenceNumber, b.StartSequenceNumber):
		return FailureRecord{}, fmt.Errorf("failure record ends (%s) before it starts (%s)", b.EndSequenceNumber, b.StartSequenceNumber)
	}
	return r, nil
}

// isSequenceNumber reports a decimal number of at most 40 digits, as stream
// sequence numbers are.
func isSequenceNumber(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// seqLess compares two sequence numbers as the numbers they are.
func seqLess(a, b string) bool {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// maxEmptyPages bounds the empty answers GetRecords may give before the
// range is reached; a range that never comes was trimmed.
const maxEmptyPages = 5

// readRange reads the records from the batch's first to its last sequence
// number, as the mapping delivered them. Records older than the stream's
// 24-hour retention are gone: the error says so.
func readRange(ctx context.Context, sr StreamReader, b StreamBatchInfo) ([]events.DynamoDBEventRecord, error) {
	it, err := sr.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{
		StreamArn:         aws.String(b.StreamArn),
		ShardId:           aws.String(b.ShardID),
		ShardIteratorType: streamtypes.ShardIteratorTypeAtSequenceNumber,
		SequenceNumber:    aws.String(b.StartSequenceNumber),
	})
	if err != nil {
		return nil, fmt.Errorf("reading shard %s of %s from %s (records older than 24 hours are trimmed): %w",
			b.ShardID, b.StreamArn, b.StartSequenceNumber, err)
	}
	var out []events.DynamoDBEventRecord
	iter := it.ShardIterator
	for empty := 0; iter != nil && empty < maxEmptyPages; {
		page, err := sr.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: iter, Limit: aws.Int32(1000)})
		if err != nil {
			return nil, fmt.Errorf("reading records of shard %s: %w", b.ShardID, err)
		}
		if len(page.Records) == 0 {
			empty++
		}
		for _, r := range page.Records {
			if r.Dynamodb == nil {
				continue
			}
			seq := aws.ToString(r.Dynamodb.SequenceNumber)
			if seqLess(b.EndSequenceNumber, seq) {
				return out, nil
			}
			out = append(out, eventRecord(r, b.StreamArn))
		}
		iter = page.NextShardIterator
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("shard %s holds no records from %s on: trimmed after 24 hours", b.ShardID, b.StartSequenceNumber)
	}
	return out, nil
}

// eventRecord converts a record read from the stream to the form the
// mapping delivers.
func eventRecord(r streamtypes.Record, streamArn string) events.DynamoDBEventRecord {
	d := r.Dynamodb
	rec := events.DynamoDBEventRecord{
		AWSRegion:      aws.ToString(r.AwsRegion),
		EventID:        aws.ToString(r.EventID),
		EventName:      string(r.EventName),
		EventSource:    aws.ToString(r.EventSource),
		EventVersion:   aws.ToString(r.EventVersion),
		EventSourceArn: streamArn,
		Change: events.DynamoDBStreamRecord{
			Keys:           streamImage(d.Keys),
			NewImage:       streamImage(d.NewImage),
			OldImage:       streamImage(d.OldImage),
			SequenceNumber: aws.ToString(d.SequenceNumber),
			SizeBytes:      aws.ToInt64(d.SizeBytes),
			StreamViewType: string(d.StreamViewType),
		},
	}
	if d.ApproximateCreationDateTime != nil {
		rec.Change.ApproximateCreationDateTime = events.SecondsEpochTime{Time: *d.ApproximateCreationDateTime}
	}
	return rec
}

func streamImage(m map[string]streamtypes.AttributeValue) map[string]events.DynamoDBAttributeValue {
	if m == nil {
		return nil
	}
	out := make(map[string]events.DynamoDBAttributeValue, len(m))
	for k, v := range m {
		out[k] = streamValue(v)
	}
	return out
}

func streamValue(v streamtypes.AttributeValue) events.DynamoDBAttributeValue {
	switch v := v.(type) {
	case *streamtypes.AttributeValueMemberS:
		return events.NewStringAttribute(v.Value)
	case *streamtypes.AttributeValueMemberN:
		return events.NewNumberAttribute(v.Value)
	case *streamtypes.AttributeValueMemberB:
		return events.NewBinaryAttribute(v.Value)
	case *streamtypes.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(v.Value)
	case *streamtypes.AttributeValueMemberSS:
		return events.NewStringSetAttribute(v.Value)
	case *streamtypes.AttributeValueMemberNS:
		return events.NewNumberSetAttribute(v.Value)
	case *streamtypes.AttributeValueMemberBS:
		return events.NewBinarySetAttribute(v.Value)
	case *streamtypes.AttributeValueMemberL:
		list := make([]events.DynamoDBAttributeValue, len(v.Value))
		for i, e := range v.Value {
			list[i] = streamValue(e)
		}
		return events.NewListAttribute(list)
	case *streamtypes.AttributeValueMemberM:
		return events.NewMapAttribute(streamImage(v.Value))
	}
	return events.NewNullAttribute()
}
