package local

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// snapshotItem is an item as one poll saw it: its stream image, and its
// canonical JSON for telling whether it changed.
type snapshotItem struct {
	image     map[string]events.DynamoDBAttributeValue
	canonical []byte
}

func (f *StreamFeeder) record(op events.DynamoDBOperationType, oldImage, newImage map[string]events.DynamoDBAttributeValue) events.DynamoDBEventRecord {
	f.sequence++
	image := newImage
	if image == nil {
		image = oldImage
	}
	keys := map[string]events.DynamoDBAttributeValue{}
	for _, k := range f.keys {
		keys[k] = image[k]
	}
	size, _ := json.Marshal(image)
	seq := fmt.Sprintf("1%020d", f.sequence) // 21 digits, as DynamoDB Streams uses
	return events.DynamoDBEventRecord{
		AWSRegion:      f.Region,
		EventID:        requestID(),
		EventName:      string(op),
		EventSource:    "aws:dynamodb",
		EventVersion:   "1.1",
		EventSourceArn: f.streamArn,
		Change: events.DynamoDBStreamRecord{
			ApproximateCreationDateTime: events.SecondsEpochTime{Time: time.Now().Truncate(time.Second)},
			Keys:                        keys,
			NewImage:                    newImage,
			OldImage:                    oldImage,
			SequenceNumber:              seq,
			SizeBytes:                   int64(len(size)),
			StreamViewType:              string(events.DynamoDBStreamViewTypeNewAndOldImages),
		},
	}
}

// scan reads the whole table, keyed by the item's key attributes.
func (f *StreamFeeder) scan(ctx context.Context) (map[string]snapshotItem, error) {
	out := map[string]snapshotItem{}
	var start map[string]types.AttributeValue
	for {
		page, err := f.DB.Scan(ctx, &dynamodb.ScanInput{
			TableName: aws.String(f.Table), ConsistentRead: aws.Bool(true), ExclusiveStartKey: start,
		})
		if err != nil {
			return nil, fmt.Errorf("scanning %s: %w", f.Table, err)
		}
		for _, item := range page.Items {
			image, err := streamImage(item)
			if err != nil {
				return nil, fmt.Errorf("scanning %s: %w", f.Table, err)
			}
			canonical, err := json.Marshal(image)
			if err != nil {
				return nil, err
			}
			var key strings.Builder
			for _, k := range f.keys {
				kb, _ := json.Marshal(image[k])
				key.Write(kb)
				key.WriteByte(0)
			}
			out[key.String()] = snapshotItem{image: image, canonical: canonical}
		}
		if len(page.LastEvaluatedKey) == 0 {
			return out, nil
		}
		start = page.LastEvaluatedKey
	}
}

// streamImage converts an item from the SDK's types to a stream image.
func streamImage(item map[string]types.AttributeValue) (map[string]events.DynamoDBAttributeValue, error) {
	out := make(map[string]events.DynamoDBAttributeValue, len(item))
	for k, v := range item {
		a, err := streamValue(v)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", k, err)
		}
		out[k] = a
	}
	return out, nil
}

func streamValue(v types.AttributeValue) (events.DynamoDBAttributeValue, error) {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return events.NewStringAttribute(v.Value), nil
	case *types.AttributeValueMemberN:
		return events.NewNumberAttribute(v.Value), nil
	case *types.AttributeValueMemberB:
		return events.NewBinaryAttribute(v.Value), nil
	case *types.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(v.Value), nil
	case *types.AttributeValueMemberNULL:
		return events.NewNullAttribute(), nil
	case *types.AttributeValueMemberSS:
		return events.NewStringSetAttribute(v.Value), nil
	case *types.AttributeValueMemberNS:
		return events.NewNumberSetAttribute(v.Value), nil
	case *types.AttributeValueMemberBS:
		return events.NewBinarySetAttribute(v.Value), nil
	case *types.AttributeValueMemberL:
		list := make([]events.DynamoDBAttributeValue, len(v.Value))
		for i, e := range v.Value {
			a, err := streamValue(e)
			if err != nil {
				return events.DynamoDBAttributeValue{}, err
			}
			list[i] = a
		}
		return events.NewListAttribute(list), nil
	case *types.AttributeValueMemberM:
		m, err := streamImage(v.Value)
		if err != nil {
			return events.DynamoDBAttributeValue{}, err
		}
		return events.NewMapAttribute(m), nil
	}
	return events.DynamoDBAttributeValue{}, fmt.Errorf("unsupported attribute type %T", v)
}
