import Columnar
import Delta
import Foundation
import ObjectStore
import Storage
import Synchronization
import Testing

/// Delta tables on S3, against the emulator `scripts/test.sh` starts (moto_server on loopback,
/// `AVOCET_TEST_S3_ENDPOINT`): writes and reads, commits with `If-None-Match`, listing,
/// multipart uploads, concurrent writers, stores that ignore conditional writes, and delta-rs
/// reading and writing the same tables.
@Suite(.serialized) struct S3StorageTests {
  static let endpoint = ProcessInfo.processInfo.environment["AVOCET_TEST_S3_ENDPOINT"]
  static var available: Bool { endpoint != nil }
  static let credentials = AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")

  static func client(transport: any HTTPTransport = AsyncHTTPTransport.shared, singleWriter: Bool = false) -> S3Client {
    S3Client(
      configuration: S3Configuration(
        region: "us-east-1", endpoint: endpoint, allowHTTP: true, singleWriter: singleWriter, maxAttempts: 4,
        multipartThreshold: 5 << 20, partSize: 5 << 20),
      credentials: credentials, transport: transport)
  }

  /// A new bucket; returns its name.
  static func bucket(_ client: S3Client = client()) throws -> String {
    let name = "avocet-\(UUID().uuidString.lowercased().prefix(18))"
    try client.createBucket(name)
    return name
  }

  static func batch(_ ids: [Int64], day: Int32) throws -> RecordBatch {
    try WriteFixtures.batch([
      ("id", WriteFixtures.int64(ids.map { $0 })), ("ip", WriteFixtures.string(ids.map { "10.0.0.\($0 % 256)" })),
      ("day", WriteFixtures.int32(ids.map { _ in day })),
    ])
  }

  static func rows(_ path: String, _ storage: any TableStorage) throws -> [String] {
    try WriteFixtures.rows(of: try DeltaTable.open(path: path, storage: storage).snapshot())
  }

  @Test(.enabled(if: available)) func writeAndReadAPartitionedTable() throws {
    let storage = S3TableStorage(client: Self.client())
    let path = "s3://\(try Self.bucket())/deltalake/source=query_blog_lakehouse"
    var options = WriteOptions()
    options.partitionBy = ["day"]
    try TableWriter.write(path: path, batches: [try Self.batch([1, 2, 3], day: 1), try Self.batch([4], day: 2)], options: options, storage: storage)
    try TableWriter.write(path: path, batches: [try Self.batch([5, 6], day: 2)], options: options, storage: storage)
    let table = try DeltaTable.open(path: path, storage: storage)
    #expect(try table.latestVersion() == 1)
    let rows = try Self.rows(path, storage)
    #expect(rows.count == 6)
    #expect(rows.first == #"{"id":1,"ip":"10.0.0.1","day":1}"#)
    let snapshot = try table.snapshot()
    #expect(Set(snapshot.files.map { $0.partitionValues["day"] ?? "" }) == ["1", "2"])
    #expect(snapshot.files.allSatisfy { $0.path.hasPrefix("day=") })
    // Skipping works on S3 as on disk.
    let scan = try snapshot.scan(ScanOptions(predicate: .comparison(["day"], .equal, .int64(2))))
    #expect(scan.files.count == 2)
  }

  @Test(.enabled(if: available)) func putIfAbsentNeverOverwrites() throws {
    let storage = S3TableStorage(client: Self.client())
    let path = "s3://\(try Self.bucket())/t/_delta_log/00000000000000000000.json"
    try storage.putIfAbsent(path, bytes: Array("first".utf8))
    // The same bytes again: a retried PUT whose first attempt landed.
    try storage.putIfAbsent(path, bytes: Array("first".utf8))
    #expect(throws: DeltaError.self) { try storage.putIfAbsent(path, bytes: Array("second".utf8)) }
    do {
      try storage.putIfAbsent(path, bytes: Array("second".utf8))
    } catch {
      #expect(error.code == .alreadyExists)
    }
    #expect(try storage.readFile(path) == Array("first".utf8))
  }

