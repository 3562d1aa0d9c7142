#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads lines (or one document) from a descriptor such as standard input into a pipeline,
/// flushing by the pipeline's limits, also while the input is idle.
///
/// A pipe cannot be re-read, so its position is not a resume point: each run gets its own stream
/// id and commits at least what it read before it stopped.
public final class StreamIngestor {
  public let pipeline: IngestPipeline
  private let descriptor: Int32
  private var decoder: any RecordDecoder
  public let streamID: String

  public init(descriptor: Int32 = 0, pipeline: IngestPipeline, decoder: any RecordDecoder, name: String = "stdin") {
    self.descriptor = descriptor
    self.pipeline = pipeline
    self.decoder = decoder
    streamID = "\(name):\(getpid()):\(IngestPipeline.nowMicros())"
  }

  /// Reads until the end of the input or until `shouldStop`, then flushes.
  public func run(shouldStop: () -> Bool = { false }, progress: (IngestStatistics) -> Void = { _ in }) throws {
    var pending: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    var offset: Int64 = 0
    var ended = false
    while !ended && !shouldStop() {
      var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
      let ready = poll(&poller, 1, 200)
      if ready > 0 {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
          if errno == EINTR { continue }
          throw IngestError("cannot read the input: \(String(cString: strerror(errno)))")
        }
        if count == 0 {
          ended = true
        } else {
          pending.append(contentsOf: chunk[0..<count])
          if decoder.framing == .lines { try cutLines(&pending, offset: &offset) }
        }
      }
      if pipeline.isFlushDue { try pipeline.flush() }
      progress(pipeline.statistics)
    }
    if !pending.isEmpty {
      offset += Int64(pending.count)
      try pipeline.add(pending, stream: streamID, end: offset, decoder: &decoder)
    }
    try pipeline.flush()
    progress(pipeline.statistics)
  }

  private func cutLines(_ pending: inout [UInt8], offset: inout Int64) throws {
    let base = offset
    let consumed = try pending.withUnsafeBufferPointer { bytes in
      try LineCutter.forEachLine(in: bytes, final: false) { line, end in
        if line.isEmpty {
          pipeline.advance(stream: streamID, to: base + Int64(end))
        } else {
          try pipeline.add(line, stream: streamID, end: base + Int64(end), decoder: &decoder)
        }
      }
    }
    offset += Int64(consumed)
    pending.removeFirst(consumed)
  }
}
