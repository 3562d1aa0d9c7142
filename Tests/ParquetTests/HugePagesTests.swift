import Foundation
import Storage
import Testing

/// Large buffers are marked for transparent huge pages (the `hg` flag of their mapping in
/// /proc/self/smaps); small ones and the unaligned edges are left alone.
@Suite struct HugePagesTests {
  /// The VmFlags of the mapping that holds `address`.
  static func flags(at address: Int) throws -> [String] {
    // (/proc files report size 0: read to the end rather than by size.)
    let file = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
    defer { try? file.close() }
    let smaps = String(decoding: try file.readToEnd() ?? Data(), as: UTF8.self)
    var inside = false
    for line in smaps.split(separator: "\n") {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      if let range = fields.first, range.contains("-"), !range.hasSuffix(":") {
        let bounds = range.split(separator: "-").compactMap { Int($0, radix: 16) }
        inside = bounds.count == 2 && bounds[0] <= address && address < bounds[1]
      } else if inside, fields.first == "VmFlags:" {
        return fields.dropFirst().map(String.init)
      }
    }
    return []
  }

  static let hugePage = 2 << 20

  static func alignedUp(_ address: Int) -> Int { (address + hugePage - 1) & ~(hugePage - 1) }

  /// An anonymous mapping of its own, so that no other allocation shares (or lends) its flags.
  static func mapping(_ size: Int) throws -> UnsafeMutableRawPointer {
    let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    try #require(address != MAP_FAILED)
    return try #require(address)
  }

  @Test func largeBuffersAreAdvised() throws {
    #if os(Linux)
      try #require(
        FileManager.default.fileExists(atPath: "/sys/kernel/mm/transparent_hugepage/enabled"),
        "this kernel has no transparent huge pages")
      let size = 16 << 20
      let buffer = try Self.mapping(size)
      defer { munmap(buffer, size) }
      HugePages.advise(buffer + 100, byteCount: size - 100)
      // The first 2 MiB boundary after the start lies inside the advised part.
      let inner = Self.alignedUp(Int(bitPattern: buffer) + 100)
      let innerFlags = try Self.flags(at: inner)
      #expect(innerFlags.contains("hg"), "\(innerFlags) at \(String(inner, radix: 16))")

      let small = try Self.mapping(1 << 20)
      defer { munmap(small, 1 << 20) }
      HugePages.advise(small, byteCount: 1 << 20)
      #expect(try !Self.flags(at: Int(bitPattern: small)).contains("hg"))

      var array: [Int64] = []
      array.reserveCapacity(4 << 20)
      HugePages.adviseSpareCapacity(&array)
      let base = array.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
      #expect(try Self.flags(at: Self.alignedUp(base)).contains("hg"))
    #endif
  }
}
