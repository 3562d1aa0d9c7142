import ArgumentParser

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Options for tables on S3-compatible stores; each overrides the variable named in its help,
/// which the S3 layer reads on first use.
struct S3Options: ParsableArguments {
  @Option(name: .customLong("s3-endpoint"), help: "S3-compatible endpoint, e.g. http://127.0.0.1:9000 (AWS_ENDPOINT_URL).")
  var endpoint: String?

  @Option(name: .customLong("s3-region"), help: "Region of the buckets (AWS_REGION).")
  var region: String?

  @Flag(name: .customLong("s3-path-style"), help: "Address buckets as endpoint/bucket (AWS_S3_FORCE_PATH_STYLE).")
  var pathStyle = false

  @Flag(name: .customLong("allow-http"), help: "Allow a plain-HTTP endpoint (AWS_ALLOW_HTTP).")
  var allowHTTP = false

  @Flag(
    name: .customLong("single-writer"),
    help: "Commit without If-None-Match on stores that ignore it; only one writer may commit (AVOCET_S3_SINGLE_WRITER).")
  var singleWriter = false

  /// Sets the variables before any S3 access.
  func apply() {
    if let endpoint { setenv("AWS_ENDPOINT_URL", endpoint, 1) }
    if let region { setenv("AWS_REGION", region, 1) }
    if pathStyle { setenv("AWS_S3_FORCE_PATH_STYLE", "true", 1) }
    if allowHTTP { setenv("AWS_ALLOW_HTTP", "true", 1) }
    if singleWriter { setenv("AVOCET_S3_SINGLE_WRITER", "true", 1) }
  }
}
