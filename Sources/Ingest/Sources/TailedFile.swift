import Codecs
import Delta

/// One input file being read: its identity, how far it has been read, the decoder with its
/// state (a Zeek header, a CSV header), and the bytes of a line not yet complete.
///
/// Offsets count bytes of the decompressed text, so a `.gz` file resumes at the same line.
final class TailedFile {
  let file: OpenFile
  /// The name the file was last seen under.
  var path: String
  let identity: FileIdentity
  /// The end of the last complete unit handed over: where a restart resumes.
  private(set) var offset: Int64
  private var decoder: any RecordDecoder
  private let compressed: Bool
  private var gzip: GzipStream?
  /// Raw bytes read so far (of the compressed file for `.gz`).
  private var rawOffset: Int64 = 0
  /// Text read but not yet cut into units, starting at `offset`.
  private var pending: [UInt8] = []
  private var chunk: [UInt8] = []
  /// Bytes before the resume point still to be skipped (their lines only show the decoder headers).
  private var skipUntil: Int64
  private var textOffset: Int64 = 0
  static let chunkSize = 1 << 20

  init(file: OpenFile, path: String, identity: FileIdentity, resumeAt: Int64, decoder: any RecordDecoder) throws(IngestError) {
    self.file = file
    self.path = path
    self.identity = identity
    self.decoder = decoder
    offset = resumeAt
    skipUntil = resumeAt
    compressed = path.hasSuffix(".gz")
    if compressed {
      do { gzip = try GzipStream() } catch { throw IngestError("\(path): \(error)") }
    }
  }

  var streamID: String { identity.streamID }

  /// Reads up to one chunk of new bytes and hands every complete unit to `pipeline`. With
  /// `final`, the end of the file ends the last line too. Returns false when nothing new was read.
  func pump(into pipeline: IngestPipeline, final: Bool) throws -> Bool {
    let size = try file.status().size
    if decoder.framing == .document { return try pumpDocument(into: pipeline, size: size) }
    guard rawOffset < size else {
      if final { try finish(into: pipeline) }
      return false
    }
    let count = try file.read(at: rawOffset, count: Self.chunkSize, into: &chunk)
    guard count > 0 else { return false }
    rawOffset += Int64(count)
    if let gzip {
      var failure: CodecError?
      chunk.withUnsafeBytes { bytes in
        do throws(CodecError) {
          try gzip.inflate(UnsafeRawBufferPointer(rebasing: bytes[0..<count]), into: &pending)
        } catch {
          failure = error
        }
      }
      if let failure { throw IngestError("\(path): \(failure)") }
    } else {
      pending.append(contentsOf: chunk[0..<count])
    }
    try cutLines(into: pipeline)
    if final, rawOffset >= size { try finish(into: pipeline) }
    return true
  }

  /// Hands over every complete line in `pending`.
  private func cutLines(into pipeline: IngestPipeline) throws {
    let consumed = try pending.withUnsafeBufferPointer { bytes in
      try LineCutter.forEachLine(in: bytes, final: false) { line, end in
        try hand(line, end: textOffset + Int64(end), into: pipeline)
      }
    }
    textOffset += Int64(consumed)
    pending.removeFirst(consumed)
  }

  /// The last line when it has no newline (only once the file is complete).
  private func finish(into pipeline: IngestPipeline) throws {
    if let gzip, !gzip.isAtMemberEnd {
      throw IngestError("\(path): the gzip stream is truncated (it ends inside a member)")
    }
    guard !pending.isEmpty else { return }
    let end = textOffset + Int64(pending.count)
    try pending.withUnsafeBufferPointer { bytes in
      try LineCutter.forEachLine(in: bytes, final: true) { line, _ in try hand(line, end: end, into: pipeline) }
    }
    textOffset = end
    pending.removeAll()
  }

  private func hand(_ line: UnsafeBufferPointer<UInt8>, end: Int64, into pipeline: IngestPipeline) throws {
    if end <= skipUntil {
      decoder.skip(line)
      return
    }
    if line.isEmpty || line.allSatisfy({ $0 == 32 || $0 == 9 }) {
      pipeline.advance(stream: streamID, to: end)
    } else {
      try pipeline.add(line, stream: streamID, end: end, decoder: &decoder)
    }
    offset = end
  }

  /// A whole-file unit, handed over once (when the file is complete).
  private func pumpDocument(into pipeline: IngestPipeline, size: Int64) throws -> Bool {
    guard offset < size, size > 0 else { return false }
    var raw: [UInt8] = []
    var position: Int64 = 0
    while position < size {
      let count = try file.read(at: position, count: Self.chunkSize, into: &chunk)
      guard count > 0 else { break }
      raw.append(contentsOf: chunk[0..<count])
      position += Int64(count)
    }
    var text = raw
    if compressed {
      text = []
      var failure: CodecError?
      let stream: GzipStream
      do { stream = try GzipStream() } catch { throw IngestError("\(path): \(error)") }
      raw.withUnsafeBytes { bytes in
        do throws(CodecError) { try stream.inflate(bytes, into: &text) } catch { failure = error }
      }
      if let failure { throw IngestError("\(path): \(failure)") }
      guard stream.isAtMemberEnd else { throw IngestError("\(path): the gzip stream is truncated") }
    }
    try pipeline.add(text, stream: streamID, end: size, decoder: &decoder)
    offset = size
    rawOffset = size
    return true
  }
}