  @Test(.enabled(if: available)) func listsDirectoriesFromAStartName() throws {
    let storage = S3TableStorage(client: Self.client())
    let root = "s3://\(try Self.bucket())/t"
    for name in ["_delta_log/00000000000000000000.json", "_delta_log/00000000000000000001.json",
      "_delta_log/00000000000000000002.checkpoint.parquet", "_delta_log/00000000000000000002.json", "a=1/x.parquet", "y.parquet"]
    {
      try storage.writeFile(root + "/" + name, bytes: [1, 2, 3])
    }
    let all = try storage.listDirectory(root, startingAt: nil)
    #expect(all.map(\.name) == ["_delta_log", "a=1", "y.parquet"])
    #expect(all.map(\.isDirectory) == [true, true, false])
    let log = try storage.listDirectory(root + "/_delta_log", startingAt: "00000000000000000002")
    #expect(log.map(\.name) == ["00000000000000000002.checkpoint.parquet", "00000000000000000002.json"])
    #expect(log.allSatisfy { $0.size == 3 && $0.modificationTime > 0 })
    do {
      _ = try storage.listDirectory(root + "/missing", startingAt: nil)
      Issue.record("listing a missing prefix succeeded")
    } catch {
      #expect(error.code == .notATable)
    }
    #expect(!DeltaTable.isDeltaTable(path: root + "/missing", storage: storage))
  }

