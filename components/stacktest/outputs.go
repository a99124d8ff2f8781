package stacktest

import (
	"fmt"
	"strings"
)

// mockResource is what the per-type output builders know about a resource
// being created.
type mockResource struct {
	typ     string
	logical string
	// name is the physical name: the explicit name input if the program set
	// one, else the logical name (real Pulumi would add a random suffix;
	// mocks stay deterministic).
	name    string
	region  string
	account string
	// suffix is a short deterministic hex string derived from the URN, used
	// where AWS generates identifiers.
	suffix string
	inputs map[string]any
}

func (r *mockResource) str(key string) string {
	s, _ := r.inputs[key].(string)
	return s
}

func (r *mockResource) arn(service, resource string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, r.region, r.account, resource)
}

// uuid returns a deterministic, UUID-shaped identifier.
func (r *mockResource) uuid() string {
	h := sha256Hex([]byte(r.suffix + r.logical))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// kind describes how AWS fills in a resource type's computed outputs.
type kind struct {
	// nameKey is the input that holds the physical name, if any.
	nameKey string
	// id returns the provider ID; nil means the physical name.
	id func(r *mockResource) string
	// outputs returns computed outputs, merged over the inputs.
	outputs func(r *mockResource, id string) map[string]any
}

// kinds covers the resource types the components create. A type missing
// here still works: it gets an ID and its inputs echoed back.
var kinds = map[string]kind{
	"aws:s3/bucketV2:BucketV2": {nameKey: "bucket", outputs: bucketOutputs},
	"aws:s3/bucket:Bucket":     {nameKey: "bucket", outputs: bucketOutputs},
	"aws:lambda/function:Function": {nameKey: "name", outputs: func(r *mockResource, id string) map[string]any {
		arn := r.arn("lambda", "function:"+r.name)
		return map[string]any{
			"arn":          arn,
			"qualifiedArn": arn + ":$LATEST",
			"invokeArn":    fmt.Sprintf("arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations", r.region, arn),
			"version":      "$LATEST",
		}
	}},
	"aws:lambda/alias:Alias": {nameKey: "name", outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{"arn": r.str("functionName") + ":" + r.name}
	}},
	"aws:lambda/eventSourceMapping:EventSourceMapping": {id: (*mockResource).uuid, outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{"uuid": id, "arn": r.arn("lambda", "event-source-mapping:"+id)}
	}},
	"aws:dynamodb/table:Table": {nameKey: "name", outputs: func(r *mockResource, id string) map[string]any {
		arn := r.arn("dynamodb", "table/"+r.name)
		out := map[string]any{"arn": arn}
		if enabled, _ := r.inputs["streamEnabled"].(bool); enabled {
			label := "2026-01-01T00:00:00.000"
			out["streamArn"] = arn + "/stream/" + label
			out["streamLabel"] = label
		}
		if replicas, ok := r.inputs["replicas"].([]any); ok {
			rs := make([]any, 0, len(replicas))
			for _, rep := range replicas {
				m, _ := rep.(map[string]any)
				c := copyMap(m)
				region, _ := c["regionName"].(string)
				c["arn"] = fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", region, r.account, r.name)
				c["streamArn"] = fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s/stream/2026-01-01T00:00:00.000", region, r.account, r.name)
				rs = append(rs, c)
			}
			out["replicas"] = rs
		}
		return out
	}},
	"aws:apigateway/restApi:RestApi": {nameKey: "name", id: suffixID("", 10), outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{
			"arn":            fmt.Sprintf("arn:aws:apigateway:%s::/restapis/%s", r.region, id),
			"executionArn":   r.arn("execute-api", id),
			"rootResourceId": "root" + r.suffix[:6],
		}
	}},
	"aws:apigateway/stage:Stage": {id: func(r *mockResource) string { return "ags-" + r.str("restApi") + "-" + r.str("stageName") }, outputs: func(r *mockResource, id string) map[string]any {
		api, stage := r.str("restApi"), r.str("stageName")
		return map[string]any{
			"arn":          fmt.Sprintf("arn:aws:apigateway:%s::/restapis/%s/stages/%s", r.region, api, stage),
			"executionArn": r.arn("execute-api", api+"/"+stage),
			"invokeUrl":    fmt.Sprintf("https://%s.execute-api.%s.amazonaws.com/%s", api, r.region, stage),
		}
	}},
	"aws:apigateway/resource:Resource": {id: suffixID("", 6), outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{"path": "/" + r.str("pathPart")}
	}},
	"aws:apigateway/deployment:Deployment": {id: suffixID("", 6), outputs: func(r *mockResource, id string) map[string]any {
		api := r.str("restApi")
		return map[string]any{"executionArn": r.arn("execute-api", api+"/"), "invokeUrl": fmt.Sprintf("https://%s.execute-api.%s.amazonaws.com/", api, r.region)}
	}},
	"aws:apigateway/authorizer:Authorizer": {nameKey: "name", id: suffixID("", 6), outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{"arn": fmt.Sprintf("arn:aws:apigateway:%s::/restapis/%s/authorizers/%s", r.region, r.str("restApi"), id)}
	}},
	"aws:apigateway/apiKey:ApiKey": {nameKey: "name", id: suffixID("", 10), outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{"arn": fmt.Sprintf("arn:aws:apigateway:%s::/apikeys/%s", r.region, id), "value": secretMarker}
	}},
	"aws:apigateway/usagePlan:UsagePlan": {nameKey: "name", id: suffixID("", 6), outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{"arn": fmt.Sprintf("arn:aws:apigateway:%s::/usageplans/%s", r.region, id)}
	}},
	"aws:apigateway/domainName:DomainName": {nameKey: "domainName", outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{
			"regionalDomainName": "d-" + r.suffix[:10] + ".execute-api." + r.region + ".amazonaws.com",
			"regionalZoneId":     "Z1UJRXOUMOOFQ8",
			"arn":                fmt.Sprintf("arn:aws:apigateway:%s::/domainnames/%s", r.region, r.name),
		}
	}},
	"aws:cloudfront/distribution:Distribution": {id: func(r *mockResource) string { return "E" + strings.ToUpper(r.suffix[:13]) }, outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{
			"arn":             fmt.Sprintf("arn:aws:cloudfront::%s:distribution/%s", r.account, id),
			"domainName":      "d" + r.suffix[:13] + ".cloudfront.net",
			"hostedZoneId":    "Z2FDTNDATAQYW2",
			"status":          "Deployed",
			"etag":            "ETAG" + strings.ToUpper(r.suffix[:8]),
			"callerReference": r.logical,
		}
	}},
	"aws:cloudfront/originAccessControl:OriginAccessControl":     {nameKey: "name", id: func(r *mockResource) string { return "E" + strings.ToUpper(r.suffix[:13]) }},
	"aws:cloudfront/cachePolicy:CachePolicy":                     {nameKey: "name", id: (*mockResource).uuid},
	"aws:cloudfront/originRequestPolicy:OriginRequestPolicy":     {nameKey: "name", id: (*mockResource).uuid},
	"aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": {nameKey: "name", id: (*mockResource).uuid},
	"aws:cloudfront/function:Function": {nameKey: "name", outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{"arn": fmt.Sprintf("arn:aws:cloudfront::%s:function/%s", r.account, r.name)}
	}},
	"aws:cognito/userPool:UserPool": {nameKey: "name", id: func(r *mockResource) string { return r.region + "_" + strings.ToUpper(r.suffix[:9]) }, outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{
			"arn":      r.arn("cognito-idp", "userpool/"+id),
			"endpoint": "cognito-idp." + r.region + ".amazonaws.com/" + id,
		}
	}},
	"aws:cognito/userPoolClient:UserPoolClient": {nameKey: "name", id: suffixID("", 26)},
	"aws:cognito/userPoolDomain:UserPoolDomain": {nameKey: "domain", outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{"cloudfrontDistribution": "d" + r.suffix[:13] + ".cloudfront.net"}
	}},
	"aws:cognito/identityPool:IdentityPool": {nameKey: "identityPoolName", id: func(r *mockResource) string { return r.region + ":" + r.uuid() }, outputs: idARN("cognito-identity", "identitypool/")},
	"aws:iam/role:Role": {nameKey: "name", outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{"arn": fmt.Sprintf("arn:aws:iam::%s:role/%s", r.account, r.name), "uniqueId": "AROA" + strings.ToUpper(r.suffix[:16])}
	}},
	"aws:iam/policy:Policy":         {nameKey: "name", id: func(r *mockResource) string { return fmt.Sprintf("arn:aws:iam::%s:policy/%s", r.account, r.name) }, outputs: arnIsID},
	"aws:iam/rolePolicy:RolePolicy": {nameKey: "name", id: func(r *mockResource) string { return r.str("role") + ":" + r.name }},
	"aws:sqs/queue:Queue": {nameKey: "name", id: func(r *mockResource) string {
		return fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/%s", r.region, r.account, r.name)
	}, outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{"arn": r.arn("sqs", r.name), "url": id}
	}},
	"aws:sns/topic:Topic":                                          {nameKey: "name", id: func(r *mockResource) string { return r.arn("sns", r.name) }, outputs: arnIsID},
	"aws:sns/topicSubscription:TopicSubscription":                  {id: func(r *mockResource) string { return r.str("topic") + ":" + r.uuid() }, outputs: arnIsID},
	"aws:cloudwatch/logGroup:LogGroup":                             {nameKey: "name", outputs: namedARN("logs", "log-group:")},
	"aws:cloudwatch/logDeliverySource:LogDeliverySource":           {nameKey: "name", outputs: namedARN("logs", "delivery-source:")},
	"aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": {nameKey: "name", outputs: namedARN("logs", "delivery-destination:")},
	"aws:cloudwatch/logDelivery:LogDelivery":                       {id: suffixID("", 16), outputs: idARN("logs", "delivery:")},
	"aws:kms/key:Key":                                              {id: (*mockResource).uuid, outputs: kmsKeyOutputs},
	"aws:kms/replicaKey:ReplicaKey":                                {id: (*mockResource).uuid, outputs: kmsKeyOutputs},
	"aws:kms/alias:Alias":                                          {nameKey: "name", outputs: namedARN("kms", "")},
	"aws:acm/certificate:Certificate": {id: func(r *mockResource) string { return r.arn("acm", "certificate/"+r.uuid()) }, outputs: func(r *mockResource, id string) map[string]any {
		domain := r.str("domainName")
		return map[string]any{
			"arn": id,
			"domainValidationOptions": []any{map[string]any{
				"domainName":          domain,
				"resourceRecordName":  "_" + r.suffix[:8] + "." + domain + ".",
				"resourceRecordType":  "CNAME",
				"resourceRecordValue": "_" + r.suffix[8:16] + ".acm-validations.aws.",
			}},
		}
	}},
	"aws:acm/certificateValidation:CertificateValidation": {id: func(r *mockResource) string { return r.str("certificateArn") }},
	"aws:route53/record:Record": {id: func(r *mockResource) string { return r.str("zoneId") + "_" + r.str("name") + "_" + r.str("type") }, outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{"fqdn": r.str("name")}
	}},
	"aws:lb/loadBalancer:LoadBalancer": {nameKey: "name", id: func(r *mockResource) string {
		return r.arn("elasticloadbalancing", "loadbalancer/app/"+r.name+"/"+r.suffix[:16])
	}, outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{"arn": id, "arnSuffix": "app/" + r.name + "/" + r.suffix[:16], "dnsName": r.name + "-" + r.suffix[:10] + "." + r.region + ".elb.amazonaws.com", "zoneId": "Z35SXDOTRQ7X7K"}
	}},
	"aws:lb/targetGroup:TargetGroup": {nameKey: "name", id: func(r *mockResource) string {
		return r.arn("elasticloadbalancing", "targetgroup/"+r.name+"/"+r.suffix[:16])
	}, outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{"arn": id, "arnSuffix": "targetgroup/" + r.name + "/" + r.suffix[:16]}
	}},
	"aws:lb/listener:Listener": {id: func(r *mockResource) string {
		return r.arn("elasticloadbalancing", "listener/app/"+r.suffix[:16])
	}, outputs: arnIsID},
	"aws:lb/listenerRule:ListenerRule": {id: func(r *mockResource) string {
		return r.arn("elasticloadbalancing", "listener-rule/app/"+r.suffix[:16])
	}, outputs: arnIsID},
	"aws:ec2/securityGroup:SecurityGroup":                       {nameKey: "name", id: suffixID("sg-", 17), outputs: idARN("ec2", "security-group/")},
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {id: suffixID("sgr-", 17), outputs: idARN("ec2", "security-group-rule/")},
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":   {id: suffixID("sgr-", 17), outputs: idARN("ec2", "security-group-rule/")},
	"aws:ec2/launchTemplate:LaunchTemplate": {nameKey: "name", id: suffixID("lt-", 17), outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{"arn": r.arn("ec2", "launch-template/"+id), "latestVersion": 1.0}
	}},
	"aws:autoscaling/group:Group": {nameKey: "name", outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{"arn": r.arn("autoscaling", "autoScalingGroup:"+r.uuid()+":autoScalingGroupName/"+r.name)}
	}},
	"aws:dax/cluster:Cluster": {nameKey: "clusterName", outputs: func(r *mockResource, id string) map[string]any {
		host := r.name + "." + r.suffix[:6] + ".dax-clusters." + r.region + ".amazonaws.com"
		return map[string]any{
			"arn":                   r.arn("dax", "cache/"+r.name),
			"clusterAddress":        host,
			"configurationEndpoint": "daxs://" + host,
			"port":                  9111.0,
		}
	}},
	"aws:dax/subnetGroup:SubnetGroup":       {nameKey: "name"},
	"aws:dax/parameterGroup:ParameterGroup": {nameKey: "name"},
	"aws:sesv2/emailIdentity:EmailIdentity": {nameKey: "emailIdentity", outputs: func(r *mockResource, id string) map[string]any {
		out := map[string]any{"arn": r.arn("ses", "identity/"+r.name), "identityType": "EMAIL_ADDRESS", "verifiedForSendingStatus": false}
		if !strings.Contains(r.name, "@") {
			out["identityType"] = "DOMAIN"
			out["dkimSigningAttributes"] = map[string]any{"tokens": []any{r.suffix[0:16], r.suffix[16:32], r.suffix[32:48]}}
		}
		return out
	}},
	"aws:sesv2/configurationSet:ConfigurationSet": {nameKey: "configurationSetName", outputs: namedARN("ses", "configuration-set/")},
	"aws:sesv2/emailTemplate:EmailTemplate":       {nameKey: "templateName", outputs: namedARN("ses", "template/")},
	"aws:ses/template:Template":                   {nameKey: "name", outputs: namedARN("ses", "template/")},
	"aws:wafv2/webAcl:WebAcl": {nameKey: "name", id: (*mockResource).uuid, outputs: func(r *mockResource, id string) map[string]any {
		return map[string]any{"arn": r.arn("wafv2", "global/webacl/"+r.name+"/"+id)}
	}},
}

