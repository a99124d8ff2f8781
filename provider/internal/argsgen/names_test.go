package argsgen

import "testing"

func TestSchemaNamesFollowTheComponentsOutputs(t *testing.T) {
	for goName, want := range map[string]string{
		"RestAPIID": "restApiId", "CORSOrigins": "corsOrigins", "SubnetIDs": "subnetIds", "USEast1": "usEast1",
		"MFA": "mfa", "IDTokenMinutes": "idTokenMinutes", "AlbDNSName": "albDnsName", "KMSKeyARN": "kmsKeyArn",
		"HTMLMaxAgeSeconds": "htmlMaxAgeSeconds", "CacheSizeGB": "cacheSizeGb", "WebACLArn": "webAclArn",
		"DeadLetterQueueURL": "deadLetterQueueUrl", "VpcID": "vpcId", "Routes": "routes", "SPAFallback": "spaFallback",
		"TableKMSKeyArn": "tableKmsKeyArn", "HTML": "html", "OperationID": "operationId", "ClientSecurityGroupID": "clientSecurityGroupId",
	} {
		if got := SchemaName(goName); got != want {
			t.Errorf("SchemaName(%s) = %s, want %s", goName, got, want)
		}
	}
}

func TestDocTextNamesFieldsAndConstantsAsOtherLanguagesSeeThem(t *testing.T) {
	got := docText("MFA is MFAOff, MFAOptional (default) or\nMFAOn; see UserPoolArns.\n\nSecond  paragraph.\n",
		map[string]string{"UserPoolArns": "userPoolArns"}, map[string]string{"MFAOff": "OFF", "MFAOptional": "OPTIONAL", "MFAOn": "ON"})
	want := "MFA is \"OFF\", \"OPTIONAL\" (default) or \"ON\"; see userPoolArns.\n\nSecond paragraph."
	if got != want {
		t.Errorf("docText:\n%q\nwant\n%q", got, want)
	}
}

func TestDocTextNamesFieldsInsideSentencesButNotSentenceStarts(t *testing.T) {
	names := map[string]string{"Content": "content", "Path": "path", "ContentDir": "contentDir"}
	got := docText("Content is the site's files. Path is not a field reference here. Set ContentDir or Content.", names, nil)
	want := "content is the site's files. Path is not a field reference here. Set contentDir or content."
	if got != want {
		t.Errorf("docText:\n%q\nwant\n%q", got, want)
	}
}

func TestDocTextKeepsProseWordsButAsTheSubject(t *testing.T) {
	names := map[string]string{"URL": "url", "OpenAPI": "openApi"}
	got := docText("URL is the base URL clients call. OpenAPI is the API's OpenAPI 3 document.", names, nil)
	want := "url is the base URL clients call. OpenAPI is the API's OpenAPI 3 document."
	if got != want {
		t.Errorf("docText:\n%q\nwant\n%q", got, want)
	}
}