  @Test(.enabled(if: available)) func largeFilesUseMultipartUploadAndRangedReads() throws {
    let storage = S3TableStorage(client: Self.client())
    let path = "s3://\(try Self.bucket())/big.bin"
    var bytes = [UInt8](repeating: 0, count: 12 << 20)
    for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 31 &+ i >> 13) }
    var file = try storage.createFile(path)
    for start in stride(from: 0, to: bytes.count, by: 1 << 20) {
      try file.write(Array(bytes[start..<min(bytes.count, start + (1 << 20))]))
    }
    #expect(throws: DeltaError.self) { _ = try storage.statFile(path) }  // invisible before close
    try file.close()
    let reader = try storage.openFile(path)
    #expect(reader.size == bytes.count)
    #expect(try reader.read(offset: 7_000_000, length: 100) == Array(bytes[7_000_000..<7_000_100]))
    #expect(try reader.read(offset: bytes.count - 8, length: 8) == Array(bytes[(bytes.count - 8)...]))
    #expect(try storage.readFile(path) == bytes)

    // An aborted multipart upload leaves nothing.
    let aborted = path + ".aborted"
    var partial = try storage.createFile(aborted)
    try partial.write(Array(bytes[..<(11 << 20)]))
    partial.abort()
    #expect(throws: DeltaError.self) { _ = try storage.statFile(aborted) }
  }

  @Test(.enabled(if: available)) func concurrentWritersLoseNoCommit() throws {
    let storage = S3TableStorage(client: Self.client())
    let path = "s3://\(try Self.bucket())/concurrent"
    try TableWriter.write(path: path, batches: [try Self.batch([0], day: 0)], storage: storage)
    let failures = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: 4) { writer in
      for commit in 0..<4 {
        do {
          try TableWriter.write(path: path, batches: [try Self.batch([Int64(1 + writer * 100 + commit)], day: 0)], storage: storage)
        } catch {
          failures.withLock { $0.append("\(error)") }
        }
      }
    }
    #expect(failures.withLock { $0 }.isEmpty)
    #expect(try DeltaTable.open(path: path, storage: storage).latestVersion() == 16)
    #expect(try Self.rows(path, storage).count == 17)
  }

  /// A store that drops `If-None-Match`, as some S3-compatible stores do.
  struct IgnoresConditions: HTTPTransport {
    func send(_ request: HTTPRequest) throws(ObjectStoreError) -> HTTPResponse {
      var request = request
      request.headers.removeAll { $0.name.lowercased() == "if-none-match" }
      return try AsyncHTTPTransport.shared.send(request)
    }
  }

  @Test(.enabled(if: available)) func storesIgnoringConditionalWritesAreRefusedUnlessSingleWriter() throws {
    let bucket = try Self.bucket()
    let unsafe = S3TableStorage(client: Self.client(transport: IgnoresConditions()))
    do {
      try TableWriter.write(path: "s3://\(bucket)/t", batches: [try Self.batch([1], day: 1)], storage: unsafe)
      Issue.record("a commit went through a store that ignores If-None-Match")
    } catch let error as DeltaError {
      #expect(error.code == .unsupportedFeature)
      #expect(error.message.contains("AVOCET_S3_SINGLE_WRITER"), "\(error)")
    }
    #expect(!DeltaTable.isDeltaTable(path: "s3://\(bucket)/t", storage: unsafe))
    let single = S3TableStorage(client: Self.client(transport: IgnoresConditions(), singleWriter: true))
    try TableWriter.write(path: "s3://\(bucket)/t", batches: [try Self.batch([1], day: 1)], storage: single)
    #expect(try Self.rows("s3://\(bucket)/t", single) == [#"{"id":1,"ip":"10.0.0.1","day":1}"#])
  }

  @Test(.enabled(if: available)) func deltaRSReadsAvocetsTableAndAvocetReadsDeltaRSs() throws {
    try #require(WriteInteropTests.available, "the oracle virtualenv is missing")
    let storage = S3TableStorage(client: Self.client())
    let bucket = try Self.bucket()
    let ours = "s3://\(bucket)/avocet"
    var options = WriteOptions()
    options.partitionBy = ["day"]
    try TableWriter.write(path: ours, batches: [try Self.batch([1, 2], day: 1), try Self.batch([3], day: 2)], options: options, storage: storage)
    let script = #"""
      import sys, json, os, deltalake, pyarrow as pa
      endpoint, ours, theirs = sys.argv[1:4]
      opts = {"AWS_ENDPOINT_URL": endpoint, "AWS_ALLOW_HTTP": "true", "AWS_ACCESS_KEY_ID": "testing",
              "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1", "AWS_S3_ALLOW_UNSAFE_RENAME": "true"}
      rows = sorted(json.dumps(r, sort_keys=True) for r in deltalake.DeltaTable(ours, storage_options=opts).to_pyarrow_table().to_pylist())
      data = pa.table({"id": pa.array([7, 8], pa.int64()), "name": ["x", "y"], "day": pa.array([5, 6], pa.int32())})
      deltalake.write_deltalake(theirs, data, partition_by=["day"], storage_options=opts)
      deltalake.write_deltalake(theirs, data.slice(0, 1), mode="append", partition_by=["day"], storage_options=opts)
      print(json.dumps(rows), flush=True)
      os._exit(0)
      """#
    let theirs = "s3://\(bucket)/delta-rs"
    let output = try WriteInteropTests.run(["-c", script, Self.endpoint ?? "", ours, theirs])
    let line = output.split(separator: "\n").last.map(String.init) ?? ""
    let read = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String] ?? []
    #expect(read == [
      #"{"day": 1, "id": 1, "ip": "10.0.0.1"}"#, #"{"day": 1, "id": 2, "ip": "10.0.0.2"}"#, #"{"day": 2, "id": 3, "ip": "10.0.0.3"}"#,
    ], "\(output)")
    #expect(try Self.rows(theirs, storage) == [
      #"{"id":7,"name":"x","day":5}"#, #"{"id":7,"name":"x","day":5}"#, #"{"id":8,"name":"y","day":6}"#,
    ])
  }

  /// Counts the requests that pass through, by method and path.
  final class CountingTransport: HTTPTransport, @unchecked Sendable {
    let requests = Mutex<[String]>([])
    func send(_ request: HTTPRequest) throws(ObjectStoreError) -> HTTPResponse {
      requests.withLock { $0.append(request.method + " " + String(request.url.prefix { $0 != "?" })) }
      return try AsyncHTTPTransport.shared.send(request)
    }
  }

  @Test(.enabled(if: available)) func aDataFileCostsAHeadTheFooterAndOneCoalescedRead() throws {
    let bucket = try Self.bucket()
    let path = "s3://\(bucket)/wide"
    // Scrambled values, so that the file is well over the 64 KiB footer fetch.
    let columns = (0..<8).map { c in
      ("c\(c)", WriteFixtures.int64((0..<50_000).map { Int64(bitPattern: UInt64($0 + c) &* 0x9E37_79B9_7F4A_7C15) }))
    }
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch(columns)], storage: S3TableStorage(client: Self.client()))
    let counting = CountingTransport()
    let storage = S3TableStorage(client: Self.client(transport: counting))
    let snapshot = try DeltaTable.open(path: path, storage: storage).snapshot()
    let file = try #require(snapshot.files.first)
    counting.requests.withLock { $0.removeAll() }
    let batches = try snapshot.scan().readBatches()
    #expect(batches.reduce(0) { $0 + $1.rowCount } == 50_000)
    #expect(file.size > 1 << 20)
    let onFile = counting.requests.withLock { $0 }.filter { $0.hasSuffix(file.path) }
    // HEAD (size), the last 64 KiB (footer), and the eight column chunks in one ranged GET.
    #expect(onFile.filter { $0.hasPrefix("HEAD") }.count == 1, "\(onFile)")
    #expect(onFile.filter { $0.hasPrefix("GET") }.count <= 2, "\(onFile)")
  }
}
