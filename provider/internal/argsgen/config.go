package argsgen

// This file is the cross-language part of the components' Args: what the
// Go source cannot say. Everything else (fields, types, descriptions,
// constants) is read from the component packages, so a field added there
// appears in the schema at the next `go generate`, and one whose type
// cannot cross languages fails the generator until it is listed here.

// Component is one component the provider serves.
type Component struct {
	// Pkg is the component's package, a directory under components/.
	Pkg string
	// Args and Result are its argument and component types, New its
	// constructor and Token the constant holding its type token.
	Args, Result, New, Token string
}

// Components are the components the provider serves, under the type tokens
// Go programs register (so a stack can move between languages without
// aliases).
var Components = []Component{
	{Pkg: "serverlessapi", Args: "Args", Result: "ServerlessAPI", New: "New", Token: "Type"},
	{Pkg: "serverlessapi", Args: "DAXArgs", Result: "DAX", New: "NewDAX", Token: "DAXType"},
	{Pkg: "userauth", Args: "Args", Result: "UserAuth", New: "New", Token: "Type"},
	{Pkg: "staticsite", Args: "Args", Result: "StaticSite", New: "New", Token: "Token"},
	{Pkg: "globaltable", Args: "Args", Result: "GlobalTable", New: "New", Token: "Token"},
	{Pkg: "welcomemailer", Args: "Args", Result: "WelcomeMailer", New: "New", Token: "Token"},
	{Pkg: "thumbnails", Args: "Args", Result: "ThumbnailPipeline", New: "New", Token: "Token"},
	{Pkg: "updateoffload", Args: "Args", Result: "UpdateOffloadCDN", New: "New", Token: "Token"},
}

// Skipped are Go-only fields, keyed package.Type.Field, with what a program
// in another language does instead (the provider's note and the report).
var Skipped = map[string]string{
	"serverlessapi.Args.AccountSettings":   "list the account settings in the component's dependsOn: the provider makes the stage wait for the component's dependencies",
	"staticsite.Args.ContentDir":           "content: a FileArchive of the directory, or an AssetArchive",
	"staticsite.Args.USEast1":              "none: the component creates its us-east-1 provider with the stack's aws: identity settings",
	"updateoffload.Args.USEast1":           "none: the component creates its us-east-1 provider with the stack's aws: identity settings",
	"globaltable.Replica.Provider":         "none: the component creates the replica region's provider with the stack's aws: identity settings",
	"thumbnails.Args.ExtraLambdaFunctions": "extraRoutes, with lambdaFunctionArn",
	"thumbnails.Args.ExtraQueues":          "extraRoutes, with queueArn",
	"thumbnails.Args.ExtraTopics":          "extraRoutes, with topicArn",
	"thumbnails.Args.ExtraDependsOn":       "list them in the component's dependsOn: the notification waits for the component's dependencies",
}

// Required are the fields a program must set; every other field is optional
// and the component applies its default.
var Required = set(
	"serverlessapi.Args.Routes",
	"serverlessapi.Route.Method", "serverlessapi.Route.Path", "serverlessapi.Route.FunctionArn", "serverlessapi.Route.Auth",
	"serverlessapi.Param.Name",
	"serverlessapi.DomainArgs.Name",
	"serverlessapi.DAXArgs.VpcID", "serverlessapi.DAXArgs.SubnetIDs", "serverlessapi.DAXArgs.TableArns",
	"staticsite.Args.Content",
	"staticsite.Behavior.PathPattern", "staticsite.Behavior.Origin",
	"staticsite.Origin.ID",
	"globaltable.Args.PartitionKey",
	"globaltable.Index.Name", "globaltable.Index.PartitionKey",
	"globaltable.Replica.Region",
	"blocks.Key.Name",
	"welcomemailer.Args.StreamArn", "welcomemailer.Args.Identity", "welcomemailer.Args.Sender",
	"updateoffload.Args.Origin", "updateoffload.Args.OriginSecret",
)

// Secret are the fields whose values the schema marks secret.
var Secret = set("updateoffload.Args.OriginSecret")

// Enum is an enum of a plain string field, made from Go constants.
type Enum struct {
	// Name is the provider-side Go type, Token its schema token
	// (module:Name).
	Name, Token string
	// Pkg holds the constants Consts, in the order the enum lists them.
	Pkg    string
	Consts []string
}

var architecture = Enum{Name: "Architecture", Token: "index:Architecture", Pkg: "fnbuild", Consts: []string{"ARM64", "X86_64"}}

// Enums are the plain string fields whose values are a set of constants.
// Fields of a named string type with constants (serverlessapi.Auth, ...)
// are enums without being listed.
var Enums = map[string]Enum{
	"userauth.Args.MFA":               {Name: "MFA", Token: "auth:MFA", Pkg: "userauth", Consts: []string{"MFAOff", "MFAOptional", "MFAOn"}},
	"userauth.Args.ThreatProtection":  {Name: "ThreatProtection", Token: "auth:ThreatProtection", Pkg: "userauth", Consts: []string{"ThreatProtectionOff", "ThreatProtectionAudit", "ThreatProtectionEnforced"}},
	"updateoffload.Args.Origin":       {Name: "CDNOrigin", Token: "cdn:Origin", Pkg: "updateoffload", Consts: []string{"OriginExisting", "OriginDemo"}},
	"thumbnails.Args.Architecture":    architecture,
	"welcomemailer.Args.Architecture": architecture,
}

// TypeNames renames nested types whose Go names read badly in other
// languages (the TypeScript SDK appends Args to input types).
var TypeNames = map[string]string{"serverlessapi.DomainArgs": "Domain"}

// Field is a provider-side field with no counterpart in the component's
// Args: the hand-written complete method of its type converts it.
type Field struct {
	Name, Type, Doc string
	Optional        bool
}

// Extra are the provider-side fields of each type beyond its Go fields.
var Extra = map[string][]Field{
	"staticsite.Origin": {{Name: "URL", Type: "pulumi.StringInput", Optional: true,
		Doc: "The HTTPS URL of the origin, instead of domainName and path, such as a ServerlessAPI's url: its host becomes the domain name and its path (without a trailing slash) the origin path."}},
	"thumbnails.Args": {{Name: "ExtraRoutes", Type: "[]NotificationRoute", Optional: true,
		Doc: "Further routes on the uploads bucket's notification, which this component owns (S3 keeps one notification configuration per bucket). Their filters must not overlap the pipeline's for the same events, or S3 refuses the configuration. What they need to exist first (their lambda.Permission, queue or topic policy) goes in the component's dependsOn."}},
}

// Hooks are the types whose conversion ends with their hand-written
// complete method: those with Extra fields, and those that take something
// from the component's resource options.
var Hooks = set("staticsite.Origin", "thumbnails.Args", "serverlessapi.Args")

// ExtraOutputs are plain fields of a component type that it registers as
// outputs without a pulumi tag (a plain field cannot carry one); the
// provider serves them as outputs, by schema name.
var ExtraOutputs = map[string]map[string]string{
	"globaltable.GlobalTable": {"HomeRegion": "homeRegion", "ReplicaRegions": "replicaRegions"},
}

func set(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}
