package blocks

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// CloudFrontServicePrincipal is the principal CloudFront signs origin
// requests as when it uses an origin access control (OAC).
const CloudFrontServicePrincipal = "cloudfront.amazonaws.com"

// AllowCloudFrontRead is the bucket-policy statement that lets the given
// CloudFront distributions, and only them, read objects through an origin
// access control: s3:GetObject for the CloudFront service principal, on
// condition that the request's aws:SourceArn is one of distributionArns.
// Without that condition any distribution in any account could read the
// bucket.
//
// Give it to Bucket.AttachPolicy of every bucket a distribution reads, e.g.
// a thumbnail bucket served under /thumbnails/* of a StaticSite:
//
//	thumbs.AttachPolicy(ctx, blocks.AllowCloudFrontRead(thumbs.ObjectsArn(""), site.DistributionArn))
func AllowCloudFrontRead(objectsArn pulumi.StringInput, distributionArns ...pulumi.StringInput) Statement {
	return allowCloudFront("AllowCloudFrontRead", "s3:GetObject", objectsArn, distributionArns)
}

// AllowCloudFrontList lets the given distributions list the bucket, so that
// S3 answers a request for a missing object with 404 Not Found instead of
// 403 Access Denied (S3 hides whether a key exists from those who may not
// list). Add it only where a distribution maps 404 to an error page.
func AllowCloudFrontList(bucketArn pulumi.StringInput, distributionArns ...pulumi.StringInput) Statement {
	return allowCloudFront("AllowCloudFrontList", "s3:ListBucket", bucketArn, distributionArns)
}

// allowCloudFront is the statement sid granting action on resource to
// CloudFront's service principal on behalf of distributionArns only: their
// ARN must be the request's AWS:SourceArn, or any distribution in any
// account would be granted it too.
func allowCloudFront(sid, action string, resource pulumi.StringInput, distributionArns []pulumi.StringInput) Statement {
	return Statement{
		Sid:        sid,
		Principal:  ServicePrincipal(CloudFrontServicePrincipal),
		Actions:    []string{action},
		Resources:  pulumi.StringArray{resource},
		Conditions: map[string]map[string]pulumi.StringArrayInput{"StringEquals": {"AWS:SourceArn": pulumi.StringArray(distributionArns)}},
	}
}

// AllowLogDelivery returns the bucket-policy statements that let CloudWatch
// Logs vended-log delivery (standard logging v2 of CloudFront and other
// services) write to bucket: s3:PutObject on its objects, and the ACL check
// and listing it does first, each only on behalf of account and of the
// delivery sources sourceArns.
//
// AWS would append an equivalent statement itself when the delivery is
// created, but the bucket policy is managed here, so the next update would
// remove it again: declare it.
func AllowLogDelivery(bucket *Bucket, account pulumi.StringInput, sourceArns ...pulumi.StringInput) []Statement {
	cond := func(extra map[string]pulumi.StringArrayInput) map[string]map[string]pulumi.StringArrayInput {
		eq := map[string]pulumi.StringArrayInput{"aws:SourceAccount": pulumi.StringArray{account}}
		for k, v := range extra {
			eq[k] = v
		}
		return map[string]map[string]pulumi.StringArrayInput{
			"StringEquals": eq,
			"ArnLike":      {"aws:SourceArn": pulumi.StringArray(sourceArns)},
		}
	}
	principal := ServicePrincipal("delivery.logs.amazonaws.com")
	return []Statement{{
		Sid:        "AWSLogDeliveryAclCheck",
		Principal:  principal,
		Actions:    []string{"s3:GetBucketAcl", "s3:ListBucket"},
		Resources:  pulumi.StringArray{bucket.Arn()},
		Conditions: cond(nil),
	}, {
		Sid:        "AWSLogDeliveryWrite",
		Principal:  principal,
		Actions:    []string{"s3:PutObject"},
		Resources:  pulumi.StringArray{bucket.ObjectsArn("")},
		Conditions: cond(map[string]pulumi.StringArrayInput{"s3:x-amz-acl": pulumi.StringArray{pulumi.String("bucket-owner-full-control")}}),
	}}
}

// AllowCloudFrontDecrypt is the key-policy statement that lets the given
// distributions, and only them, decrypt objects of an SSE-KMS bucket they
// read through an origin access control: S3 decrypts with the requester's
// permission, and CloudFront's service principal has no IAM policy, so the
// key policy must name it. An AWS managed key (aws/s3) cannot serve such a
// bucket: its policy cannot be changed.
func AllowCloudFrontDecrypt(distributionArns ...pulumi.StringInput) Statement {
	return allowCloudFront("AllowCloudFrontDecrypt", "kms:Decrypt", pulumi.String("*"), distributionArns)
}

// AccountKeyAdmin is the key-policy statement of KMS's default key policy:
// the account may use and manage the key as its IAM policies allow. Keep it
// in every key policy you write, or the key can become unmanageable.
func AccountKeyAdmin(account pulumi.StringInput) Statement {
	return Statement{
		Sid:       "EnableIAMUserPermissions",
		Principal: pulumi.Map{"AWS": pulumi.Sprintf("arn:aws:iam::%s:root", account)},
		Actions:   []string{"kms:*"},
		Resources: pulumi.StringArray{pulumi.String("*")},
	}
}
