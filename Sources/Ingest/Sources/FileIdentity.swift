/// Which file a position belongs to, stable across renames: the inode plus a fingerprint of the
/// file's first bytes (up to 1 KiB, as many as it had when first seen). A rotated log keeps its
/// identity under its new name; a new file that reuses an inode, or a truncated and rewritten
/// one, has different first bytes and so a new identity.
///
/// The stream id written in `txn` is `file:<inode>:<length>:<fnv1a64 hex>`.
struct FileIdentity: Hashable {
  static let maxPrefix = 1024
  var inode: UInt64
  var length: Int
  var hash: UInt64

  var streamID: String { "file:\(inode):\(length):\(String(hash, radix: 16))" }

  init(inode: UInt64, length: Int, hash: UInt64) {
    self.inode = inode
    self.length = length
    self.hash = hash
  }

  /// Parses a stream id written by ``streamID``.
  init?(streamID: String) {
    let parts = streamID.split(separator: ":")
    guard parts.count == 4, parts[0] == "file", let inode = UInt64(parts[1]), let length = Int(parts[2]),
      let hash = UInt64(parts[3], radix: 16)
    else { return nil }
    self.init(inode: inode, length: length, hash: hash)
  }

  /// The identity of `file` as it is now, or the committed identity it matches: same inode
  /// and same first `length` bytes. Nil for an empty file (nothing to fingerprint yet).
  static func of(_ file: OpenFile, inode: UInt64, size: Int64, known: [FileIdentity]) throws(IngestError) -> FileIdentity? {
    guard size > 0 else { return nil }
    var buffer: [UInt8] = []
    let count = try file.read(at: 0, count: Int(min(size, Int64(maxPrefix))), into: &buffer)
    guard count > 0 else { return nil }
    for candidate in known where candidate.inode == inode && candidate.length <= count {
      if fnv1a(buffer[0..<candidate.length]) == candidate.hash { return candidate }
    }
    return FileIdentity(inode: inode, length: count, hash: fnv1a(buffer[0..<count]))
  }

  static func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash &*= 0x100_0000_01b3
    }
    return hash
  }
}
