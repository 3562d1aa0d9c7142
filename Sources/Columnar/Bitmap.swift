/// A packed array of bits, least significant bit first within each 64-bit word.
///
/// Used for validity (1 = valid) and for boolean values. Bits past `count` in the last word are
/// kept zero so that population counts need no masking.
public struct Bitmap: Sendable, Equatable {
  @usableFromInline var _words: [UInt64]
  public var words: [UInt64] { _words }
  public internal(set) var count: Int

  public init() {
    _words = []
    count = 0
  }

  public init(repeating value: Bool, count: Int) {
    self.count = count
    let wordCount = (count + 63) >> 6
    _words = [UInt64](repeating: value ? ~0 : 0, count: wordCount)
    if value { clearTail() }
  }

  /// Packs `bytes`, one 0/1 (or zero/non-zero) byte per bit.
  public init(bytes: UnsafeBufferPointer<UInt8>) {
    count = bytes.count
    let wordCount = (count + 63) >> 6
    _words = [UInt64](unsafeUninitializedCapacity: wordCount) { out, initialized in
      var index = 0
      for w in 0..<wordCount {
        var word: UInt64 = 0
        let end = Swift.min(index + 64, bytes.count)
        var bit: UInt64 = 0
        while index < end {
          word |= (bytes[index] != 0 ? 1 : 0) << bit
          bit += 1
          index += 1
        }
        out[w] = word
      }
      initialized = wordCount
    }
  }

  /// Wraps already packed words holding `count` bits.
  public init(words: [UInt64], count: Int) {
    precondition(words.count == (count + 63) >> 6, "Bitmap word count does not match bit count")
    self._words = words
    self.count = count
    clearTail()
  }

  @inlinable public subscript(index: Int) -> Bool {
    get { _words[index >> 6] & (1 << UInt64(index & 63)) != 0 }
    set {
      if newValue {
        _words[index >> 6] |= 1 << UInt64(index & 63)
      } else {
        _words[index >> 6] &= ~(1 << UInt64(index & 63))
      }
    }
  }

  public mutating func append(_ bit: Bool) {
    if count & 63 == 0 { _words.append(0) }
    if bit { _words[count >> 6] |= 1 << UInt64(count & 63) }
    count += 1
  }

  /// Appends `n` copies of `bit`.
  public mutating func append(repeating bit: Bool, count n: Int) {
    guard n > 0 else { return }
    let newCount = count + n
    let newWords = (newCount + 63) >> 6
    if !bit {
      if newWords > _words.count { _words.append(contentsOf: repeatElement(0, count: newWords - _words.count)) }
      count = newCount
      return
    }
    var index = count
    while index < newCount && index & 63 != 0 {
      if index >> 6 >= _words.count { _words.append(0) }
      _words[index >> 6] |= 1 << UInt64(index & 63)
      index += 1
    }
    while index + 64 <= newCount {
      _words.append(~0)
      index += 64
    }
    while index < newCount {
      if index >> 6 >= _words.count { _words.append(0) }
      _words[index >> 6] |= 1 << UInt64(index & 63)
      index += 1
    }
    count = newCount
  }

  /// The number of set bits.
  public var setCount: Int {
    var total = 0
    for word in _words { total += word.nonzeroBitCount }
    return total
  }

  /// True when every bit is set.
  public var allSet: Bool { setCount == count }

  private mutating func clearTail() {
    let tail = count & 63
    if tail != 0, !_words.isEmpty {
      _words[_words.count - 1] &= (1 << UInt64(tail)) - 1
    }
  }
}