// namedARN returns the outputs of a resource whose ARN ends in its name.
func namedARN(service, prefix string) func(r *mockResource, id string) map[string]any {
	return func(r *mockResource, _ string) map[string]any {
		return map[string]any{"arn": r.arn(service, prefix+r.name)}
	}
}

// idARN returns the outputs of a resource whose ARN ends in its ID.
func idARN(service, prefix string) func(r *mockResource, id string) map[string]any {
	return func(r *mockResource, id string) map[string]any {
		return map[string]any{"arn": r.arn(service, prefix+id)}
	}
}

// arnIsID is the outputs of a resource whose ID is its ARN.
func arnIsID(_ *mockResource, id string) map[string]any { return map[string]any{"arn": id} }

// suffixID returns IDs made of prefix and n characters of the resource's
// suffix, the form of the IDs AWS generates.
func suffixID(prefix string, n int) func(r *mockResource) string {
	return func(r *mockResource) string { return prefix + r.suffix[:n] }
}

func kmsKeyOutputs(r *mockResource, id string) map[string]any {
	return map[string]any{"arn": r.arn("kms", "key/"+id), "keyId": id}
}

func bucketOutputs(r *mockResource, id string) map[string]any {
	return map[string]any{
		"arn":                      "arn:aws:s3:::" + r.name,
		"bucketDomainName":         r.name + ".s3.amazonaws.com",
		"bucketRegionalDomainName": r.name + ".s3." + r.region + ".amazonaws.com",
		"hostedZoneId":             "Z3AQBSTGFYJSTF",
		"region":                   r.region,
	}
}

func copyMap(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
