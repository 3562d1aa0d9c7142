extension DeletionVectorDescriptor {
  /// The largest `sizeInBytes` a DV file can frame (its size field is a signed 32-bit integer).
  static let maxSerializedSize = Int(Int32.max)

  /// The DV file holding this deletion vector, or nil when it is inline (`i`).
  ///
  /// - `u`: `<tableRoot>/<random prefix>/deletion_vector_<uuid>.bin`, the UUID being the Z85 of
  ///   the last 20 characters of `pathOrInlineDv` and the prefix (often empty) what precedes them.
  /// - `p`: the absolute path itself; a `file:` URI becomes a local path (percent escapes
  ///   decoded), other URIs (`s3://…`) and plain paths are returned unchanged.
  public func filePath(tableRoot: String) throws(DeletionVectorError) -> String? {
    switch storageType {
    case "i":
      return nil
    case "u":
      let characters = Array(pathOrInlineDv.utf8)
      guard characters.count >= 20 else {
        throw DeletionVectorError(
          .invalidDescriptor, "storage type 'u' needs a 20-character Z85 UUID, got '\(pathOrInlineDv)'",
          table: tableRoot)
      }
      let prefix = String(decoding: characters[..<(characters.count - 20)], as: UTF8.self)
      let uuid: [UInt8]
      do {
        uuid = try Z85.decode(String(decoding: characters[(characters.count - 20)...], as: UTF8.self))
      } catch {
        throw error.located(table: tableRoot, file: nil, offset: nil)
      }
      guard uuid.count == 16 else {
        throw DeletionVectorError(
          .invalidDescriptor, "'\(pathOrInlineDv)' does not end in the Z85 of a 16-byte UUID", table: tableRoot)
      }
      if prefix.hasPrefix("/") || prefix.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) {
        throw DeletionVectorError(
          .invalidDescriptor, "random prefix '\(prefix)' of '\(pathOrInlineDv)' leaves the table", table: tableRoot)
      }
      var path = tableRoot
      while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
      if !prefix.isEmpty { path += "/" + prefix }
      return path + "/deletion_vector_" + Self.uuidText(uuid) + ".bin"
    case "p":
      return try Self.localPath(absolute: pathOrInlineDv, tableRoot: tableRoot)
    default:
      throw DeletionVectorError(
        .unsupported, "storage type '\(storageType)' (known: 'u', 'i', 'p')", table: tableRoot)
    }
  }

  /// Reads the deleted rows: inline, or from the DV file under `tableRoot` (a local folder path,
  /// or a URI the `read` function understands). An absent `offset` is taken as 1, the first
  /// deletion vector of the file.
  ///
  /// `read(path, offset, length)` must return exactly `length` bytes of `path` from `offset`
  /// (so that object stores can plug in). A DV file is checked for its version byte, the size
  /// stored before the bitmap and the CRC-32 stored after it; the bitmap must hold exactly
  /// `cardinality` rows.
  public func loadDeletedRows(
    tableRoot: String, read: (String, Int, Int) throws -> [UInt8]
  ) throws(DeletionVectorError) -> DeletedRows {
    guard sizeInBytes >= 4, sizeInBytes <= Self.maxSerializedSize else {
      throw DeletionVectorError(
        .invalidDescriptor, "sizeInBytes \(sizeInBytes) is outside 4...\(Self.maxSerializedSize)", table: tableRoot)
    }
    guard cardinality >= 0 else {
      throw DeletionVectorError(.invalidDescriptor, "cardinality \(cardinality) is negative", table: tableRoot)
    }
    let file = try filePath(tableRoot: tableRoot)
    let location = file ?? "inline deletion vector"
    let bitmap: [UInt8]
    if file == nil {
      bitmap = try inlineBitmap(tableRoot: tableRoot)
    } else {
      bitmap = try Self.readBitmap(
        file: location, offset: offset ?? 1, size: sizeInBytes, tableRoot: tableRoot, read: read)
    }
    let rows: DeletedRows
    do {
      rows = try RoaringBitmapArray.decode(bitmap)
    } catch {
      throw error.located(table: tableRoot, file: file, offset: file == nil ? nil : offset ?? 1)
    }
    guard Int64(rows.count) == cardinality else {
      throw DeletionVectorError(
        .cardinalityMismatch, "the bitmap holds \(rows.count) rows; the descriptor's cardinality is \(cardinality)",
        table: tableRoot, file: file, offset: file == nil ? nil : offset ?? 1)
    }
    return rows
  }

  /// The bitmap bytes of an inline deletion vector.
  private func inlineBitmap(tableRoot: String) throws(DeletionVectorError) -> [UInt8] {
    // Z85 text is 5/4 the size of its bytes; check before decoding a forged string.
    let expectedLength = (sizeInBytes + 3) / 4 * 5
    guard pathOrInlineDv.utf8.count == expectedLength else {
      throw DeletionVectorError(
        .invalidDescriptor,
        "inline deletion vector of \(sizeInBytes) bytes should be \(expectedLength) Z85 characters, not \(pathOrInlineDv.utf8.count)",
        table: tableRoot)
    }
    var bytes: [UInt8]
    do {
      bytes = try Z85.decode(pathOrInlineDv)
    } catch {
      throw error.located(table: tableRoot, file: nil, offset: nil)
    }
    // Delta pads to a multiple of four with zero bytes; the Rust z85 crate writes a short tail.
    guard bytes.count >= sizeInBytes else {
      throw DeletionVectorError(
        .invalidDescriptor, "inline deletion vector decodes to \(bytes.count) bytes; sizeInBytes is \(sizeInBytes)",
        table: tableRoot)
    }
    bytes.removeLast(bytes.count - sizeInBytes)
    return bytes
  }

  /// Reads, checks and unframes one bitmap of a DV file: a version byte 1 at the start of the
  /// file, then at `offset` a big-endian size, the bitmap and its big-endian CRC-32.
  static func readBitmap(
    file: String, offset: Int, size: Int, tableRoot: String, read: (String, Int, Int) throws -> [UInt8]
  ) throws(DeletionVectorError) -> [UInt8] {
    func failure(_ code: DeletionVectorError.Code, _ message: String, cause: (any Error & Sendable)? = nil)
      -> DeletionVectorError
    {
      DeletionVectorError(code, message, table: tableRoot, file: file, offset: offset, cause: cause)
    }
    func readBytes(_ start: Int, _ length: Int) throws(DeletionVectorError) -> [UInt8] {
      let bytes: [UInt8]
      do {
        bytes = try read(file, start, length)
      } catch {
        throw failure(.io, "reading \(length) bytes at \(start) failed", cause: error)
      }
      guard bytes.count == length else {
        throw failure(.truncated, "asked for \(length) bytes at \(start), got \(bytes.count)")
      }
      return bytes
    }

    guard offset >= 1 else {
      throw failure(.invalidDescriptor, "offset \(offset) is before the first deletion vector (offset 1)")
    }
    guard offset <= Int.max - size - 8 else {
      throw failure(.invalidDescriptor, "offset \(offset) with size \(size) passes the largest file size")
    }
    // One read covers the version byte too when the bitmap is near the start of the file.
    let frameLength = 4 + size + 4
    let frame: ArraySlice<UInt8>
    let version: UInt8
    if offset <= 4096 {
      let bytes = try readBytes(0, offset + frameLength)
      version = bytes[0]
      frame = bytes[offset...]
    } else {
      version = try readBytes(0, 1)[0]
      frame = try readBytes(offset, frameLength)[...]
    }
    guard version == 1 else {
      throw failure(.unsupported, "DV file format version \(version) (this reader knows version 1)")
    }
    var reader = DeletionVectorBytes(Array(frame))
    let storedSize = try reader.uint32BE("the size")
    guard Int(storedSize) == size else {
      throw failure(.corrupt, "the file stores a bitmap of \(storedSize) bytes; the descriptor says \(size)")
    }
    let bitmap = Array(try reader.skip(size, for: "the bitmap"))
    let storedChecksum = try reader.uint32BE("the checksum")
    let checksum = CRC32.checksum(bitmap)
    guard storedChecksum == checksum else {
      throw failure(
        .checksumMismatch,
        "stored CRC-32 \(hex(storedChecksum)) differs from \(hex(checksum)) computed over the \(size)-byte bitmap")
    }
    return bitmap
  }

  /// A `p` path as a local path when it is a `file:` URI; anything else unchanged.
  static func localPath(absolute: String, tableRoot: String) throws(DeletionVectorError) -> String {
    guard absolute.hasPrefix("file:") else { return absolute }
    var rest = Substring(absolute.dropFirst("file:".count))
    if rest.hasPrefix("//") {
      rest = rest.dropFirst(2)
      let host = rest.prefix { $0 != "/" }
      guard host.isEmpty || host == "localhost" else {
        throw DeletionVectorError(
          .unsupported, "'\(absolute)' names host '\(host)'; only local file URIs can be read", table: tableRoot)
      }
      rest = rest.dropFirst(host.count)
    }
    guard rest.hasPrefix("/") else {
      throw DeletionVectorError(.invalidDescriptor, "'\(absolute)' is not an absolute path", table: tableRoot)
    }
    guard let decoded = percentDecoded(rest) else {
      throw DeletionVectorError(.invalidDescriptor, "'\(absolute)' has a bad percent escape", table: tableRoot)
    }
    return decoded
  }

  private static func percentDecoded(_ text: Substring) -> String? {
    let bytes = Array(text.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "%") {
        guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
        else { return nil }
        out.append(high << 4 | low)
        index += 3
      } else {
        out.append(bytes[index])
        index += 1
      }
    }
    return String(validating: out, as: UTF8.self)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }

  /// The canonical lowercase text of a 16-byte UUID.
  static func uuidText(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for (index, byte) in bytes.enumerated() {
      if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}

private func hex(_ value: UInt32) -> String {
  let text = String(value, radix: 16)
  return "0x" + String(repeating: "0", count: 8 - text.count) + text
}
