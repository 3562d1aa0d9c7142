/// Entropy-codes a block's literals and sequences into a compressed block body.
final class ZstdBlockEncoder {
  /// Scratch for entropy-coded streams; large enough for any block we would keep.
  let scratchCapacity: Int
  let scratch: UnsafeMutableRawPointer
  /// Verifies FSE-compressed Huffman descriptions before we rely on them.
  let huffmanCheck = ZstdHuffmanDecoder()

  /// Sized for blocks of at most `blockSize` bytes: a kept block is smaller than its input, and
  /// the writers refuse (rather than overrun) anything larger.
  /// Symbol codes of the current block's sequences: literal lengths, match lengths, offsets.
  let codes: UnsafeMutablePointer<UInt8>

  init(blockSize: Int) {
    scratchCapacity = 4 * blockSize + 1024
    scratch = .allocate(byteCount: scratchCapacity, alignment: 16)
    codes = .allocate(capacity: 3 * (blockSize / 3 + 16))
  }

  deinit {
    scratch.deallocate()
    codes.deallocate()
  }

  /// Appends the literals section for `count` bytes at `literals`.
  func encodeLiterals(_ literals: UnsafePointer<UInt8>, count: Int, into out: inout [UInt8]) {
    if count == 0 {
      out.append(0)
      return
    }
    var counts = [Int](repeating: 0, count: 256)
    for i in 0..<count { counts[Int(literals[i])] += 1 }
    let first = Int(literals[0])
    if counts[first] == count {
      Self.writeRawOrRLEHeader(type: 1, size: count, into: &out)
      out.append(UInt8(first))
      return
    }
    // Tiny literal runs are not worth a tree.
    if count >= 64, encodeHuffman(literals, count: count, counts: counts, into: &out) { return }
    Self.writeRawOrRLEHeader(type: 0, size: count, into: &out)
    out.append(contentsOf: UnsafeBufferPointer(start: literals, count: count))
  }

  private static func writeRawOrRLEHeader(type: UInt8, size: Int, into out: inout [UInt8]) {
    if size < 32 {
      out.append(type | UInt8(size << 3))
    } else if size < 4096 {
      out.append(type | 1 << 2 | UInt8(truncatingIfNeeded: size << 4))
      out.append(UInt8(truncatingIfNeeded: size >> 4))
    } else {
      out.append(type | 3 << 2 | UInt8(truncatingIfNeeded: size << 4))
      out.append(UInt8(truncatingIfNeeded: size >> 4))
      out.append(UInt8(truncatingIfNeeded: size >> 12))
    }
  }

  /// Huffman-codes the literals when that is smaller than storing them; false leaves `out` as is.
  private func encodeHuffman(_ literals: UnsafePointer<UInt8>, count: Int, counts: [Int], into out: inout [UInt8]) -> Bool {
    guard let code = ZstdHuffmanEncoder(counts: counts) else { return false }
    let estimate = code.bits(for: counts) / 8
    // Raw costs `count` bytes; the tree and jump table need a margin to pay off.
    guard estimate + 16 < count else { return false }
    var tree: [UInt8] = []
    guard code.writeDescription(into: &tree, check: huffmanCheck) else { return false }
    let singleStream = count < 256
    var streamSize = 0
    if singleStream {
      guard let size = code.encodeStream(literals, count: count, into: scratch, capacity: scratchCapacity) else { return false }
      streamSize = size
    } else {
      let segment = (count + 3) / 4
      var position = 6
      for k in 0..<4 {
        let from = k * segment
        let length = k == 3 ? count - 3 * segment : segment
        guard let size = code.encodeStream(
          literals + from, count: length, into: scratch + position, capacity: scratchCapacity - position)
        else { return false }
        if k < 3 {
          guard size <= 0xFFFF else { return false }
          scratch.storeBytes(of: UInt8(truncatingIfNeeded: size), toByteOffset: 2 * k, as: UInt8.self)
          scratch.storeBytes(of: UInt8(truncatingIfNeeded: size >> 8), toByteOffset: 2 * k + 1, as: UInt8.self)
        }
        position += size
      }
      streamSize = position
    }
    let compressedSize = tree.count + streamSize
    let sizeFormat: Int
    let headerSize: Int
    let fieldBits: Int
    if singleStream {
      guard compressedSize < 1024 else { return false }
      (sizeFormat, headerSize, fieldBits) = (0, 3, 10)
    } else if count < 1024 && compressedSize < 1024 {
      (sizeFormat, headerSize, fieldBits) = (1, 3, 10)
    } else if count < 16384 && compressedSize < 16384 {
      (sizeFormat, headerSize, fieldBits) = (2, 4, 14)
    } else {
      (sizeFormat, headerSize, fieldBits) = (3, 5, 18)
    }
    guard headerSize + compressedSize < count else { return false }
    let header = UInt64(2 | sizeFormat << 2) | UInt64(count) << 4 | UInt64(compressedSize) << UInt64(4 + fieldBits)
    for i in 0..<headerSize { out.append(UInt8(truncatingIfNeeded: header >> UInt64(8 * i))) }
    out += tree
    out.append(contentsOf: UnsafeRawBufferPointer(start: scratch, count: streamSize))
    return true
  }
}
