import Codecs
public import Delta
public import ObjectStore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads the objects under an S3 prefix into a pipeline in key order, each after the last one
/// ingested, which is how S3 access logs and VPC flow logs arrive (keys carry their time).
///
/// Every object is its own stream (`s3:<bucket>/<key>`, version = bytes of text read), so an
/// object cut by a flush resumes at the line it reached; listing resumes after the greatest key
/// committed. `.gz` objects are decompressed.
public final class S3ObjectIngestor {
  public let location: S3Location
  public let pipeline: IngestPipeline
  private let client: S3Client
  private let makeDecoder: () -> any RecordDecoder
  /// The greatest key handed over in this run.
  private var lastKey: String?

  public init(
    url: String, pipeline: IngestPipeline, client: S3Client? = nil, makeDecoder: @escaping () -> any RecordDecoder
  ) throws(IngestError) {
    guard let location = S3Location(url: url), !location.bucket.isEmpty else {
      throw IngestError("\(url) is not an s3://bucket/prefix URL")
    }
    self.location = location
    self.pipeline = pipeline
    self.client = client ?? S3TableStorage.fromEnvironment.client
    self.makeDecoder = makeDecoder
  }

  static func streamID(bucket: String, key: String) -> String { "s3:\(bucket)/\(key)" }

  /// Ingests every object not yet ingested, and flushes.
  public func ingestOnce(progress: (IngestStatistics) -> Void = { _ in }) throws {
    _ = try poll(progress: progress)
    try pipeline.flush()
    progress(pipeline.statistics)
  }

  /// Lists and ingests new objects every `pollInterval` seconds until `shouldStop`.
  public func follow(pollInterval: Double = 5, shouldStop: () -> Bool, progress: (IngestStatistics) -> Void = { _ in }) throws {
    while !shouldStop() {
      let found = try poll(progress: progress)
      if pipeline.isFlushDue { try pipeline.flush() }
      progress(pipeline.statistics)
      if !found {
        var waited = 0.0
        while waited < pollInterval, !shouldStop() {
          FileIngestor.sleep(seconds: min(0.1, pollInterval))
          waited += 0.1
          if pipeline.isFlushDue { try pipeline.flush() }
        }
      }
    }
    try pipeline.flush()
    progress(pipeline.statistics)
  }

  /// One listing: the last committed object is finished first, then the keys after it.
  private func poll(progress: (IngestStatistics) -> Void) throws -> Bool {
    var startAfter = lastKey
    if startAfter == nil {
      let prefix = Self.streamID(bucket: location.bucket, key: location.key)
      let committed = pipeline.committedStreams(prefix: prefix)
      if let last = committed.keys.max() {
        let key = String(last.dropFirst("s3:\(location.bucket)/".count))
        try ingest(key: key, from: committed[last] ?? 0)
        startAfter = key
      }
    }
    let listing: [S3ObjectInfo]
    do {
      listing = try client.list(bucket: location.bucket, prefix: location.key, startAfter: startAfter).objects
    } catch {
      throw IngestError("cannot list \(location): \(error)")
    }
    for object in listing where !object.key.hasSuffix("/") {
      try ingest(key: object.key, from: 0)
      if pipeline.isFlushDue { try pipeline.flush() }
      progress(pipeline.statistics)
    }
    if let last = listing.last { lastKey = last.key } else if lastKey == nil { lastKey = startAfter }
    return !listing.isEmpty
  }

  /// Hands the object's units after text offset `start` to the pipeline.
  private func ingest(key: String, from start: Int64) throws {
    let object = S3Location(bucket: location.bucket, key: key)
    let stream = Self.streamID(bucket: location.bucket, key: key)
    var text: [UInt8]
    do {
      text = try client.get(object)
    } catch {
      throw IngestError("cannot read \(object): \(error)")
    }
    if key.hasSuffix(".gz") {
      var inflated: [UInt8] = []
      var failure: CodecError?
      let stream = try GzipStream()
      text.withUnsafeBytes { bytes in
        do throws(CodecError) { try stream.inflate(bytes, into: &inflated) } catch { failure = error }
      }
      if let failure { throw IngestError("\(object): \(failure)") }
      guard stream.isAtMemberEnd else { throw IngestError("\(object): the gzip stream is truncated") }
      text = inflated
    }
    lastKey = key
    guard Int64(text.count) > start else { return }
    var decoder = makeDecoder()
    if decoder.framing == .document {
      try pipeline.add(text, stream: stream, end: Int64(text.count), decoder: &decoder)
      return
    }
    try text.withUnsafeBufferPointer { bytes in
      try LineCutter.forEachLine(in: bytes, final: true) { line, lineEnd in
        let end = Int64(lineEnd)
        if end <= start {
          decoder.skip(line)
        } else if line.isEmpty {
          pipeline.advance(stream: stream, to: end)
        } else {
          try pipeline.add(line, stream: stream, end: end, decoder: &decoder)
        }
      }
    }
  }
}
