import Foundation
import Testing

/// `avocet ingest file s3://bucket/prefix/`: objects in key order, each after the last one ingested.
@Suite struct IngestS3CLITests {
  static let line =
    #"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /amzn-s3-demo-bucket1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes us-east-1"#

  /// Puts an object through the emulator's REST API.
  static func put(_ url: String, _ text: String) throws {
    let script = """
      import sys, urllib.request
      urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=sys.stdin.buffer.read(), method='PUT', headers={'Content-Type': 'application/octet-stream'}))
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: WriteCLITests.python)
    process.arguments = ["-c", script, url]
    let input = Pipe()
    process.standardInput = input
    try process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "putting \(url) failed")
  }

  static func lines(_ ids: Range<Int>) -> String {
    ids.map { line.replacingOccurrences(of: "3E57427F3EXAMPLE", with: "REQ\($0)") + "\n" }.joined()
  }

  @Test(.enabled(if: S3CLITests.available)) func objectsAreReadOnceInKeyOrder() throws {
    let bucket = try S3CLITests.bucket()
    let endpoint = S3CLITests.endpoint ?? ""
    try Self.put("\(endpoint)/\(bucket)/logs/2019-02-06-00-00-00-A", Self.lines(0..<3))
    try Self.put("\(endpoint)/\(bucket)/logs/2019-02-06-00-05-00-B", Self.lines(3..<5) + "not an access log line\n")
    try Self.put("\(endpoint)/\(bucket)/other/2019-02-06-00-00-00-C", Self.lines(100..<101))
    let dir = WriteCLITests.folder("ingest-s3")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let arguments = ["ingest", "file", "--format", "s3access", "--table", dir + "/access", "s3://\(bucket)/logs/"]
    let first = try CLITests.avocet(arguments, environment: S3CLITests.environment)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("wrote 5, dead letters 1"), "\(first.stdout)")
    try Self.put("\(endpoint)/\(bucket)/logs/2019-02-06-00-10-00-D", Self.lines(5..<7))
    let second = try CLITests.avocet(arguments, environment: S3CLITests.environment)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stdout.contains("wrote 2, dead letters 0"), "\(second.stdout)")
    let ids = try IngestCLITests.values(dir + "/access", "request_id").sorted()
    #expect(ids == (0..<7).map { "REQ\($0)" }.sorted())
    let time = try IngestCLITests.values(dir + "/access", "time")
    #expect(time.allSatisfy { $0 == "2019-02-06T00:00:38.000000Z" }, "\(time)")
  }
}
