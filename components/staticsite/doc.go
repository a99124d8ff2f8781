// Package staticsite provides StaticSite: a directory of files served
// worldwide by CloudFront from a private S3 bucket that only its distribution
// reads, optionally on a custom domain, with other origins (an API, another
// bucket) under paths of the same domain.
//
// Give New the files (Args.ContentDir, or an archive in Args.Content): each
// becomes an object named after its path, so a file removed from the
// directory leaves the bucket. Name assets with a content fingerprint
// (app.3f2a1b9c.js, see Fingerprinted) and they are cached for a year; every
// other file is revalidated after at most Args.HTMLMaxAgeSeconds, so a deploy
// reaches visitors within that time without an invalidation. SPAFallback
// serves the index document for paths without an extension, through a
// CloudFront Function that leaves other origins' answers alone.
//
// Behaviors route path patterns to other origins: URLOrigin for an API stage
// (with StripPrefix, /api/posts reaches the stage's /posts), BucketOrigin for
// another bucket, read through the site's origin access control once its
// policy admits this distribution (blocks.AllowCloudFrontRead, or the
// origin's ReadArn). The certificate and the log delivery live in us-east-1,
// through Args.USEast1 or a provider the site creates.
// [The static site: private bucket, fresh pages, no invalidations] lists what
// New creates and explains the caching and the routing.
//
// [The static site: private bucket, fresh pages, no invalidations]: https://github.com/gopherstack/serverless-arch/blob/main/docs/static-site.md
package staticsite
